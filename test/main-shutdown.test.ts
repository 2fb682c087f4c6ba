import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newKey, writeKeys } from './auth/support.js';
import { DEMO_ARN, DEMO_AZ, waitFor } from './helpers/gateway.js';
import { spawnGateway } from './helpers/process.js';
import type { GatewayProcess } from './helpers/process.js';
import { RawClient } from './helpers/raw-client.js';

const CAPTURE = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`;
const STATUS = `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;
const INPUT = {
  firewallArn: DEMO_ARN,
  availabilityZone: DEMO_AZ,
  flowFilters: [{ destinationPort: '443' }],
};

type Started = { data?: { startFlowCapture?: { flowOperationId?: string } } };

/** The embedded simulator's admin API (faults, request log), from the gateway's startup log. */
async function simulatorOf(gateway: GatewayProcess) {
  const line = await gateway.line((entry) => typeof entry.simulator === 'string');
  const base = String(line.simulator);
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(new URL(`/_simulator${path}`, base), {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return res.status === 204 ? undefined : await res.json();
  };
  return {
    /** Starts take `ms` at the simulator from now on. */
    slowStarts: (ms: number) =>
      call('/faults', { latencyMs: ms, operations: ['StartFlowCapture'] }),
    /** Starts run at the simulator at once; their answers take `ms` (AWS acted, its answer is slow). */
    slowAnswers: (ms: number) =>
      call('/faults', { answerDelayMs: ms, operations: ['StartFlowCapture'] }),
    /** Resolves once `n` StartFlowCapture requests have reached the simulator, unanswered. */
    startsArrived: (n: number) =>
      waitFor(async () => {
        const log = (await call('/log')) as { entries: { operation: string; status: number }[] };
        const pending = log.entries.filter(
          (e) => e.operation === 'StartFlowCapture' && e.status === 0,
        );
        return pending.length >= n;
      }, 15_000),
  };
}

const postCapture = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: CAPTURE, variables: { input: INPUT } }),
  });

const shuttingDown = (gateway: GatewayProcess) =>
  gateway.line((entry) => String(entry.msg).startsWith('Shutting down'));

describe('the gateway process on SIGTERM', () => {
  it('delivers a websocket mutation in flight, completes subscriptions, closes with 1001 and exits 0', async () => {
    const gateway = await spawnGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    try {
      const sim = await simulatorOf(gateway);
      const started = (await (await postCapture(gateway.url)).json()) as Started;
      const watched = started.data?.startFlowCapture?.flowOperationId;
      assert.ok(watched);
      const watcher = await RawClient.acked(gateway.url);
      watcher.send({
        type: 'subscribe',
        id: 's',
        payload: { query: STATUS, variables: { id: watched } },
      });
      await watcher.next((m) => m.id === 's' && m.type === 'next');

      await sim.slowStarts(2000);
      const client = await RawClient.acked(gateway.url);
      client.send({
        type: 'subscribe',
        id: 'm',
        payload: { query: CAPTURE, variables: { input: INPUT } },
      });
      await sim.startsArrived(1);
      gateway.child.kill('SIGTERM');
      await shuttingDown(gateway);

      // Nothing new starts on a socket that is still finishing work.
      client.send({ type: 'subscribe', id: 'late', payload: { query: '{ __typename }' } });
      const refused = await client.next((m) => m.id === 'late' && m.type === 'error');
      assert.equal(
        (refused.payload as { extensions: { code: string } }[])[0]?.extensions.code,
        'UPSTREAM_ERROR',
      );

      await watcher.next((m) => m.id === 's' && m.type === 'complete', 10_000);
      assert.equal(await watcher.closed(10_000), 1001);

      const result = await client.next((m) => m.id === 'm' && m.type === 'next', 10_000);
      const id = (result.payload as Started).data?.startFlowCapture?.flowOperationId;
      assert.match(String(id), /^[0-9a-f-]{36}$/, JSON.stringify(result.payload));
      await client.next((m) => m.id === 'm' && m.type === 'complete');
      assert.equal(await client.closed(10_000), 1001);
      assert.equal(await gateway.exited, 0);
      const audit = await gateway.line((e) => e.audit === true && e.flowOperationId === id);
      assert.equal(audit.outcome, 'ok');
    } finally {
      await gateway.kill();
    }
  });

  it('answers an HTTP mutation in flight and refuses new connections', async () => {
    const gateway = await spawnGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    try {
      const sim = await simulatorOf(gateway);
      await sim.slowStarts(1500);
      const pending = postCapture(gateway.url);
      await sim.startsArrived(1);
      gateway.child.kill('SIGTERM');
      await shuttingDown(gateway);

      await assert.rejects(fetch(new URL('/healthz', gateway.url)));
      await assert.rejects(RawClient.open(gateway.url));

      const res = await pending;
      assert.equal(res.status, 200);
      // The response is the last on its connection: a client does not reuse a closing one.
      assert.equal(res.headers.get('connection'), 'close');
      const body = (await res.json()) as Started;
      assert.ok(body.data?.startFlowCapture?.flowOperationId, JSON.stringify(body));
      assert.equal(await gateway.exited, 0);
    } finally {
      await gateway.kill();
    }
  });

  it('audits what still runs at SHUTDOWN_TIMEOUT_MS as outcome unknown, then exits 1', async () => {
    const gateway = await spawnGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      SHUTDOWN_TIMEOUT_MS: '300',
    });
    try {
      const sim = await simulatorOf(gateway);
      await sim.slowStarts(60_000);
      const client = await RawClient.acked(gateway.url);
      client.send({
        type: 'subscribe',
        id: 'm',
        payload: { query: CAPTURE, variables: { input: INPUT } },
      });
      void postCapture(gateway.url).catch(() => {});
      await sim.startsArrived(2);
      gateway.child.kill('SIGTERM');

      const unknown = (
        await Promise.all([
          gateway.line((e) => e.audit === true && e.outcome === 'unknown'),
          gateway.exited,
        ])
      )[0];
      assert.equal(unknown.reason, 'shutdown');
      assert.equal(unknown.action, 'startFlowCapture');
      assert.equal(unknown.firewallArn, DEMO_ARN);
      assert.match(String(unknown.requestId), /^[0-9a-f-]{36}$/);
      const lines = gateway.logs.filter((l) => l.includes('"outcome":"unknown"'));
      assert.equal(lines.length, 2, 'one line per start: the websocket one and the HTTP one');
      assert.equal(await gateway.exited, 1);
      assert.equal(await client.closed(), 1001);
    } finally {
      await gateway.kill();
    }
  });
});

