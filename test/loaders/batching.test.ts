import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

describe('per-request DataLoader batching, counted on the simulator request log', () => {
  let gw: TestGateway;
  let ids: string[];

  before(async () => {
    // Per-request batching alone: the process-wide terminal cache would answer repeats for free.
    gw = await startGateway({ CACHE_MAX_ENTRIES: '0' });
    const res = await gw.gql<{
      flowOperations: { edges: { node: { flowOperationId: string } }[] };
    }>(
      `query($arn: String!, $az: String) { flowOperations(firewallArn: $arn, availabilityZone: $az, first: 100) { edges { node { flowOperationId } } } }`,
      { arn: DEMO_ARN, az: DEMO_AZ },
    );
    ids = res.data!.flowOperations.edges.map((e) => e.node.flowOperationId);
    assert.ok(ids.length >= 3, 'the demo zone has at least three operations');
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  it('makes exactly one DescribeFlowOperation per unique operation, however many aliases and fields ask', async () => {
    const unique = ids.slice(0, 3);
    // 30 aliases over 3 operations, each alias asking a different mix of fields.
    const fields = [
      'flowOperationStatus',
      'statusMessage',
      'flowFilters { sourcePort }',
      'minimumFlowAgeInSeconds',
      'flowRequestTimestamp flowOperationType',
    ];
    const aliases = Array.from({ length: 30 }, (_, i) => {
      const id = unique[i % unique.length];
      return `a${i}: flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${id}") { flowOperationId ${fields[i % fields.length]} }`;
    });
    const res = await gw.gql(`{ ${aliases.join('\n')} }`);
    assert.equal(res.errors, undefined);
    assert.equal(Object.keys(res.data!).length, 30);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), unique.length);
  });

  it('list items load missing fields with one describe each, and none for fields the list already carries', async () => {
    const cheap = await gw.gql(
      `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 5) { edges { node { flowOperationId flowOperationType flowOperationStatus flowRequestTimestamp availabilityZone firewallArn } } } }`,
    );
    assert.equal(cheap.errors, undefined);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 1);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 0);

    gw.sim.log.clear();
    const rich = await gw.gql<{ a: { edges: unknown[] }; b: { edges: unknown[] } }>(
      `{ a: flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 5) { edges { node { statusMessage flowFilters { protocols } } } }
         b: flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 5) { edges { node { minimumFlowAgeInSeconds } } } }`,
    );
    assert.equal(rich.errors, undefined);
    assert.equal(rich.data!.a.edges.length, 5);
    // Two aliases of the same page share one list call, and five operations cost five describes.
    assert.equal(gw.sim.log.count('ListFlowOperations'), 1);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 5);
  });

  it('a missing operation fails only its own fields', async () => {
    const res = await gw.gql<Record<string, { flowOperationStatus: string } | null>>(
      `{ good: flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${ids[0]}") { flowOperationStatus }
         bad: flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "00000000-0000-0000-0000-000000000000") { flowOperationStatus } }`,
    );
    assert.ok(res.data!.good?.flowOperationStatus);
    assert.equal(res.data!.bad, null);
    assert.equal(res.errors?.length, 1);
    assert.deepEqual(res.errors?.[0]?.path, ['bad']);
    assert.equal(res.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.ok(res.errors?.[0]?.extensions?.awsRequestId, 'the AWS request id is passed on');
  });

  it('caps concurrent describes at AWS_MAX_CONCURRENCY', async () => {
    const capped = await startGateway({ AWS_MAX_CONCURRENCY: '2' });
    try {
      // The latency holds each call at the simulator, so that uncapped calls would all overlap.
      capped.sim.faults.set({ latencyMs: 200 });
      const list = await capped.gql<{
        flowOperations: { edges: { node: { flowOperationId: string } }[] };
      }>(
        `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 6) { edges { node { flowOperationId } } } }`,
      );
      capped.sim.log.clear();
      const aliases = list.data!.flowOperations.edges.map(
        (e, i) =>
          `o${i}: flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${e.node.flowOperationId}") { flowOperationStatus }`,
      );
      const res = await capped.gql(`{ ${aliases.join(' ')} }`);
      assert.equal(res.errors, undefined);
      const entries = capped.sim.log
        .entries()
        .filter((e) => e.operation === 'DescribeFlowOperation');
      assert.equal(entries.length, 6);
      // The simulator's count of calls open at each arrival: never more than two at once.
      const open = entries.map((e) => e.inFlight);
      assert.ok(
        open.every((n) => n <= 2),
        `calls open at each arrival: ${open.join(', ')}`,
      );
    } finally {
      await capped.close();
    }
  });
});
