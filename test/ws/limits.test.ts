import assert from 'node:assert/strict';
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
