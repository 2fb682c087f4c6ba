import { DEMO_ARN, DEMO_AZ } from './gateway.js';

/**
 * Starts one flow capture on the demo firewall per destination port, through the gateway's HTTP
 * endpoint at `url`, and returns their ids in order. Different ports make different operations,
 * so cluster tests and the subscription benchmark get as many distinct operations to poll as
 * they ask for.
 */
export async function startDemoCaptures(
  url: string,
  destinationPorts: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const destinationPort of destinationPorts) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
        variables: {
          input: {
            firewallArn: DEMO_ARN,
            availabilityZone: DEMO_AZ,
            flowFilters: [{ destinationPort }],
          },
        },
      }),
    });
    const body = (await res.json()) as { data: { startFlowCapture: { flowOperationId: string } } };
    ids.push(body.data.startFlowCapture.flowOperationId);
  }
  return ids;
}
