import { after } from 'node:test';
import {
  DescribeFlowOperationCommand,
  ListFlowOperationResultsCommand,
  NetworkFirewallClient,
} from '@aws-sdk/client-network-firewall';
import type {
  Flow,
  ListFlowOperationResultsCommandInput,
  NetworkFirewallClientConfig,
} from '@aws-sdk/client-network-firewall';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.js';

export const DEMO = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
export const PROD = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';
export const EU = 'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection';
export const LAB = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
export const ASSOC =
  'arn:aws:network-firewall:us-east-1:111122223333:vpc-endpoint-association/demo-assoc';
export const ASSOC_ENDPOINT = 'vpce-0demo0assoc000001';

/** Starts a simulator that is closed when the current test file finishes. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await createSimulator(options);
  after(() => sim.close());
  return sim;
}

export function clientFor(
  sim: Simulator,
  region = 'us-east-1',
  extra: Partial<NetworkFirewallClientConfig> = {},
): NetworkFirewallClient {
  const client = new NetworkFirewallClient({
    endpoint: sim.url,
    region,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...extra,
  });
  after(() => client.destroy());
  return client;
}

export async function waitUntilDone(
  client: NetworkFirewallClient,
  input: {
    FirewallArn: string;
    FlowOperationId: string;
    AvailabilityZone?: string;
    VpcEndpointAssociationArn?: string;
  },
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await client.send(new DescribeFlowOperationCommand(input));
    if (out.FlowOperationStatus !== 'IN_PROGRESS') return out.FlowOperationStatus ?? '';
    if (Date.now() > deadline) throw new Error(`operation ${input.FlowOperationId} still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Walks every page of an operation's results. */
export async function allResults(
  client: NetworkFirewallClient,
  input: ListFlowOperationResultsCommandInput,
): Promise<{ flows: Flow[]; pages: number }> {
  const flows: Flow[] = [];
  let pages = 0;
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListFlowOperationResultsCommand({ ...input, NextToken }));
    pages++;
    flows.push(...(out.Flows ?? []));
    NextToken = out.NextToken;
  } while (NextToken);
  return { flows, pages };
}

/** A flow from the SDK, or from the control API, whose counters may be bigints. */
export type AnyFlow =
  | Flow
  | (Omit<Flow, 'PacketCount' | 'ByteCount'> & {
      PacketCount?: bigint | number;
      ByteCount?: bigint | number;
    });

/** Order-independent identity of a flow, for set comparisons. */
export function flowKey(f: AnyFlow): string {
  return [
    f.SourceAddress?.AddressDefinition,
    f.SourcePort,
    f.DestinationAddress?.AddressDefinition,
    f.DestinationPort,
    f.Protocol,
    f.Age,
    f.PacketCount,
    f.ByteCount,
  ].join('|');
}

export function sortedKeys(flows: readonly AnyFlow[]): string[] {
  return flows.map(flowKey).sort();
}
