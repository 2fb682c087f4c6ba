import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const DESCRIBE = `query Op($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationId flowOperationStatus statusMessage
  }
}`;
const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

interface OpResult {
  flowOperation: { flowOperationId: string; flowOperationStatus: string } | null;
}

async function startCapture(gw: TestGateway): Promise<string> {
  const res = await gw.gql<{ startFlowCapture: { flowOperationId: string } }>(
    `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
    {
      input: {
        firewallArn: DEMO_ARN,
        availabilityZone: DEMO_AZ,
        flowFilters: [{ sourceAddress: { addressDefinition: '10.0.0.0/8' } }],
      },
    },
  );
  assert.equal(res.errors, undefined);
  return res.data!.startFlowCapture.flowOperationId;
}

describe('process-wide coalescing and caching, counted on the simulator request log', () => {
  let gw: TestGateway;
  let completedId: string;

  before(async () => {
    // Operations stay IN_PROGRESS until a test completes them; polls are slow enough to time.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', POLL_INTERVAL_MS: '1000' });
    completedId = gw.sim.control
      .operations(DEMO_ARN)
      .find(
        (o) => o.availabilityZone === DEMO_AZ && o.flowOperationStatus === 'COMPLETED',
      )!.flowOperationId;
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });

  it('20 concurrent requests for one IN_PROGRESS operation make far fewer than 20 describes', async () => {
    const id = await startCapture(gw);
    gw.sim.log.clear();
    // The first describe is answered late enough that all twenty, sent at once, find it in flight
    // even on a loaded machine (50 ms let requests that arrived later make calls of their own).
    gw.sim.faults.set({ latencyMs: 500 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id }),
      ),
    );
    for (const r of results) {
      assert.equal(r.errors, undefined);
      assert.equal(r.data!.flowOperation!.flowOperationStatus, 'IN_PROGRESS');
    }
    const describes = gw.sim.log.count('DescribeFlowOperation');
    assert.ok(
      describes >= 1 && describes <= 5,
      `expected a handful of describes, got ${describes}`,
    );

    // Not cached: once nothing is in flight, the next request asks AWS again.
    await gw.gql(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), describes + 1);
  });

  it('100 requests for one COMPLETED operation make one describe', async () => {
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id: completedId }),
        ),
      );
      for (const r of results)
        assert.equal(r.data!.flowOperation!.flowOperationStatus, 'COMPLETED');
    }
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
  });

  it("a query for a watched operation shares the poller's call in flight", async () => {
    const id = await startCapture(gw);
    gw.sim.faults.set({ latencyMs: 300, operations: ['DescribeFlowOperation'] });
    gw.sim.log.clear();
    const client = gw.wsClient();
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
        {
          next: (v) =>
            seen.push(
              (v.data as { flowOperationStatusChanged: { flowOperationStatus: string } })
                .flowOperationStatusChanged.flowOperationStatus,
            ),
          error: reject,
          complete: resolve,
        },
      );
    });
    // The simulator logs a request on arrival: the poll's describe is now in flight for 300 ms.
    await waitFor(() => (gw.sim.log.count('DescribeFlowOperation') === 1 ? true : undefined));
    const res = await gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
    assert.equal(res.data!.flowOperation!.flowOperationStatus, 'IN_PROGRESS');
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1, 'the query made no call of its own');

    gw.sim.faults.reset();
    gw.sim.control.completeOperation(id, 'COMPLETED');
    await done;
    assert.deepEqual(seen, ['IN_PROGRESS', 'COMPLETED']);
    // The poll that saw COMPLETED filled the cache, so a query afterwards needs no call.
    const polled = gw.sim.log.count('DescribeFlowOperation');
    const after = await gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
    assert.equal(after.data!.flowOperation!.flowOperationStatus, 'COMPLETED');
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), polled);
  });

  it('a throttled shared call gives every waiter THROTTLED, and is not cached', async () => {
    const id = gw.sim.control
      .operations(DEMO_ARN)
      .find(
        (o) => o.availabilityZone === DEMO_AZ && o.flowOperationStatus === 'FAILED',
      )!.flowOperationId;
    gw.sim.faults.set({ latencyMs: 50, throttleNext: 3, operations: ['DescribeFlowOperation'] });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id }),
      ),
    );
    for (const r of results) assert.equal(r.errors?.[0]?.extensions?.code, 'THROTTLED');
    assert.equal(
      gw.sim.log.count('DescribeFlowOperation'),
      3,
      'one call, AWS_MAX_ATTEMPTS attempts',
    );

    const retry = await gw.gql<OpResult>(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
    assert.equal(retry.data!.flowOperation!.flowOperationStatus, 'FAILED');
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 4);
  });

  it('a new operation shows in the list right after its start, even with a list in flight', async () => {
    const LIST = `query($arn: String!, $az: String) { flowOperations(firewallArn: $arn, availabilityZone: $az, first: 3) { edges { node { flowOperationId } } } }`;
    gw.sim.faults.set({ latencyMs: 200, operations: ['ListFlowOperations'] });
    const inFlight = gw.gql(LIST, { arn: DEMO_ARN, az: DEMO_AZ });
    await waitFor(() => (gw.sim.log.count('ListFlowOperations') === 1 ? true : undefined));
    const id = await startCapture(gw);
    const res = await gw.gql<{
      flowOperations: { edges: { node: { flowOperationId: string } }[] };
    }>(LIST, { arn: DEMO_ARN, az: DEMO_AZ });
    await inFlight;
    assert.equal(res.data!.flowOperations.edges[0]?.node.flowOperationId, id);
  });
});

describe('caching configuration through the gateway', () => {
  it('CACHE_MAX_ENTRIES=0 turns the terminal cache off', async () => {
    const gw = await startGateway({ CACHE_MAX_ENTRIES: '0' });
    try {
      const id = gw.sim.control
        .operations(DEMO_ARN)
        .find(
          (o) => o.availabilityZone === DEMO_AZ && o.flowOperationStatus === 'COMPLETED',
        )!.flowOperationId;
      for (let i = 0; i < 3; i++) await gw.gql(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
      assert.equal(gw.sim.log.count('DescribeFlowOperation'), 3);
    } finally {
      await gw.close();
    }
  });

  it('CACHE_IN_PROGRESS_TTL_MS answers repeats of a running operation from the cache', async () => {
    const gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      CACHE_IN_PROGRESS_TTL_MS: '60000',
    });
    try {
      const id = await startCapture(gw);
      gw.sim.log.clear();
      for (let i = 0; i < 5; i++) await gw.gql(DESCRIBE, { arn: DEMO_ARN, az: DEMO_AZ, id });
      assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    } finally {
      await gw.close();
    }
  });
});
