// WS_MAX_CONNECTIONS and the fd limit: a gateway spawned under a low open-file limit refuses the
// socket beyond what the limit leaves with 1013 and a jittered retry advice, while /healthz,
// /metrics, queries and subscription polls (which all need fds) keep working.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFdLimit } from '../../src/net/fd-limit.js';
import { connectionLimit, fdReserve, retryAdvice } from '../../src/ws/connection-limit.js';
import { DEMO_ARN, DEMO_AZ, waitFor } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/process.js';
import type { GatewayProcess } from '../helpers/process.js';
import { RawClient } from '../helpers/raw-client.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('connection limit from the fd limit', () => {
  it('reads the open-file row of /proc/self/limits', () => {
    assert.deepEqual(parseFdLimit(LIMITS), { soft: 1024, hard: 524288 });
    assert.deepEqual(parseFdLimit('Max open files unlimited unlimited files'), {
      soft: Infinity,
      hard: Infinity,
    });
    assert.equal(parseFdLimit('Max cpu time unlimited unlimited seconds'), undefined);
    assert.equal(parseFdLimit('Max open files lots many files'), undefined);
  });

  it('defaults to the soft limit less a reserve, and warns when WS_MAX_CONNECTIONS exceeds it', () => {
    assert.equal(fdReserve(1024), 256);
    assert.equal(fdReserve(20_000), 1000);
    assert.deepEqual(connectionLimit(undefined, { soft: 20_000, hard: 20_000 }), {
      max: 19_000,
      from: 'fd limit',
      safe: 19_000,
    });
    const over = connectionLimit(50_000, { soft: 20_000, hard: 20_000 });
    assert.equal(over.max, 50_000);
    assert.match(over.warning ?? '', /WS_MAX_CONNECTIONS=50000 exceeds the 19000 websockets/);
    assert.equal(connectionLimit(100, { soft: 20_000, hard: 20_000 }).warning, undefined);
    assert.equal(connectionLimit(undefined, undefined).from, 'default');
    assert.equal(connectionLimit(undefined, { soft: Infinity, hard: Infinity }).from, 'default');
  });

  it('advises a retry jittered over 1 to 10 s, within a close reason of 123 bytes', () => {
    assert.equal(
      retryAdvice('Full', () => 0),
      'Full; retry in 1.0 s',
    );
    assert.equal(
      retryAdvice('Full', () => 0.999999),
      'Full; retry in 9.9 s',
    );
    const long = retryAdvice('Too many connections from this address', () => 0.5);
    assert.ok(Buffer.byteLength(long) <= 123, long);
  });
});

describe('a gateway at its open-file limit', () => {
  const FD_LIMIT = 400;
  let gw: GatewayProcess;
  const held: RawClient[] = [];

  before(async () => {
    gw = await spawnGateway(
      {
        LOG_LEVEL: 'debug',
        SIMULATOR_OPERATION_DELAY_MS: '600000',
        POLL_INTERVAL_MS: '100',
        WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      },
      { fdLimit: FD_LIMIT },
    );
  });
  after(async () => {
    for (const c of held) c.socket.terminate();
    await gw.kill();
  });

  it('refuses the socket beyond the fd limit less its reserve with 1013; the rest keeps working', async () => {
    const logged = await gw.line((e) => e.msg === 'websocket connection limit');
    const max = FD_LIMIT - fdReserve(FD_LIMIT);
    assert.deepEqual(
      { max: logged.maxConnections, from: logged.from, fd: logged.fdLimit },
      { max, from: 'fd limit', fd: FD_LIMIT },
    );
    for (let i = 0; i < max; i++) held.push(await RawClient.open(gw.url));
    const refused = await RawClient.open(gw.url);
    assert.equal(await refused.closed(), 1013);
    assert.match(refused.closeReason, /^Server at its connection limit; retry in \d+\.\d s$/);
    assert.ok(held.every((c) => c.closeCode === undefined));

    const base = new URL(gw.url);
    const health = await fetch(new URL('/healthz', base));
    assert.equal(health.status, 200);
    const metrics = await (await fetch(new URL('/metrics', base))).text();
    assert.match(metrics, new RegExp(`^gateway_websocket_connections ${max}$`, 'm'));
    assert.match(metrics, /^process_open_fds \d+$/m);
    assert.match(metrics, new RegExp(`^process_max_fds ${FD_LIMIT}$`, 'm'));

    // A mutation (an AWS call), then a subscription on a held socket whose polls report it.
    const started = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { startFlowCapture(input: { firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowFilters: [{ destinationPort: "443" }] }) { flowOperationId } }`,
      }),
    });
    const body = (await started.json()) as {
      data?: { startFlowCapture: { flowOperationId: string } };
    };
    const id = body.data?.startFlowCapture.flowOperationId;
    assert.ok(id, JSON.stringify(body));
    const client = held[0]!;
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    client.send({
      type: 'subscribe',
      id: 's',
      payload: {
        query: `subscription { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${id}") { flowOperationStatus } }`,
      },
    });
    const event = await client.next((m) => m.type === 'next' && m.id === 's');
    assert.deepEqual(event.payload, {
      data: { flowOperationStatusChanged: { flowOperationStatus: 'IN_PROGRESS' } },
    });

    // A closed socket makes room for one more.
    held.pop()!.socket.close();
    await waitFor(async () => {
      const text = await (await fetch(new URL('/metrics', base))).text();
      return text.includes(`\ngateway_websocket_connections ${max - 1}\n`) || undefined;
    });
    held.push(await RawClient.acked(gw.url));
  });
});
