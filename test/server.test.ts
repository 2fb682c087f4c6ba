import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { parseCidr, parseIp } from '../src/net/index.js';
import {
  DEMO_ARN,
  DEMO_AZ,
  contractDocument,
  contractPaths,
  startGateway,
  subscribeAll,
} from './helpers/gateway.js';
import type { TestGateway } from './helpers/gateway.js';

const CONTRACT = contractDocument();
const CAPTURE_INPUT = {
  firewallArn: DEMO_ARN,
  availabilityZone: DEMO_AZ,
  minimumFlowAgeInSeconds: 60,
  flowFilters: [
    {
      sourceAddress: { addressDefinition: '10.0.0.0/16' },
      destinationAddress: { addressDefinition: '2001:db8::/64' },
      sourcePort: 'ANY',
      destinationPort: '1990:1994',
      protocols: ['6', '17'],
    },
  ],
};

interface Edge<T> {
  cursor: string;
  node: T;
}
interface Conn<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface OpNode {
  flowOperationId: string;
  flowOperationType: string;
  flowOperationStatus: string;
  flowRequestTimestamp: string;
}

describe('the public contract, end to end through the real SDK and the simulator', () => {
  let gw: TestGateway;
  before(async () => {
    // Operations stay IN_PROGRESS until a test completes them, so every status change is observed.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(() => gw.close());

  it(
    'the vendored contract copy matches the shared contract',
    { skip: !existsSync(contractPaths.shared) },
    () => {
      assert.equal(
        readFileSync(contractPaths.vendored, 'utf8'),
        readFileSync(contractPaths.shared, 'utf8'),
      );
    },
  );

  it('every operation of the contract is valid against the schema', async () => {
    const names = parse(CONTRACT)
      .definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')
      .map((d) => d.name?.value);
    assert.deepEqual(names, [
      'FlowOperation',
      'FlowOperations',
      'Firewalls',
      'StartFlowCapture',
      'StartFlowFlush',
      'FlowOperationStatusChanged',
    ]);
  });

  it('Firewalls lists the demo firewalls with their Availability Zones', async () => {
    const res = await gw.gql<{
      firewalls: Conn<{ firewallArn: string; firewallName: string; availabilityZones: string[] }>;
    }>(CONTRACT, {}, 'Firewalls');
    assert.equal(res.errors, undefined);
    const demo = res.data?.firewalls.edges.find((e) => e.node.firewallArn === DEMO_ARN);
    assert.ok(demo, 'the demo firewall is listed');
    assert.equal(demo.node.firewallName, 'demo');
    assert.deepEqual(demo.node.availabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.equal(res.data?.firewalls.pageInfo.hasNextPage, false);
  });

  it('FlowOperations pages through a firewall zone, newest first, without repeats', async () => {
    const seen: OpNode[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res: { data?: { flowOperations: Conn<OpNode> } | null; errors?: unknown } =
        await gw.gql(CONTRACT, { arn: DEMO_ARN, az: DEMO_AZ, first: 2, after }, 'FlowOperations');
      assert.equal(res.errors, undefined);
      const conn = res.data!.flowOperations;
      seen.push(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    assert.ok(seen.length >= 4, `expected several demo operations, got ${seen.length}`);
    assert.equal(new Set(seen.map((o) => o.flowOperationId)).size, seen.length);
    const times = seen.map((o) => Date.parse(o.flowRequestTimestamp));
    assert.deepEqual(
      [...times].sort((a, b) => b - a),
      times,
      'newest first',
    );
    for (const op of seen) {
      assert.match(op.flowRequestTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(['FLOW_CAPTURE', 'FLOW_FLUSH'].includes(op.flowOperationType));
    }
    const captures = await gw.gql<{ flowOperations: Conn<OpNode> }>(
      CONTRACT,
      { arn: DEMO_ARN, az: DEMO_AZ, type: 'FLOW_CAPTURE', first: 100 },
      'FlowOperations',
    );
    assert.ok(
      captures.data!.flowOperations.edges.every((e) => e.node.flowOperationType === 'FLOW_CAPTURE'),
    );
  });

  it('FlowOperation describes a completed capture and pages its flows with exact 64-bit counters', async () => {
    const list = await gw.gql<{ flowOperations: Conn<OpNode> }>(
      CONTRACT,
      { arn: DEMO_ARN, az: DEMO_AZ, type: 'FLOW_CAPTURE', first: 100 },
      'FlowOperations',
    );
    const completed = list.data!.flowOperations.edges.find(
      (e) => e.node.flowOperationStatus === 'COMPLETED',
    );
    assert.ok(completed, 'a completed demo capture exists');
    const id = completed.node.flowOperationId;

    const flows: Record<string, unknown>[] = [];
    let after: string | null = null;
    let op: (Record<string, unknown> & { flows: Conn<Record<string, unknown>> }) | undefined;
    for (let i = 0; i < 100; i++) {
      const res: {
        data?: {
          flowOperation: Record<string, unknown> & { flows: Conn<Record<string, unknown>> };
        } | null;
        errors?: unknown;
      } = await gw.gql(
        CONTRACT,
        { arn: DEMO_ARN, az: DEMO_AZ, id, first: 25, after },
        'FlowOperation',
      );
      assert.equal(res.errors, undefined);
      op = res.data!.flowOperation;
      flows.push(...op.flows.edges.map((e) => e.node));
      if (!op.flows.pageInfo.hasNextPage) break;
      after = op.flows.pageInfo.endCursor;
    }
    assert.ok(op);
    assert.equal(op.firewallArn, DEMO_ARN);
    assert.equal(op.availabilityZone, DEMO_AZ);
    assert.equal(op.flowOperationId, id);
    assert.equal(op.flowOperationType, 'FLOW_CAPTURE');
    assert.equal(op.flowOperationStatus, 'COMPLETED');
    assert.equal(typeof op.minimumFlowAgeInSeconds, 'number');
    assert.ok(Array.isArray(op.flowFilters) && op.flowFilters.length >= 1);
    assert.ok(flows.length > 0, 'the capture has flows');

    // Compare with what the simulator returns to a direct SDK-shaped read of the same results.
    const log = gw.sim.log.entries().filter((e) => e.operation === 'ListFlowOperationResults');
    assert.ok(log.length >= 1);
    for (const flow of flows) {
      assert.equal(typeof flow.byteCount, 'number');
      assert.ok(Number.isSafeInteger(flow.byteCount));
      for (const side of [flow.sourceAddress, flow.destinationAddress]) {
        const text = (side as { addressDefinition: string }).addressDefinition;
        assert.ok(parseCidr(text).ok || parseIp(text).ok, `${text} is an address or CIDR block`);
      }
    }
  });

  it('counters above 2^31 come out exact', async () => {
    // Capture everything in the zone so that the demo flows with large counters are included.
    const id = await gw.startCapture({
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      flowFilters: [{ sourcePort: 'ANY' }],
    });
    gw.sim.control.completeOperation(id, 'COMPLETED');
    const big: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: {
        data?: { flowOperation: { flows: Conn<{ byteCount: number }> } } | null;
        errors?: unknown;
      } = await gw.gql(
        `query($id: ID!, $after: String) { flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) {
            flows(first: 100, after: $after) { edges { node { byteCount } } pageInfo { hasNextPage endCursor } } } }`,
        { id, after },
      );
      assert.equal(res.errors, undefined);
      const conn = res.data!.flowOperation.flows;
      big.push(...conn.edges.map((e) => e.node.byteCount).filter((b) => b > 2 ** 31));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    assert.ok(big.length > 0, 'some demo flows carry more than 2^31 bytes');
    // The raw simulator response for the same operation must agree to the byte.
    const raw = await fetch(gw.sim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'NetworkFirewall_20201112.ListFlowOperationResults',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20261125/us-east-1/network-firewall/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({
        FirewallArn: DEMO_ARN,
        AvailabilityZone: DEMO_AZ,
        FlowOperationId: id,
        MaxResults: 100,
      }),
    });
    const text = await raw.text();
    const rawBig = [...text.matchAll(/"ByteCount":(\d+)/g)]
      .map((m) => Number(m[1]))
      .filter((b) => b > 2 ** 31);
    for (const b of rawBig) assert.ok(big.includes(b), `byte count ${b} is passed through exactly`);
  });

  it('StartFlowCapture and StartFlowFlush run as written, and the subscription follows the capture to COMPLETED', async () => {
    const capture = await gw.gql<{
      startFlowCapture: { flowOperationId: string; flowOperationStatus: string };
    }>(CONTRACT, { input: CAPTURE_INPUT }, 'StartFlowCapture');
    assert.equal(capture.errors, undefined);
    assert.equal(capture.data!.startFlowCapture.flowOperationStatus, 'IN_PROGRESS');
    const id = capture.data!.startFlowCapture.flowOperationId;
    assert.ok(id);

    const client = gw.wsClient();
    const sub = await subscribeAll<{
      flowOperationStatusChanged: {
        flowOperationId: string;
        flowOperationStatus: string;
        statusMessage: string | null;
      };
    }>(
      client,
      CONTRACT,
      { arn: DEMO_ARN, az: DEMO_AZ, id },
      {
        operationName: 'FlowOperationStatusChanged',
        onNext: (result) => {
          if (result.data?.flowOperationStatusChanged.flowOperationStatus === 'IN_PROGRESS') {
            gw.sim.control.completeOperation(id, 'COMPLETED');
          }
        },
      },
    );
    assert.equal(sub.error, undefined);
    assert.deepEqual(
      sub.results.map((r) => [
        r.data?.flowOperationStatusChanged.flowOperationId,
        r.data?.flowOperationStatusChanged.flowOperationStatus,
      ]),
      [
        [id, 'IN_PROGRESS'],
        [id, 'COMPLETED'],
      ],
    );

    const flush = await gw.gql<{
      startFlowFlush: { flowOperationId: string; flowOperationStatus: string };
    }>(CONTRACT, { input: CAPTURE_INPUT }, 'StartFlowFlush');
    assert.equal(flush.errors, undefined);
    assert.equal(flush.data!.startFlowFlush.flowOperationStatus, 'IN_PROGRESS');
    const starts = gw.sim.log
      .entries()
      .filter((e) => e.operation === 'StartFlowCapture' || e.operation === 'StartFlowFlush');
    const last = starts.at(-1)!;
    assert.equal(last.operation, 'StartFlowFlush');
    assert.deepEqual(last.input.FlowFilters, [
      {
        SourceAddress: { AddressDefinition: '10.0.0.0/16' },
        DestinationAddress: { AddressDefinition: '2001:db8::/64' },
        SourcePort: 'ANY',
        DestinationPort: '1990:1994',
        Protocols: ['6', '17'],
      },
    ]);
    assert.equal(last.input.MinimumFlowAgeInSeconds, 60);
  });
});
