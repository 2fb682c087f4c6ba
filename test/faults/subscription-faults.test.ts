import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultSpec } from '../../src/simulator/faults.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus statusMessage }
}`;

interface Event {
  flowOperationStatusChanged: { flowOperationStatus: string; statusMessage: string | null };
}

// Each fault outlasts one poll but not POLL_MAX_FAILURES of them (test/subscriptions covers
// throttling, and an upstream that stays down).
const FAULTS: [string, Partial<FaultSpec>][] = [
  ['5xx errors', { errorNext: 3 }],
  ['dropped connections', { dropNext: 3 }],
  ['hung requests', { hangNext: 2 }],
  ['a latency spike', { latencyMs: 400 }],
];

describe('subscriptions through upstream faults', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      POLL_INTERVAL_MS: '100',
      POLL_MAX_FAILURES: '5',
      AWS_MAX_ATTEMPTS: '1',
      AWS_REQUEST_TIMEOUT_MS: '300',
    });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.faults.reset());

  async function capture(): Promise<string> {
    const res = await gw.gql<{ startFlowCapture: { flowOperationId: string } }>(
      `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '443' }],
        },
      },
    );
    assert.equal(res.errors, undefined);
    return res.data!.startFlowCapture.flowOperationId;
  }

  for (const [name, fault] of FAULTS) {
    // The timeout is only a safety net against a subscription that never recovers.
    it(
      `delivers the final status once the upstream recovers from ${name}`,
      { timeout: 60_000 },
      async () => {
        const id = await capture();
        const client = gw.wsClient();
        // The last request the simulator saw before the fault: the polls after it are the fault's.
        let mark: number | undefined;
        const sub = subscribeAll<Event>(
          client,
          SUB,
          { arn: DEMO_ARN, az: DEMO_AZ, id },
          {
            onNext: (r) => {
              if (r.data?.flowOperationStatusChanged.flowOperationStatus !== 'IN_PROGRESS') return;
              mark = gw.sim.log.entries().at(-1)?.seq ?? 0;
              gw.sim.faults.set({ ...fault, operations: ['DescribeFlowOperation'] });
              gw.sim.control.completeOperation(id, 'COMPLETED_WITH_ERRORS', 'Flow operation error');
              // A latency spike passes on its own; counted faults are used up by the polls.
              if (fault.latencyMs) {
                // Over once two polls were answered late.
                const late = () =>
                  gw.sim.log
                    .entries()
                    .filter(
                      (e) =>
                        e.seq > mark! && e.operation === 'DescribeFlowOperation' && e.status !== 0,
                    ).length;
                void waitFor(() => late() >= 2 || undefined, 10_000).then(() =>
                  gw.sim.faults.reset(),
                );
              }
            },
          },
        );
        const outcome = await sub;
        assert.equal(outcome.error, undefined, `${name}: ${JSON.stringify(outcome.error)}`);
        assert.deepEqual(
          outcome.results.map((r) => r.data?.flowOperationStatusChanged),
          [
            { flowOperationStatus: 'IN_PROGRESS', statusMessage: null },
            { flowOperationStatus: 'COMPLETED_WITH_ERRORS', statusMessage: 'Flow operation error' },
          ],
        );
        // The final status came from a poll after the fault, which the polls met in full: the
        // subscription kept polling through each failure rather than ending or stalling.
        const polls = gw.sim.log
          .entries()
          .filter((e) => e.seq > mark! && e.operation === 'DescribeFlowOperation');
        const spent = fault.errorNext ?? fault.dropNext ?? fault.hangNext;
        // (A late poll the gateway gave up on may still be held: the latency case counts no failures.)
        if (spent !== undefined) {
          assert.equal(polls.filter((e) => e.status !== 200).length, spent, name);
        }
        assert.equal(polls.at(-1)?.status, 200, name);
      },
    );
  }

  it('answers queries with a clear code while the upstream fails, and serves again after', async () => {
    const query = `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 1) { edges { cursor } } }`;
    for (const fault of [{ errorNext: 1 }, { dropNext: 1 }, { hangNext: 1 }, { throttleNext: 1 }]) {
      gw.sim.faults.reset();
      gw.sim.faults.set(fault);
      const res = await gw.gql(query);
      assert.equal(res.status, 200);
      assert.ok(
        ['UPSTREAM_ERROR', 'THROTTLED'].includes(String(res.errors?.[0]?.extensions?.code)),
        `${JSON.stringify(fault)}: ${JSON.stringify(res.errors)}`,
      );
      const again = await gw.gql(query);
      assert.equal(again.errors, undefined, `${JSON.stringify(fault)}: recovered`);
    }
  });
});
