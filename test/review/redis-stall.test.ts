import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/redis.js';

// FAILS on 0cb5417: the limiters' `rejectIfRedisNotReady` only covers a Redis that is known to be
// down. A Redis that stops answering while its connection stays up (SIGSTOP here; a partition or
// a saturated server in production) keeps ioredis 'ready' and, with no commandTimeout, every
// request waits on its rate-limit token: the whole gateway hangs, /graphql and websockets alike.
describe('review: Redis that stops answering', () => {
  let gw: TestGateway;
  let redis: ReturnType<typeof spawn>;
  before(async () => {
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const probe = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        retryStrategy: () => null,
      });
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        break;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    gw = await startGateway({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      RATE_LIMIT_PER_MINUTE: '600',
    });
  });
  after(async () => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
    await gw.close();
  });

  it(
    'still answers a query within 5 s while Redis is stalled',
    { timeout: 20_000, todo: 'FAILS on 0cb5417: no answer; /readyz says ready' },
    async () => {
      assert.equal((await gw.gql('{ __typename }')).status, 200);
      redis.kill('SIGSTOP');
      const started = Date.now();
      const outcome = await Promise.race([
        gw.gql('{ __typename }').then((r) => `status ${r.status}`),
        new Promise<string>((r) => setTimeout(r, 5000, 'no answer')),
      ]);
      const ms = Date.now() - started;
      const ready = await fetch(new URL('/readyz', gw.url));
      console.log(
        `with Redis stalled: ${outcome} after ${ms} ms; /readyz ${ready.status} ${await ready.text()}`,
      );
      redis.kill('SIGCONT');
      assert.equal(outcome, 'status 200');
    },
  );
});