/** The value of an unlabelled gauge on the gateway's public /metrics (AUTH_MODE=none). */
async function gauge(gateway: GatewayProcess, name: string): Promise<number | undefined> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** A websocket upgrade done by hand on a raw TCP socket, which then never answers anything. */
async function silentWebsocket(httpUrl: string): Promise<Socket> {
  const url = new URL(httpUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET /graphql HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
  );
  await new Promise<void>((resolve) =>
    socket.on('data', (d) => String(d).startsWith('HTTP/1.1 101') && resolve()),
  );
  return socket;
}

describe('SIGTERM after the caller of a start in flight went away', () => {
  for (const transport of ['websocket', 'http'] as const) {
    it(`${transport}: the start is waited for and audited before exit 0`, async () => {
      // Before the fix (websocket): drain waited for sockets, not for the work they started, so
      // it exited 0 at once, before AWS answered, and the start AWS ran had no audit line.
      const gateway = await spawnGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
      try {
        const sim = await simulatorOf(gateway);
        await sim.slowAnswers(3000);
        if (transport === 'websocket') {
          const client = await RawClient.acked(gateway.url);
          client.send({
            type: 'subscribe',
            id: 'm',
            payload: { query: CAPTURE, variables: { input: INPUT } },
          });
          await sim.startsArrived(1);
          client.socket.terminate();
          // The gateway has seen the socket go: nothing connects it to the start any more.
          await waitFor(async () => (await gauge(gateway, 'gateway_websocket_connections')) === 0);
        } else {
          const abort = new AbortController();
          const pending = fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: CAPTURE, variables: { input: INPUT } }),
            signal: abort.signal,
          }).catch(() => undefined);
          await sim.startsArrived(1);
          abort.abort();
          await pending;
        }
        const code = await gateway.kill('SIGTERM');
        const audits = gateway.logs.filter(
          (l) => l.includes('"audit":true') && l.includes('startFlowCapture'),
        );
        assert.equal(audits.length, 1, 'a start AWS ran has one audit line');
        assert.match(audits[0]!, /"outcome":"ok"/);
        assert.equal(code, 0);
      } finally {
        await gateway.kill('SIGKILL');
      }
    });
  }
});

describe('shutdown is not held by a client that sends nothing more', () => {
  /**
   * SIGTERM with nothing in flight: the drain ends by itself, not at SHUTDOWN_TIMEOUT_MS. Which
   * one ended it is in the exit code and the log: a drain cut by the deadline logs "Shutdown
   * deadline reached" and exits 1, a later step that hangs logs "Shutdown is stuck" and exits 1.
   */
  async function exitsPromptly(gateway: GatewayProcess): Promise<void> {
    const code = await gateway.kill('SIGTERM');
    assert.equal(code, 0, gateway.logs.join('\n'));
    const done = await gateway.line((l) => l.msg === 'Shut down');
    assert.deepEqual([done.drained, done.abandoned], [true, 0]);
    assert.ok(!gateway.logs.some((l) => /Shutdown deadline reached|Shutdown is stuck/.test(l)));
  }

  // Before the fix: drain waited for every connection to close, so either client held shutdown
  // to SHUTDOWN_TIMEOUT_MS, and the process then exited 1 ("not drained") with nothing in flight.
  it('exits 0 promptly past a websocket that never answers the close frame', async () => {
    const gateway = await spawnGateway({
      SHUTDOWN_TIMEOUT_MS: '10000',
      WS_INIT_TIMEOUT_MS: '60000',
    });
    const silent = await silentWebsocket(gateway.url);
    try {
      await exitsPromptly(gateway);
    } finally {
      silent.destroy();
      await gateway.kill('SIGKILL');
    }
  });

  it('exits 0 promptly while an unauthenticated client trickles a request body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shutdown-trickle-'));
    writeKeys(join(dir, 'keys.json'), [newKey('reader', ['read'], ['*'])]);
    const gateway = await spawnGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: join(dir, 'keys.json'),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    const url = new URL(gateway.url);
    const socket = connect(Number(url.port), url.hostname);
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
      );
      // The refusal (401) answers before the body is read: the request has reached the app.
      await new Promise<void>((resolve) => socket.once('data', () => resolve()));
      await exitsPromptly(gateway);
    } finally {
      socket.destroy();
      await gateway.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
