// Leases spread over replicas: two gateway processes sharing one Redis, both watching the same
// operations, each poll about its share of them (rendezvous hashing), and no operation is polled
// by both. Replica A subscribes first and so takes every lease; B's arrival must move about half
// of them to B, through handovers that never double a poll.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
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
const OPERATIONS = 12;
const KEYS = { A: 'AKIDSPREADA', B: 'AKIDSPREADB' } as const;
const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

async function gauge(g: GatewayProcess, name: string): Promise<number> {
  const text = await (await fetch(g.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1) ?? NaN);
}

describe('cluster mode: leases spread over replicas', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let sim: Simulator;
  let A: GatewayProcess;
  let B: GatewayProcess;
  const clients: Client[] = [];

  before(async () => {
    redis = await startRedis();
    sim = await createSimulator({ operationDelayMs: 600_000 });
    const env = (key: string) => replicaEnv(sim.url, redis.url, INTERVAL, key);
    [A, B] = await Promise.all([spawnGateway(env(KEYS.A)), spawnGateway(env(KEYS.B))]);
  });

  after(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await Promise.all([A?.kill(), B?.kill()]);
    await sim?.close();
    await redis?.kill();
  });

  /** Subscribes to every operation over one socket; resolves once each has its first event. */
  async function watchAll(g: GatewayProcess, ids: string[]): Promise<void> {
    const client = createClient({
      url: g.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    clients.push(client);
    await Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve, reject) => {
            client.subscribe(
              { query: SUB, variables: { arn: DEMO_ARN, az: DEMO_AZ, id } },
              { next: () => resolve(), error: reject, complete: () => {} },
            );
          }),
      ),
    );
  }

  it('each replica polls about its share, and no operation is polled by both', async () => {
    const ports = Array.from({ length: OPERATIONS }, (_, i) => String(1000 + i));
    const ids = await startDemoCaptures(A.url, ports);
    await watchAll(A, ids);
    await waitFor(async () => (await gauge(A, 'gateway_poller_leases')) === OPERATIONS);
    await watchAll(B, ids);

    // B takes its share as A hands leases over: settled once every lease is held by the watcher
    // with the highest rendezvous hash (the coordinator's rule, recomputed here from Redis).
    const probe = new Redis(redis.url);
    let unsettled = '';
    const settled = async (): Promise<true | undefined> => {
      const leases = await probe.keys('nfw:lease:*');
      if (leases.length !== OPERATIONS) return void (unsettled = `${leases.length} leases`);
      for (const lease of leases) {
        const watchers = await probe.zrange(lease.replace(':lease:', ':watchers:'), '0', '-1');
        if (watchers.length !== 2)
          return void (unsettled = `${lease} watchers ${watchers.join(',')}`);
        const rank = (r: string) => createHash('sha1').update(`${r}|${lease}`).digest('hex');
        const preferred = watchers.reduce((x, y) => (rank(y) > rank(x) ? y : x));
        const holder = await probe.get(lease);
        if (holder !== preferred)
          return void (unsettled = `${lease} held by ${holder}, not ${preferred}`);
      }
      return true;
    };
    try {
      await waitFor(settled, 10_000).catch((error: unknown) => {
        throw new Error(`not settled: ${unsettled}`, { cause: error });
      });
    } finally {
      probe.disconnect();
    }
    const shares = {
      a: await gauge(A, 'gateway_poller_leases'),
      b: await gauge(B, 'gateway_poller_leases'),
    };
    assert.ok(shares.a > 0 && shares.b > 0, JSON.stringify(shares));

    // Three more polls of every operation, then who polled what since the shares settled.
    const t0 = Date.now();
    const describes = () =>
      sim.log.entries().filter((e) => e.operation === 'DescribeFlowOperation' && e.time >= t0);
    await waitFor(() => {
      const counts = new Map<unknown, number>();
      for (const e of describes()) {
        counts.set(e.input.FlowOperationId, (counts.get(e.input.FlowOperationId) ?? 0) + 1);
      }
      return ids.every((id) => (counts.get(id) ?? 0) >= 3) || undefined;
    }, 10_000);
    const pollers = new Map<string, Set<string>>();
    for (const e of describes()) {
      const id = String(e.input.FlowOperationId);
      pollers.set(id, (pollers.get(id) ?? new Set()).add(String(e.accessKeyId)));
    }
    // One poller per operation. Their spacing is not asserted: a loaded machine squeezes it (a
    // slow poll's request lands late, the next one on time) without any poll being doubled.
    for (const id of ids) {
      assert.equal(
        pollers.get(id)?.size,
        1,
        `${id} polled by ${[...(pollers.get(id) ?? [])].join(',')}`,
      );
    }
    const byA = ids.filter((id) => pollers.get(id)?.has(KEYS.A)).length;
    assert.deepEqual({ a: byA, b: OPERATIONS - byA }, shares);
  });
});
