import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ANONYMOUS } from '../../src/auth/principal.js';
import { Connection } from '../../src/ws/connection.js';
import type { ConnectionServices } from '../../src/ws/connection.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { RawClient } from '../helpers/raw-client.js';

const STATUS = `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationId flowOperationStatus } }`;

describe('websocket protocol (graphql-transport-ws)', () => {
  let gw: TestGateway;
  const open: RawClient[] = [];
  const track = (c: RawClient) => (open.push(c), c);

  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', WS_KEEPALIVE_MS: '150' });
  });
  after(async () => {
    for (const c of open) c.socket.terminate();
    await gw.close();
  });

  it('refuses a socket without the graphql-transport-ws subprotocol (4406)', async () => {
    // The legacy subscriptions-transport-ws protocol is not negotiated: the server picks none.
    const client = track(await RawClient.open(gw.url, ''));
    assert.equal(await client.closed(), 4406);
  });

  it('closes on a frame that is not a protocol message (4400)', async () => {
    const client = track(await RawClient.open(gw.url));
    client.send('{not json');
    assert.equal(await client.closed(), 4400);
    const other = track(await RawClient.open(gw.url));
    other.send({ type: 'subscribe', payload: {} }); // no id
    assert.equal(await other.closed(), 4400);
  });

  it('closes when a client sends a server message (4400)', async () => {
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'next', id: '1', payload: {} });
    assert.equal(await client.closed(), 4400);
  });

  it('closes on subscribe before the acknowledgement (4401)', async () => {
    const client = track(await RawClient.open(gw.url));
    client.send({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } });
    assert.equal(await client.closed(), 4401);
  });

  it('closes on a second connection_init (4429)', async () => {
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'connection_init' });
    assert.equal(await client.closed(), 4429);
  });

  it('answers ping with pong, echoing the payload', async () => {
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'ping', payload: { at: 1 } });
    const pong = await client.next((m) => m.type === 'pong');
    assert.deepEqual(pong.payload, { at: 1 });
  });

  it('runs a query over the socket: next, then complete', async () => {
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'subscribe', id: 'q1', payload: { query: '{ __typename }' } });
    const next = await client.next((m) => m.id === 'q1' && m.type === 'next');
    assert.deepEqual(next.payload, { data: { __typename: 'Query' } });
    await client.next((m) => m.id === 'q1' && m.type === 'complete');
  });

  it('answers syntax, validation and operation-name errors with an error message and stable codes, keeping the socket', async () => {
    const client = track(await RawClient.acked(gw.url));
    const codeOf = async (id: string) => {
      const m = await client.next((x) => x.id === id && x.type === 'error');
      return (m.payload as { extensions: { code: string } }[])[0]!.extensions.code;
    };
    client.send({ type: 'subscribe', id: 'a', payload: { query: 'subscription {' } });
    assert.equal(await codeOf('a'), 'GRAPHQL_PARSE_FAILED');
    client.send({ type: 'subscribe', id: 'b', payload: { query: 'subscription { nope }' } });
    assert.equal(await codeOf('b'), 'GRAPHQL_VALIDATION_FAILED');
    client.send({
      type: 'subscribe',
      id: 'c',
      payload: { query: '{ __typename }', operationName: 'Missing' },
    });
    assert.equal(await codeOf('c'), 'OPERATION_RESOLUTION_FAILURE');
    // The ids are free again, and the socket is still fine.
    client.send({ type: 'subscribe', id: 'a', payload: { query: '{ __typename }' } });
    await client.next((m) => m.id === 'a' && m.type === 'complete');
    assert.equal(client.closeCode, undefined);
  });

  it('closes on a second subscribe with an id in use (4409), and ignores complete for an unknown id', async () => {
    const id = await gw.startCapture();
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'complete', id: 'never-used' });
    client.send({ type: 'subscribe', id: 's', payload: { query: STATUS, variables: { id } } });
    await client.next((m) => m.id === 's' && m.type === 'next');
    client.send({ type: 'subscribe', id: 's', payload: { query: STATUS, variables: { id } } });
    assert.equal(await client.closed(), 4409);
  });

  it('sends nothing more for a subscription the client completed', async () => {
    const id = await gw.startCapture();
    const client = track(await RawClient.acked(gw.url));
    client.send({ type: 'subscribe', id: 's', payload: { query: STATUS, variables: { id } } });
    await client.next((m) => m.id === 's' && m.type === 'next');
    client.send({ type: 'complete', id: 's' });
    // Frames are handled in order: once the ping is answered, the complete has been too.
    const pong = async (n: number) => {
      client.send({ type: 'ping', payload: { n } });
      await client.next((m) => m.type === 'pong' && (m.payload as { n?: number })?.n === n);
    };
    await pong(1);
    const ofS = () => client.messages.filter((m) => m.id === 's').length;
    const seen = ofS();
    // A sentinel: the same subscription under another id gets the push 's' would have got.
    client.send({ type: 'subscribe', id: 't', payload: { query: STATUS, variables: { id } } });
    await client.next((m) => m.id === 't' && m.type === 'next');
    gw.sim.control.completeOperation(id, 'COMPLETED');
    await client.next((m) => m.id === 't' && m.type === 'complete');
    await pong(2);
    assert.equal(ofS(), seen);
  });

  it('answers a ping nested too deeply to echo with a bare pong, keeping the socket', async () => {
    // 10,000 levels, 20 KB, before connection_init: echoing it overflowed JSON.stringify (4500).
    const client = track(await RawClient.open(gw.url));
    const depth = 10_000;
    client.send(`{"type":"ping","payload":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    client.send({ type: 'ping', payload: { after: true } });
    await client.next(
      (m) => m.type === 'pong' && (m.payload as { after?: boolean })?.after === true,
    );
    const pongs = client.messages.filter((m) => m.type === 'pong');
    assert.deepEqual(pongs[0], { type: 'pong' }, 'the deep payload is not echoed');
    assert.equal(client.closeCode, undefined);
  });

  it('closes on a duplicate id too long to quote in a close reason with 4409', async () => {
    // ws refuses a close reason over 123 bytes: quoting a 200-character id made the close throw.
    const id = await gw.startCapture();
    const client = track(await RawClient.acked(gw.url));
    const long = 'x'.repeat(200);
    const frame = { type: 'subscribe', id: long, payload: { query: STATUS, variables: { id } } };
    client.send(frame);
    await client.next((m) => m.id === long && m.type === 'next');
    client.send(frame);
    assert.equal(await client.closed(), 4409);
    assert.ok(!client.closeReason.includes(long), 'the caller-chosen id is not quoted');
  });

  it('keeps a socket that answers pings and terminates one that does not', async () => {
    const healthy = track(await RawClient.acked(gw.url));
    const silent = track(await RawClient.open(gw.url, 'graphql-transport-ws', { autoPong: false }));
    silent.send({ type: 'connection_init' });
    await silent.next((m) => m.type === 'connection_ack');
    // Keep-alive is 150 ms: a silent peer is cut after its first unanswered ping.
    assert.equal(await silent.closed(2000), 1006);
    assert.equal(healthy.closeCode, undefined);
  });
});

describe('Connection on a closing socket', () => {
  it('does nothing with frames that arrive during the close handshake', async () => {
    const sent: string[] = [];
    let authenticated = 0;
    const socket = {
      protocol: 'graphql-transport-ws',
      OPEN: WebSocket.OPEN,
      readyState: WebSocket.OPEN as number,
      send: (m: string) => void sent.push(m),
      close: () => {},
    };
    const services = {
      auth: {
        authenticate: async (connection: { principal: unknown }) => {
          authenticated++;
          connection.principal = ANONYMOUS;
          return ANONYMOUS;
        },
        release: () => {},
      },
    } as unknown as ConnectionServices;
    const connection = new Connection(socket as unknown as WebSocket, '127.0.0.1', services, 0);
    await connection.receive(JSON.stringify({ type: 'connection_init' }));
    assert.equal(authenticated, 1);
    assert.deepEqual(sent, ['{"type":"connection_ack"}']);

    // Closed for a revoked key, an expired token or shutdown: the peer has not answered yet.
    socket.readyState = WebSocket.CLOSING;
    await connection.receive(
      JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'mutation { x }' } }),
    );
    await connection.receive(JSON.stringify({ type: 'ping' }));
    assert.equal(sent.length, 1, 'no answer, no execution');
    assert.equal(connection.operationCount, 0);
  });

  it('refuses a subscribe whose shutdown began while it awaited the rate limiter', async () => {
    // The draining check before the await is not enough: a mutation must not start after it.
    const sent: string[] = [];
    const closes: number[] = [];
    const socket = {
      protocol: 'graphql-transport-ws',
      OPEN: WebSocket.OPEN,
      readyState: WebSocket.OPEN as number,
      send: (m: string) => void sent.push(m),
      close: (code: number) => void closes.push(code),
    };
    let grant: (decision: { ok: true; remaining: number; windowEndsAt: number }) => void = () => {};
    let prepared = 0;
    let refunded = 0;
    const services = {
      auth: {
        authenticate: async (connection: { principal: unknown }) => {
          connection.principal = ANONYMOUS;
          return ANONYMOUS;
        },
        release: () => {},
      },
      limiter: {
        take: () => new Promise((resolve) => (grant = resolve)),
        settle: async (_key: string, charged: number, spent: number) => {
          refunded += charged - spent;
          return undefined;
        },
      },
      preparer: {
        knows: () => false,
        prepare: () => (prepared++, { kind: 'refused', errors: [] }),
      },
      format: (e: unknown) => e,
      maxSubscriptions: 10,
      draining: false,
    } as unknown as ConnectionServices;
    const connection = new Connection(socket as unknown as WebSocket, '127.0.0.1', services, 0);
    await connection.receive(JSON.stringify({ type: 'connection_init' }));
    const handled = connection.receive(
      JSON.stringify({ type: 'subscribe', id: 'm', payload: { query: 'mutation { x }' } }),
    );
    assert.equal(connection.operationCount, 1, 'its id is reserved while it waits');
    services.draining = true;
    grant({ ok: true, remaining: 1, windowEndsAt: Date.now() + 60_000 });
    await handled;
    assert.equal(prepared, 0, 'nothing after the limiter ran');
    assert.equal(refunded, 1, 'its rate token is given back: it never ran');
    const refusal = JSON.parse(sent.at(-1)!) as { id: string; type: string; payload: unknown[] };
    assert.equal(refusal.type, 'error');
    assert.equal(refusal.id, 'm');
    assert.equal(connection.operationCount, 0);
    assert.deepEqual(closes, [1001], 'its last operation gone, the socket closes for shutdown');
  });
});
