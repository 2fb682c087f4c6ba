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

  it('says UPSTREAM_ERROR for 5xx, dropped connections and hung requests, without internals', async () => {
    for (const fault of [{ errorNext: 10 }, { dropNext: 10 }, { hangNext: 10 }]) {
      gw.sim.faults.reset();
      gw.sim.faults.set(fault);
      const started = Date.now();
      const res = await gw.gql(QUERY);
      const elapsed = Date.now() - started;
      const error = res.errors?.[0];
      assert.equal(
        error?.extensions?.code,
        'UPSTREAM_ERROR',
        `${JSON.stringify(fault)}: ${JSON.stringify(res.errors)}`,
      );
      assert.equal(error?.extensions?.stacktrace, undefined);
      assert.doesNotMatch(error.message, /node_modules|at .*\(.*:\d+:\d+\)/);
      // Three attempts of at most 300 ms each plus backoff: never a hang.
      assert.ok(elapsed < 5000, `${JSON.stringify(fault)} took ${elapsed} ms`);
    }
  });

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
