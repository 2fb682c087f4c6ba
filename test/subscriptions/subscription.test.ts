import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'graphql-ws';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { scrapeSample } from '../helpers/metrics.js';

const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationId flowOperationStatus statusMessage flowOperationType minimumFlowAgeInSeconds
  }
}`;

interface Event {
  flowOperationStatusChanged: {
    flowOperationId: string;
    flowOperationStatus: string;
    statusMessage: string | null;
  };
}

/** DescribeFlowOperation calls the simulator received for one operation (each poll of it makes one). */
function describeCalls(gw: TestGateway, id: string): number {
  return gw.sim.log
    .entries()
    .filter((e) => e.operation === 'DescribeFlowOperation' && e.input.FlowOperationId === id)
    .length;
}

/** Calls the simulator received of one operation, with their answer when answered. */
function callsOf(gw: TestGateway, operation: string) {
  return gw.sim.log.entries().filter((e) => e.operation === operation);
}

/** Subscribes and resolves with the disposer once the first event has arrived. */
function subscribeFirst(client: Client, id: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe(
      { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
      { next: () => resolve(dispose), error: reject, complete: () => {} },
    );
  });
}

describe('flowOperationStatusChanged over graphql-ws', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', POLL_INTERVAL_MS: '100' });
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });

  it('pushes each change of status or message once, then the final status, then completes', async () => {
    const id = await gw.startCapture();
    const client = gw.wsClient();
    let step = 0;
    const sub = await subscribeAll<Event>(
      client,
      SUB,
      { arn: DEMO_ARN, az: DEMO_AZ, id },
      {
        onNext: () => {
          step++;
          if (step > 2) return;
          // Let three unchanged polls pass before each change, to prove no duplicates are pushed.
          const polled = describeCalls(gw, id);
          void waitFor(() => describeCalls(gw, id) >= polled + 3 || undefined).then(() => {
            if (step === 1) gw.sim.control.setStatusMessage(id, 'Capturing flows');
            if (step === 2)
              gw.sim.control.completeOperation(id, 'COMPLETED_WITH_ERRORS', 'Flow operation error');
          });
        },
      },
    );
    assert.equal(sub.error, undefined);
    assert.deepEqual(
      sub.results.map((r) => [
        r.data?.flowOperationStatusChanged.flowOperationStatus,
        r.data?.flowOperationStatusChanged.statusMessage,
      ]),
      [
        ['IN_PROGRESS', null],
        ['IN_PROGRESS', 'Capturing flows'],
        ['COMPLETED_WITH_ERRORS', 'Flow operation error'],
      ],
    );
  });

  it('polls once per tick for many subscribers on one operation, and stops when they leave', async () => {
    const id = await gw.startCapture();
    gw.sim.log.clear();
    const client = gw.wsClient();
    const events: number[] = Array.from({ length: 50 }, () => 0);
    const disposers = events.map((_, i) =>
      client.subscribe(
        { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
        {
          next: () => {
            events[i]!++;
          },
          error: () => {},
          complete: () => {},
        },
      ),
    );
    await waitFor(() => events.every((n) => n >= 1) || undefined);
    // Polls of this one topic, counted by the poller itself (one lag sample per poll after the first).
    const ticks = () => scrapeSample(gw.metricsUrl, 'gateway_poll_lag_seconds_count');
    const calls = () => describeCalls(gw, id);
    const [t0, c0] = [await ticks(), calls()];
    await waitFor(async () => (await ticks()) >= t0 + 10 || undefined, 10_000);
    const [t1, c1] = [await ticks(), calls()];
    // Fifty subscribers, one call per tick (give or take the one a tick may have in flight).
    assert.ok(Math.abs(c1 - c0 - (t1 - t0)) <= 1, `${c1 - c0} calls in ${t1 - t0} ticks`);
    assert.ok(
      events.every((n) => n === 1),
      'no duplicate pushes',
    );

    for (const dispose of disposers) dispose();
    await waitFor(
      async () => (await scrapeSample(gw.metricsUrl, 'gateway_poller_watches')) === 0 || undefined,
    );
    // A sentinel: another operation's subscription polls a few ticks; the first one got none.
    const settled = calls();
    const other = await gw.startCapture();
    const sentinel = client.subscribe(
      { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id: other } },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    const t2 = await ticks();
    await waitFor(async () => (await ticks()) >= t2 + 3 || undefined);
    sentinel();
    assert.equal(calls(), settled, 'polling stopped');
  });

  it(
    'a late subscriber gets the current state at once without an extra AWS call',
    { timeout: 60_000 },
    async () => {
      // An interval longer than any run of this test: no tick comes while it runs, so a late
      // subscriber that waited for one would never be answered (the test's timeout is the net).
      const slow = await startGateway({
        SIMULATOR_OPERATION_DELAY_MS: '600000',
        POLL_INTERVAL_MS: '600000',
      });
      try {
        const id = await slow.startCapture();
        const client = slow.wsClient();
        const first = await subscribeFirst(client, id);
        const ticks = () => scrapeSample(slow.metricsUrl, 'gateway_poll_lag_seconds_count');
        const [ticksBefore, callsBefore] = [
          await ticks(),
          slow.sim.log.count('DescribeFlowOperation'),
        ];
        const late = await subscribeFirst(client, id);
        assert.equal(await ticks(), ticksBefore, 'answered without a tick of the poller');
        assert.equal(
          slow.sim.log.count('DescribeFlowOperation'),
          callsBefore,
          'no AWS call of its own',
        );
        first();
        late();
      } finally {
        await slow.close();
      }
    },
  );

  it('ends with NOT_FOUND for an unknown operation and BAD_USER_INPUT for a bad argument', async () => {
    const client = gw.wsClient();
    const missing = await subscribeAll(client, SUB, {
      arn: DEMO_ARN,
      az: DEMO_AZ,
      id: '00000000-0000-0000-0000-000000000000',
    });
    const missingErrors =
      missing.results[0]?.errors ?? (missing.error as { extensions?: unknown }[] | undefined);
    assert.equal(
      (missingErrors as { extensions?: { code?: string } }[])?.[0]?.extensions?.code,
      'NOT_FOUND',
    );

    gw.sim.log.clear();
    const bad = await subscribeAll(client, SUB, { arn: 'arn:nope', az: DEMO_AZ, id: 'x' });
    const badErrors =
      bad.results[0]?.errors ?? (bad.error as { extensions?: unknown }[] | undefined);
    assert.equal(
      (badErrors as { extensions?: { code?: string } }[])?.[0]?.extensions?.code,
      'BAD_USER_INPUT',
    );
    assert.equal(gw.sim.log.count(), 0);
  });

  it('rides out transient upstream failures, then ends with UPSTREAM_ERROR after POLL_MAX_FAILURES', async () => {
    const id = await gw.startCapture();
    const client = gw.wsClient();
    const results: string[] = [];
    const outcome = new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
        {
          next: (v) => {
            results.push(
              String((v.data as Event | undefined)?.flowOperationStatusChanged.flowOperationStatus),
            );
            if (results.length === 1) {
              // A short throttling burst is absorbed (SDK retries, then poller backoff) ...
              gw.sim.faults.set({ throttleNext: 4, operations: ['DescribeFlowOperation'] });
              // Completed once the four throttles have been answered, so the poller saw them.
              void waitFor(
                () =>
                  callsOf(gw, 'DescribeFlowOperation').filter(
                    (e) => e.status !== 0 && e.errorType !== undefined,
                  ).length >= 4 || undefined,
              ).then(() => gw.sim.control.completeOperation(id, 'COMPLETED'));
            }
          },
          error: resolve,
          complete: () => resolve('complete'),
        },
      );
    });
    assert.equal(await outcome, 'complete');
    assert.deepEqual(results, ['IN_PROGRESS', 'COMPLETED']);

    // ... but an upstream that stays down ends the subscription with a clear error.
    const failing = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      POLL_INTERVAL_MS: '50',
      POLL_MAX_FAILURES: '2',
      AWS_MAX_ATTEMPTS: '1',
    });
    try {
      const failId = await failing.startCapture();
      const fc = failing.wsClient();
      const sub = await subscribeAll<Event>(
        fc,
        SUB,
        { arn: DEMO_ARN, az: DEMO_AZ, id: failId },
        {
          onNext: () => failing.sim.faults.set({ errorNext: 1000 }),
        },
      );
      assert.equal(sub.results.length, 1);
      const errors = sub.error as { extensions?: { code?: string } }[];
      assert.equal(errors?.[0]?.extensions?.code, 'UPSTREAM_ERROR');
    } finally {
      await failing.close();
    }
  });

  it('closes websockets with 1001 on shutdown', async () => {
    const other = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(other.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((r) => socket.once('message', r));
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    await other.close();
    assert.equal(await closed, 1001);
  });
});

describe('flowOperationEvents over graphql-ws', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', POLL_INTERVAL_MS: '100' });
  });
  after(() => gw.close());

  const EVENTS = `subscription($arn: String!, $az: String) {
    flowOperationEvents(firewallArn: $arn, availabilityZone: $az) {
      flowOperationId flowOperationType flowOperationStatus statusMessage flowFilters { destinationPort }
    }
  }`;

  it('pushes new operations and their status changes in a zone, with lazily loaded fields fresh per event', async () => {
    const client = gw.wsClient();
    const events: {
      id: string;
      type: string;
      status: string;
      message: string | null;
      port: string | null;
    }[] = [];
    const dispose = client.subscribe(
      { query: EVENTS, variables: { arn: DEMO_ARN, az: DEMO_AZ } },
      {
        next: (v) => {
          const op = (v.data as { flowOperationEvents: Record<string, unknown> })
            .flowOperationEvents;
          events.push({
            id: String(op.flowOperationId),
            type: String(op.flowOperationType),
            status: String(op.flowOperationStatus),
            message: (op.statusMessage as string | null) ?? null,
            port:
              (op.flowFilters as { destinationPort: string | null }[])[0]?.destinationPort ?? null,
          });
        },
        error: () => {},
        complete: () => {},
      },
    );
    // The subscription establishes its baseline with its first poll; nothing is pushed for history.
    // Two polls after the first: their answers, unchanged, were not pushed either.
    await waitFor(() => (gw.sim.log.count('ListFlowOperations') >= 3 ? true : undefined));
    assert.deepEqual(events, []);

    const start = await gw.gql<{ startFlowFlush: { flowOperationId: string } }>(
      `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId } }`,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '8443' }],
        },
      },
    );
    const id = start.data!.startFlowFlush.flowOperationId;
    await waitFor(() => (events.length >= 1 ? true : undefined));
    gw.sim.control.completeOperation(id, 'FAILED', 'Flow timeout');
    await waitFor(() => (events.length >= 2 ? true : undefined));
    // Two more polls of the unchanged zone push nothing more.
    const listed = gw.sim.log.count('ListFlowOperations');
    await waitFor(() => (gw.sim.log.count('ListFlowOperations') >= listed + 2 ? true : undefined));
    dispose();
    assert.deepEqual(events, [
      { id, type: 'FLOW_FLUSH', status: 'IN_PROGRESS', message: null, port: '8443' },
      { id, type: 'FLOW_FLUSH', status: 'FAILED', message: 'Flow timeout', port: '8443' },
    ]);
  });

  it('refuses a bad firewall ARN with BAD_USER_INPUT', async () => {
    const client = gw.wsClient();
    const res = await subscribeAll(client, EVENTS, { arn: 'nope', az: DEMO_AZ });
    const errors = res.results[0]?.errors ?? (res.error as { extensions?: unknown }[] | undefined);
    assert.equal(
      (errors as { extensions?: { code?: string } }[])?.[0]?.extensions?.code,
      'BAD_USER_INPUT',
    );
  });
});
