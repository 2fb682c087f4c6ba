import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const QUERY = `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 1) { edges { node { flowOperationId } } } }`;

describe('upstream faults through the real SDK retry policy', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ AWS_MAX_ATTEMPTS: '3', AWS_REQUEST_TIMEOUT_MS: '300' });
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });

  it('retries throttling and succeeds when it passes', async () => {
    gw.sim.faults.set({ throttleNext: 2 });
    const res = await gw.gql(QUERY);
    assert.equal(res.errors, undefined);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3);
  });

  it('says THROTTLED with the AWS request id after max attempts', async () => {
    gw.sim.faults.set({ throttleNext: 10 });
    const res = await gw.gql(QUERY);
    assert.equal(res.status, 200);
    assert.equal(res.errors?.[0]?.extensions?.code, 'THROTTLED');
    assert.equal(res.errors?.[0]?.extensions?.awsErrorName, 'ThrottlingException');
    assert.ok(res.errors?.[0]?.extensions?.awsRequestId);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3, 'exactly AWS_MAX_ATTEMPTS calls');
  });

  // The timeout is only a safety net against a hang; the checks say which deadline fired.
  it(
    'says UPSTREAM_ERROR for 5xx, dropped connections and hung requests, without internals',
    { timeout: 60_000 },
    async () => {
      const faults = [
        { fault: { errorNext: 10 }, message: /AWS failed .*\(InternalServerError\)/ },
        // The SDK reports a socket cut before any answer like a timed-out one.
        { fault: { dropNext: 10 }, message: /AWS did not answer .* in time/ },
        // AWS_REQUEST_TIMEOUT_MS cut each hung attempt: without it the first one never ends.
        { fault: { hangNext: 10 }, message: /AWS did not answer .* in time/ },
      ];
      for (const { fault, message } of faults) {
        gw.sim.faults.reset();
        gw.sim.log.clear();
        gw.sim.faults.set(fault);
        const res = await gw.gql(QUERY);
        const error = res.errors?.[0];
        assert.equal(
          error?.extensions?.code,
          'UPSTREAM_ERROR',
          `${JSON.stringify(fault)}: ${JSON.stringify(res.errors)}`,
        );
        assert.equal(error?.extensions?.stacktrace, undefined);
        assert.doesNotMatch(error.message, /node_modules|at .*\(.*:\d+:\d+\)/);
        assert.match(error.message, message, JSON.stringify(fault));
        // Each attempt was given up (answered, cut or timed out) and retried: never a hang.
        assert.equal(gw.sim.log.count('ListFlowOperations'), 3, JSON.stringify(fault));
        assert.ok(
          gw.sim.log
            .entries()
            .every((e) => e.operation !== 'ListFlowOperations' || e.status !== 200),
        );
      }
    },
  );

  it('answers /healthz always and /readyz only while the backend answers', async () => {
    const base = gw.url.replace(/\/graphql$/, '');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
  });
});

describe('readiness when the backend is down', () => {
  it('answers 503 on /readyz', async () => {
    const gw = await startGateway({ AWS_MAX_ATTEMPTS: '1' });
    try {
      gw.sim.faults.set({ errorNext: 100 });
      const base = gw.url.replace(/\/graphql$/, '');
      const res = await fetch(`${base}/readyz`);
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { status: string }).status, 'unavailable');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    } finally {
      await gw.close();
    }
  });
});
