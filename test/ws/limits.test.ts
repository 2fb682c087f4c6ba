import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { RawClient } from '../helpers/raw-client.js';

const STATUS = `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;

/** A gauge from /metrics: what the server has counted, rather than what a client saw first. */
async function gauge(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('websocket ceilings', () => {
  let gw: TestGateway;
  const open: RawClient[] = [];
  const track = (c: RawClient) => (open.push(c), c);

  before(async () => {
    gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      WS_MAX_CONNECTIONS_PER_ADDRESS: '3',
      MAX_SUBSCRIPTIONS_PER_CALLER: '3',
    });
  });
  after(async () => {
    for (const c of open) c.socket.terminate();
    await gw.close();
  });

  it('closes a socket beyond WS_MAX_CONNECTIONS_PER_ADDRESS with 1013, and counts closed ones out', async () => {
    // Sockets that never send connection_init count: they are what an attacker holds.
    const held = [];
    for (let i = 0; i < 3; i++) held.push(track(await RawClient.open(gw.url)));
    const refused = track(await RawClient.open(gw.url));
    assert.equal(await refused.closed(), 1013);
    assert.match(refused.closeReason, /too many connections/i);
    for (const c of held) assert.equal(c.closeCode, undefined);

    held[0]!.socket.close();
    await waitFor(async () => (await gauge(gw.url, 'gateway_websocket_connections')) === 2);
    const again = track(await RawClient.acked(gw.url));
    assert.equal(again.closeCode, undefined);
    for (const c of [...held, again]) c.socket.close();
    await waitFor(async () => (await gauge(gw.url, 'gateway_websocket_connections')) === 0);
  });

  it('refuses a subscribe beyond MAX_SUBSCRIPTIONS_PER_CALLER over all sockets with LIMIT_EXCEEDED, keeping the socket', async () => {
    const id = await gw.startCapture();
    const first = track(await RawClient.acked(gw.url));
    const second = track(await RawClient.acked(gw.url));
    const subscribe = (client: RawClient, sid: string) =>
      client.send({ type: 'subscribe', id: sid, payload: { query: STATUS, variables: { id } } });
    // Identical subscriptions join one execution and take no rate token: only the ceiling counts them.
    subscribe(first, 'a');
    subscribe(first, 'b');
    subscribe(second, 'c');
    for (const [client, sid] of [
      [first, 'a'],
      [first, 'b'],
      [second, 'c'],
    ] as const) {
      await client.next((m) => m.id === sid && m.type === 'next');
    }
    subscribe(second, 'd');
    const refused = await second.next((m) => m.id === 'd' && m.type === 'error');
    const error = (refused.payload as { message: string; extensions: { code: string } }[])[0];
    assert.equal(error?.extensions.code, 'LIMIT_EXCEEDED');
    assert.match(error.message, /MAX_SUBSCRIPTIONS_PER_CALLER/);
    assert.equal(second.closeCode, undefined);

    // Completing one frees its place; so does closing a socket, for the caller's other sockets.
    second.send({ type: 'complete', id: 'c' });
    subscribe(second, 'e');
    await second.next((m) => m.id === 'e' && m.type === 'next');
    first.socket.close();
    await waitFor(async () => (await gauge(gw.url, 'gateway_subscriptions_active')) === 1);
    subscribe(second, 'f');
    await second.next((m) => m.id === 'f' && m.type === 'next');
  });
});

/** Frames sent in one write reach the server in one chunk: ws handles them one after another. */
function inOneWrite(client: RawClient, frames: unknown[]): void {
  const raw = (client.socket as unknown as { _socket: Socket })._socket;
  raw.cork();
  for (const frame of frames) client.send(frame);
  raw.uncork();
}

describe('websocket operations racing their own limits', () => {
  let gw: TestGateway;
  const open: RawClient[] = [];
  const track = (c: RawClient) => (open.push(c), c);

  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', WS_MAX_SUBSCRIPTIONS: '2' });
  });
  after(async () => {
    for (const c of open) c.socket.terminate();
    await gw.close();
  });

  it('holds at most WS_MAX_SUBSCRIPTIONS when distinct subscribes arrive in one write', async () => {
    // Each subscribe awaits its charges before it is held: the ceiling counts ids reserved, too.
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(await gw.startCapture({ flowFilters: [{ destinationPort: String(1000 + i) }] }));
    const client = track(await RawClient.acked(gw.url));
    inOneWrite(
      client,
      ids.map((id, i) => ({
        type: 'subscribe',
        id: `s${i}`,
        payload: { query: STATUS, variables: { id } },
      })),
    );
    await waitFor(
      () => client.messages.filter((m) => m.type === 'next' || m.type === 'error').length >= 10,
    );
    const accepted = new Set(client.messages.filter((m) => m.type === 'next').map((m) => m.id));
    assert.equal(accepted.size, 2, `${accepted.size} held with WS_MAX_SUBSCRIPTIONS=2`);
    const refused = client.messages.filter((m) => m.type === 'error');
    assert.ok(
      refused.every(
        (m) =>
          (m.payload as { extensions: { code: string } }[])[0]?.extensions.code ===
          'LIMIT_EXCEEDED',
      ),
    );
    client.socket.terminate();
    await waitFor(async () =>
      (await gauge(gw.url, 'gateway_subscriptions_active')) === 0 ? true : undefined,
    );
  });

  it('honours a complete sent while its subscribe awaits the limits', async () => {
    const [first, second] = [await gw.startCapture(), await gw.startCapture()];
    const client = track(await RawClient.acked(gw.url));
    inOneWrite(client, [
      { type: 'subscribe', id: 'x', payload: { query: STATUS, variables: { id: first } } },
      { type: 'complete', id: 'x' },
      // Handled after x on the same path: once its first result is here, x was decided.
      { type: 'subscribe', id: 'y', payload: { query: STATUS, variables: { id: second } } },
    ]);
    await client.next((m) => m.id === 'y' && m.type === 'next');
    assert.equal(client.messages.filter((m) => m.id === 'x').length, 0, 'x was completed');
    assert.equal(await gauge(gw.url, 'gateway_subscriptions_active'), 1, 'only y is held');
  });
});

describe('upstream budget of websocket operations refused before they ran', () => {
  let gw: TestGateway;
  let client: RawClient | undefined;
  before(async () => {
    gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      MAX_SUBSCRIPTIONS_PER_CALLER: '1',
      UPSTREAM_CALLS_PER_MINUTE: '20',
    });
  });
  after(async () => {
    client?.socket.terminate();
    await gw.close();
  });

  it('gives back the charge of an operation refused by MAX_SUBSCRIPTIONS_PER_CALLER', async () => {
    const id = await gw.startCapture();
    const socket = (client = await RawClient.acked(gw.url));
    socket.send({ type: 'subscribe', id: 'held', payload: { query: STATUS, variables: { id } } });
    await socket.next((m) => m.id === 'held' && m.type === 'next');
    const QUERY = `query($id: ID!) { flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;
    // 25 refusals of an operation costing 1, with a budget of 20 a minute.
    for (let i = 0; i < 25; i++) {
      socket.send({ type: 'subscribe', id: `q${i}`, payload: { query: QUERY, variables: { id } } });
      const refused = await socket.next((m) => m.id === `q${i}` && m.type === 'error');
      const code = (refused.payload as { extensions: { code: string } }[])[0]?.extensions.code;
      assert.equal(code, 'LIMIT_EXCEEDED', `refusal ${i}`);
    }
    const res = await gw.gql(QUERY, { id });
    assert.equal(res.errors, undefined, 'the refused operations spent none of the budget');
  });
});
