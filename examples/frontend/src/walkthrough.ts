// The walkthrough of docs/walkthrough.md as a program: find a firewall, start a capture, watch it
// end, read its flows a page at a time, then (with --flush) flush the same flows. Against a
// gateway on its demo data:
//   GATEWAY_URL=http://localhost:4000/graphql node --import tsx examples/frontend/src/walkthrough.ts
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { GatewayClient } from './client.js';
import {
  FirewallsDocument,
  FlowOperationDocument,
  FlowOperationStatusChangedDocument,
  StartFlowCaptureDocument,
  StartFlowFlushDocument,
} from './gql/graphql.js';
import type {
  FlowOperationQuery,
  FlowOperationStatus,
  StartFlowOperationInput,
} from './gql/graphql.js';

// `flows` is nullable (one failed call under a list nulls only its own field): the page type is
// what it is when present.
type Flows = NonNullable<NonNullable<FlowOperationQuery['flowOperation']>['flows']>;
type Flow = Flows['edges'][number]['node'];

export interface WalkthroughResult {
  firewallArn: string;
  availabilityZone: string;
  captureId: string;
  /** Every status the subscription pushed, in order. */
  statuses: (FlowOperationStatus | null)[];
  flows: Flow[];
  pages: number;
  /** Set when the flush was asked for. */
  flushId?: string;
}

const FINAL: readonly (FlowOperationStatus | null)[] = [
  'COMPLETED',
  'FAILED',
  'COMPLETED_WITH_ERRORS',
];

export async function walkthrough(
  client: GatewayClient,
  options: {
    firewallName?: string;
    pageSize?: number;
    /** Also flush the captured flows. On real AWS that ends those connections: opt in. */
    flush?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<WalkthroughResult> {
  const log = options.log ?? (() => {});

  // 1. Find a firewall and one of its Availability Zones.
  const { firewalls } = await client.request(FirewallsDocument);
  const firewall = firewalls.edges
    .map((e) => e.node)
    .find((f) => !options.firewallName || f.firewallName === options.firewallName);
  const availabilityZone = firewall?.availabilityZones?.[0];
  if (!firewall || !availabilityZone) throw new Error('no firewall with an Availability Zone');
  log(`firewall ${firewall.firewallName} (${firewall.firewallArn}), zone ${availabilityZone}`);

  // 2. Start a capture of TCP flows from 10.0.0.0/8 that are at least a minute old.
  const input: StartFlowOperationInput = {
    firewallArn: firewall.firewallArn,
    availabilityZone,
    minimumFlowAgeInSeconds: 60,
    flowFilters: [{ sourceAddress: { addressDefinition: '10.0.0.0/8' }, protocols: ['6'] }],
  };
  const { startFlowCapture } = await client.request(StartFlowCaptureDocument, { input });
  const captureId = startFlowCapture.flowOperationId;
  log(`capture ${captureId} ${startFlowCapture.flowOperationStatus}`);

  // 3. Watch it until it ends: the subscription completes after a final status.
  const statuses: (FlowOperationStatus | null)[] = [];
  for await (const { flowOperationStatusChanged: op } of client.subscribe(
    FlowOperationStatusChangedDocument,
    { arn: firewall.firewallArn, az: availabilityZone, id: captureId },
  )) {
    statuses.push(op.flowOperationStatus);
    log(`capture ${op.flowOperationStatus}${op.statusMessage ? `: ${op.statusMessage}` : ''}`);
  }
  if (!FINAL.includes(statuses.at(-1) ?? null)) {
    throw new Error(`the subscription ended before a final status: ${statuses.join(', ')}`);
  }

  // 4. Read what it captured, a page at a time: `after` is the last page's endCursor.
  const flows: Flow[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: FlowOperationQuery = await client.request(FlowOperationDocument, {
      arn: firewall.firewallArn,
      az: availabilityZone,
      id: captureId,
      first: options.pageSize ?? 50,
      after,
    });
    if (!page.flowOperation) throw new Error(`capture ${captureId} disappeared`);
    if (!page.flowOperation.flows) throw new Error(`the flows of ${captureId} could not be read`);
    const { edges, pageInfo } = page.flowOperation.flows;
    flows.push(...edges.map((e) => e.node));
    pages++;
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  log(`${flows.length} flows in ${pages} page(s)`);

  const result: WalkthroughResult = {
    firewallArn: firewall.firewallArn,
    availabilityZone,
    captureId,
    statuses,
    flows,
    pages,
  };
  if (!options.flush) return result;

  // 5. Flush the same flows: this ends those connections on the firewall.
  const { startFlowFlush } = await client.request(StartFlowFlushDocument, { input });
  log(`flush ${startFlowFlush.flowOperationId} ${startFlowFlush.flowOperationStatus}`);
  return { ...result, flushId: startFlowFlush.flowOperationId };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const client = new GatewayClient({
    url: process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql',
    webSocketImpl: WebSocket,
  });
  walkthrough(client, {
    firewallName: process.env.FIREWALL_NAME ?? 'demo',
    flush: process.argv.includes('--flush'),
    log: (line) => console.log(line),
  })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => client.close());
}
