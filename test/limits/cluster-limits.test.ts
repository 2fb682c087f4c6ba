import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, unknownOperationsQuery, waitFor } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';

const CHEAP = '{ __typename }';

async function codeOf(gw: TestGateway, query: string): Promise<string> {
  const res: GraphQLResponse = await gw.gql(query);
  if (res.status === 429) return `429 ${String(res.errors?.[0]?.extensions?.cost ?? 'requests')}`;
  return String(res.status);
}

async function redisState(gw: TestGateway): Promise<string | undefined> {
  const res = await fetch(gw.url.replace(/\/graphql$/, '/readyz'));
  return ((await res.json()) as { redis?: string }).redis;
}

describe('cluster mode: limits shared by replicas through Redis', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let a: TestGateway;
  let b: TestGateway;

  before(async () => {
    redis = await startRedis();
    // Two replicas in one process, each with its own embedded simulator, sharing only Redis; the
    // caller is the same client address (AUTH_MODE=none) at both.
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: '3',
      UPSTREAM_CALLS_PER_MINUTE: '150',
      // A hundred calls at once on a loaded machine: a 1 s timeout retried one, and counted 101.
      AWS_REQUEST_TIMEOUT_MS: '10000',
    };
    a = await startGateway(env);
    b = await startGateway(env);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
  });

  it('counts requests and AWS calls once for the cluster: the 4th request is refused at either replica', async () => {
    assert.equal(await codeOf(a, unknownOperationsQuery(1)), '200');
    assert.equal(await codeOf(b, unknownOperationsQuery(100)), '200');
    // The third request fits the request limit, but 101 + 100 calls are over the budget of 150.
    assert.equal(await codeOf(a, unknownOperationsQuery(100)), '429 100');
    assert.equal(a.sim.log.count(), 1);
    assert.equal(b.sim.log.count(), 100);
    assert.equal(await codeOf(b, CHEAP), '429 requests');
    assert.equal(await codeOf(a, CHEAP), '429 requests');
  });

  // Before the fix, a request waited on the shared limit, and close() on QUIT, for as long as Redis
  // stalled: the bound turns those hangs into failures. A third replica, so the others keep Redis.
  it(
    'answers, reports Redis down and shuts down while Redis stalls (connected, never answering)',
    { timeout: 20_000 },
    async () => {
      const c = await startGateway({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '100' });
      await waitFor(async () => (await redisState(c)) === 'up');
      redis.freeze(true);
      let closed = false;
      try {
        // The shared limit does not answer: the replica's own limit decides.
        assert.equal(await codeOf(c, CHEAP), '200');
        // Its connection is still up, but /readyz asks Redis rather than trust that.
        assert.equal(await redisState(c), 'down');
        await c.close();
        closed = true;
      } finally {
        redis.freeze(false);
        if (!closed) await c.close();
      }
    },
  );

  it('falls back to a limit per replica while Redis is away', async () => {
    await redis.kill();
    await waitFor(async () => (await redisState(a)) === 'down' && (await redisState(b)) === 'down');
    for (const gw of [a, b]) {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push(await codeOf(gw, CHEAP));
      assert.deepEqual(codes, ['200', '200', '200', '429 requests']);
    }
  });

  // Before the fix, close() never settled: the bound only turns that hang into a failure.
  it(
    'shuts down while Redis is away (a QUIT would wait for Redis to come back)',
    { timeout: 20_000 },
    async () => {
      assert.equal(await redisState(a), 'down');
      await Promise.all([a.close(), b.close()]);
    },
  );
});
