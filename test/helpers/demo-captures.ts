import { DEMO_ARN, DEMO_AZ } from './gateway.js';
import type { TestGateway } from './gateway.js';

/**
 * The first finished flow capture of the simulator's demo data that `fits` accepts, for tests
 * that page through a capture's flows and need one of a certain size. The demo's captures vary
 * in length, so each test states what it needs rather than naming an id that may change.
 */
export async function findDemoCapture(
  gw: TestGateway,
  fits: (flowOperationId: string) => Promise<boolean>,
  needed: string,
): Promise<string> {
  const res = await gw.gql<{
    flowOperations: { edges: { node: { flowOperationId: string } }[] };
  }>(
    `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationType: FLOW_CAPTURE, first: 100) {
      edges { node { flowOperationId } } } }`,
  );
  for (const { node } of res.data?.flowOperations.edges ?? []) {
    if (await fits(node.flowOperationId)) return node.flowOperationId;
  }
  throw new Error(`no demo capture with ${needed}`);
}
