import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createSimulator } from '../../src/simulator/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { DEMO_ARN, DEMO_AZ, waitFor } from '../helpers/gateway.js';
import { startDemoCaptures } from '../helpers/start-captures.js';
import { replicaEnv, spawnGateway } from '../helpers/process.js';
import type { GatewayProcess } from '../helpers/process.js';
import { startRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';

const INTERVAL = 300;
const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus statusMessage }
}`;

interface Watcher {
  statuses: string[];
  done: Promise<unknown>;
}

function watch(client: Client, id: string): Watcher {
  const statuses: string[] = [];
  const done = new Promise<unknown>((resolve) => {
    client.subscribe(
      { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
      {
        next: (v) => {
          const op = (
            v.data as {
              flowOperationStatusChanged: {
                flowOperationStatus: string;
                statusMessage: string | null;
              };
            } | null
          )?.flowOperationStatusChanged;
          statuses.push(`${op?.flowOperationStatus}/${op?.statusMessage ?? ''}`);
        },
        error: resolve,
        complete: () => resolve('complete'),
      },
    );
  });
  return { statuses, done };
}

function describesBy(sim: Simulator, accessKeyId: string, since: number): number {
  return sim.log
    .entries()
    .filter(
      (e) =>
        e.operation === 'DescribeFlowOperation' && e.accessKeyId === accessKeyId && e.time >= since,
    ).length;
}

describe('cluster mode: two gateway processes sharing one Redis', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let sim: Simulator;
  const gateways: Record<'A' | 'B', GatewayProcess | undefined> = { A: undefined, B: undefined };
  const clients: Client[] = [];

  before(async () => {
    redis = await startRedis();
    sim = await createSimulator({ operationDelayMs: 600_000 });
    const env = (key: string) => replicaEnv(sim.url, redis.url, INTERVAL, key);
    [gateways.A, gateways.B] = await Promise.all([
      spawnGateway(env('AKIDREPLICAA')),
      spawnGateway(env('AKIDREPLICAB')),
    ]);
  });

  after(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await Promise.all([gateways.A?.kill(), gateways.B?.kill()]);
    await sim?.close();
    await redis?.kill();
  });

  function client(g: GatewayProcess): Client {
    const c = createClient({
      url: g.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    clients.push(c);
    return c;
  }

  async function startCapture(g: GatewayProcess): Promise<string> {
    const [id] = await startDemoCaptures(g.url, ['443']);
    return id!;
  }

  it('polls once per tick in total, and the survivor takes over when the polling replica dies', async () => {
    const id = await startCapture(gateways.A!);
    const watchers = [
      ...Array.from({ length: 10 }, () => watch(client(gateways.A!), id)),
      ...Array.from({ length: 10 }, () => watch(client(gateways.B!), id)),
    ];
    await waitFor(() => (watchers.every((w) => w.statuses.length >= 1) ? true : undefined), 10_000);

    // Ten polls in total: all by the lease holder, however the ticks fall.
    const t0 = Date.now();
    const polls = () => describesBy(sim, 'AKIDREPLICAA', t0) + describesBy(sim, 'AKIDREPLICAB', t0);
    await waitFor(() => (polls() >= 10 ? true : undefined), 20_000);
    const a = describesBy(sim, 'AKIDREPLICAA', t0);
    const b = describesBy(sim, 'AKIDREPLICAB', t0);
    // One lease holder at a time. The lease may move once, to the replica rendezvous hashing
    // prefers, but both replicas polling would interleave their calls (ABAB...): the poller
    // changes at most once. Read from the order of the calls, not from their spacing, which a
    // loaded machine squeezes (a slow poll's request lands late, the next one on time).
    const log = sim.log
      .entries()
      .filter((e) => e.operation === 'DescribeFlowOperation' && e.time >= t0);
    const pollers = log.map((e) => (e.accessKeyId === 'AKIDREPLICAA' ? 'A' : 'B')).join('');
    const switches = pollers.split('').filter((p, i) => i > 0 && p !== pollers[i - 1]).length;
    assert.ok(switches <= 1, `both replicas polled: ${pollers} (A=${a} B=${b})`);

    // The lease a dead holder leaves expires within two intervals (renewed by each poll), so the
    // other replica takes over that soon; read from Redis, not from the clock of this test.
    const { Redis } = await import('ioredis');
    const probe = new Redis(redis.url);
    try {
      const [lease] = await probe.keys('nfw:lease:*');
      assert.ok(lease, 'the watched operation is under a lease');
      const ttl = await probe.pttl(lease);
      assert.ok(ttl > 0 && ttl <= INTERVAL * 2, `lease expires in ${ttl} ms`);
    } finally {
      probe.disconnect();
    }

    // Kill the polling replica (the last to poll); the other takes over.
    const [dead, survivor, survivorKey] =
      log.at(-1)?.accessKeyId === 'AKIDREPLICAA'
        ? (['A', 'B', 'AKIDREPLICAB'] as const)
        : (['B', 'A', 'AKIDREPLICAA'] as const);
    const killedAt = Date.now();
    await gateways[dead]!.kill('SIGKILL');
    await waitFor(() => (describesBy(sim, survivorKey, killedAt) > 0 ? true : undefined), 10_000);

    sim.control.completeOperation(id, 'COMPLETED');
    const survivors = survivor === 'A' ? watchers.slice(0, 10) : watchers.slice(10);
    const outcomes = await Promise.all(survivors.map((w) => w.done));
    assert.deepEqual(new Set(outcomes), new Set(['complete']));
    for (const w of survivors) assert.deepEqual(w.statuses, ['IN_PROGRESS/', 'COMPLETED/']);
    gateways[dead] = undefined;
  });

  it('keeps subscriptions working by local polling while Redis is away, and shares again when it is back', async () => {
    const g = (gateways.A ?? gateways.B)!;
    const id = await startCapture(g);
    const w = watch(client(g), id);
    await waitFor(() => (w.statuses.length >= 1 ? true : undefined), 5000);

    const readyz = async () =>
      (await (await fetch(g.url.replace(/\/graphql$/, '/readyz'))).json()) as {
        status: string;
        redis?: string;
      };
    assert.deepEqual(await readyz(), { status: 'ready', redis: 'up' });
    await redis.kill();
    // Degraded, not unready: queries and (local) subscriptions still work.
    await waitFor(async () => ((await readyz()).redis === 'down' ? true : undefined), 10_000);
    assert.deepEqual(await readyz(), { status: 'ready', redis: 'down' });
    sim.control.setStatusMessage(id, 'Capturing');
    await waitFor(() => (w.statuses.length >= 2 ? true : undefined), 5000);

    await redis.start();
    // Shared polling resumes: the replica polls under a lease again, and pushes still arrive.
    // The replica noticed, and came back to shared polling.
    await g.line((l) => String(l.msg).includes('Redis connection lost'));
    await g.line((l) => String(l.msg).includes('shared polling resumes'), 10_000);
    const { Redis } = await import('ioredis');
    const probe = new Redis(redis.url);
    try {
      // The lease is taken at the first poll after the reconnection.
      await waitFor(async () => ((await probe.keys('nfw:lease:*')).length >= 1 ? true : undefined));
    } finally {
      probe.disconnect();
    }
    sim.control.completeOperation(id, 'COMPLETED');
    assert.equal(await w.done, 'complete');
    assert.deepEqual(w.statuses, ['IN_PROGRESS/', 'IN_PROGRESS/Capturing', 'COMPLETED/']);
  });
});
