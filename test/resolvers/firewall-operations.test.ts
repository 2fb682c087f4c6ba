import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, startGateway } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

interface Op {
  flowOperationId: string;
  availabilityZone: string;
  flowRequestTimestamp: string;
}

interface Page {
  edges: { cursor: string; node: Op }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const EVERY_ZONE = `query($first: Int, $after: String, $type: FlowOperationType) {
  firewall(firewallArn: "${DEMO_ARN}") {
    flowOperations(first: $first, after: $after, flowOperationType: $type) {
      edges { cursor node { flowOperationId availabilityZone flowRequestTimestamp } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const ONE_ZONE = `query($az: String!, $type: FlowOperationType) {
  flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: $az, first: 100, flowOperationType: $type) {
    edges { node { flowOperationId availabilityZone flowRequestTimestamp } }
  }
}`;

type EveryZone = { firewall: { flowOperations: Page | null } | null };

describe('Firewall.flowOperations without a zone: every zone, merged newest first', () => {
  let gw: TestGateway;
  /** Every operation of the demo firewall, per zone, as the one-zone listing gives them. */
  let byZone: Map<string, Op[]>;
  /** What the merged list must be: all zones, newest first, ties in zone order. */
  let merged: Op[];

  const everyZone = (variables: Record<string, unknown>) =>
    gw.gql<EveryZone>(EVERY_ZONE, variables);
  const ids = (res: GraphQLResponse<EveryZone>) =>
    res.data?.firewall?.flowOperations?.edges.map((e) => e.node.flowOperationId);
  const time = (op: Op) => Date.parse(op.flowRequestTimestamp);
  const mergeOf = (zones: Op[][]) =>
    zones
      .flatMap((ops, zone) => ops.map((op, index) => ({ op, zone, index })))
      .sort((a, b) => time(b.op) - time(a.op) || a.zone - b.zone || a.index - b.index)
      .map((x) => x.op);

  before(async () => {
    gw = await startGateway();
    byZone = new Map();
    for (const az of ZONES) {
      const res = await gw.gql<{ flowOperations: { edges: { node: Op }[] } }>(ONE_ZONE, { az });
      assert.equal(res.errors, undefined);
      byZone.set(
        az,
        res.data!.flowOperations.edges.map((e) => e.node),
      );
    }
    merged = mergeOf(ZONES.map((az) => byZone.get(az)!));
    assert.ok(merged.length >= 12, 'the demo firewall has a history in each zone');
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });

  it('returns the newest operations of all zones in one page: one ListFlowOperations per zone', async () => {
    const res = await everyZone({ first: 5 });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(
      ids(res),
      merged.slice(0, 5).map((op) => op.flowOperationId),
    );
    assert.ok(
      new Set(res.data!.firewall!.flowOperations!.edges.map((e) => e.node.availabilityZone)).size >
        1,
      'the first page mixes zones',
    );
    assert.equal(res.data!.firewall!.flowOperations!.pageInfo.hasNextPage, true);
    // The firewall's DescribeFirewall (for its zones) is the one `firewall` made already.
    assert.equal(gw.sim.log.count('DescribeFirewall'), 1);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3);
    assert.deepEqual(
      gw.sim.log
        .entries()
        .filter((e) => e.operation === 'ListFlowOperations')
        .map((e) => [e.input.AvailabilityZone, e.input.MaxResults])
        .sort(),
      ZONES.map((az) => [az, 5]),
    );
    assert.equal(gw.sim.log.count(), 4);
  });

  it('pages through every operation exactly once, page after page', async () => {
    const seen: string[] = [];
    let afterCursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await everyZone({ first: 4, after: afterCursor });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const page = res.data!.firewall!.flowOperations!;
      seen.push(...page.edges.map((e) => e.node.flowOperationId));
      if (!page.pageInfo.hasNextPage) break;
      afterCursor = page.pageInfo.endCursor;
    }
    assert.deepEqual(
      seen,
      merged.map((op) => op.flowOperationId),
    );
  });

  it('resumes after any edge, not only the last of a page', async () => {
    const first = await everyZone({ first: 7 });
    const edges = first.data!.firewall!.flowOperations!.edges;
    const res = await everyZone({ first: 6, after: edges[2]!.cursor });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(
      ids(res),
      merged.slice(3, 9).map((op) => op.flowOperationId),
    );
  });

  it('filters by type in every zone', async () => {
    const res = await everyZone({ first: 100, type: 'FLOW_FLUSH' });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const flushes: Op[][] = [];
    for (const az of ZONES) {
      const one = await gw.gql<{ flowOperations: { edges: { node: Op }[] } }>(ONE_ZONE, {
        az,
        type: 'FLOW_FLUSH',
      });
      flushes.push(one.data!.flowOperations.edges.map((e) => e.node));
    }
    assert.deepEqual(
      ids(res),
      mergeOf(flushes).map((op) => op.flowOperationId),
    );
  });

  it('a failing zone is reported at the field, beside the other zones’ operations', async () => {
    // AccessDenied is not retried: the first of the three concurrent listings fails, once.
    gw.sim.faults.set({ denyNext: 1, operations: ['ListFlowOperations'] });
    const res = await everyZone({ first: 5 });
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3);
    assert.equal(res.errors?.length, 1, JSON.stringify(res.errors));
    const error = res.errors[0]!;
    assert.deepEqual(error.path, ['firewall', 'flowOperations']);
    assert.equal(error.extensions?.code, 'UPSTREAM_ERROR');
    const failed = error.extensions?.availabilityZone as string;
    assert.ok(ZONES.includes(failed), failed);
    const others = mergeOf(ZONES.filter((az) => az !== failed).map((az) => byZone.get(az)!));
    assert.deepEqual(
      ids(res),
      others.slice(0, 5).map((op) => op.flowOperationId),
    );

    // The failed zone is left out of the cursors: the next page goes on with the others only,
    // though the zone answers again.
    const next = await everyZone({
      first: 100,
      after: res.data!.firewall!.flowOperations!.pageInfo.endCursor,
    });
    assert.equal(next.errors, undefined, JSON.stringify(next.errors));
    assert.deepEqual(
      ids(next),
      others.slice(5).map((op) => op.flowOperationId),
    );
  });

  it('when every zone fails, the field is null with one error, as a one-zone listing', async () => {
    gw.sim.faults.set({ denyNext: 3, operations: ['ListFlowOperations'] });
    const res = await everyZone({ first: 5 });
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3);
    assert.ok(res.data?.firewall, 'the firewall itself is intact');
    assert.equal(res.data.firewall.flowOperations, null);
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [[['firewall', 'flowOperations'], 'UPSTREAM_ERROR']],
    );
  });

  it('a cursor of the merged list is refused by a one-zone list, before any AWS call', async () => {
    const res = await everyZone({ first: 2 });
    const cursor = res.data!.firewall!.flowOperations!.pageInfo.endCursor;
    gw.sim.log.clear();
    const crossed = await gw.gql(
      `query($after: String) { flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "us-east-1a", after: $after) { edges { cursor } } }`,
      { after: cursor },
    );
    assert.equal(crossed.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(crossed.errors?.[0]?.extensions?.argumentPath, 'after');
    assert.equal(gw.sim.log.count(), 0);
  });
});
