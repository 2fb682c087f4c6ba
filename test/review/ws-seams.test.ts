import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { RawClient } from '../helpers/raw-client.js';

const STATUS = `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;

async function gauge(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

// FAILS on 0cb5417: the per-connection check runs before the awaited rate-limit/budget charge,
// and hold() does not check it again, so frames arriving together all pass it.
describe('review: WS_MAX_SUBSCRIPTIONS under a burst of subscribes', () => {
  let gw: TestGateway;
  let client: RawClient | undefined;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', WS_MAX_SUBSCRIPTIONS: '2' });
  });
  after(async () => {
    client?.socket.terminate();
    await gw.close();
  });

  it(
    'holds at most WS_MAX_SUBSCRIPTIONS on one socket when 10 distinct subscribes arrive in one write',
    { todo: 'FAILS on 0cb5417: 10 held with WS_MAX_SUBSCRIPTIONS=2' },
    async () => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++)
        ids.push(await gw.startCapture({ flowFilters: [{ destinationPort: String(1000 + i) }] }));
      client = await RawClient.acked(gw.url);
      const raw = (client.socket as unknown as { _socket: Socket })._socket;
      raw.cork();
      ids.forEach((id, i) =>
        client!.send({
          type: 'subscribe',
          id: `s${i}`,
          payload: { query: STATUS, variables: { id } },
        }),
      );
      raw.uncork();
      await waitFor(
        () => client!.messages.filter((m) => m.type === 'next' || m.type === 'error').length >= 10,
      );
      const accepted = new Set(client.messages.filter((m) => m.type === 'next').map((m) => m.id));
      const active = await gauge(gw.url, 'gateway_subscriptions_active');
      console.log(`accepted=${accepted.size} active=${active}`);
      assert.ok(
        accepted.size <= 2,
        `one socket holds ${accepted.size} subscriptions with WS_MAX_SUBSCRIPTIONS=2`,
      );
    },
  );
});

// FAILS on 0cb5417: a `complete` that arrives while its `subscribe` awaits the (async) limiter
// finds nothing to complete; the subscription then starts anyway and is held (and polled) until
// the socket closes. graphql-ws's own server records the id first, so an early complete wins.
describe('review: complete sent while its subscribe awaits the limiter', () => {
  let gw: TestGateway;
  let client: RawClient | undefined;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(async () => {
    client?.socket.terminate();
    await gw.close();
  });

  it(
    'holds nothing for a subscription the client completed',
    { todo: 'FAILS on 0cb5417: an early complete is lost' },
    async () => {
      const id = await gw.startCapture();
      client = await RawClient.acked(gw.url);
      const raw = (client.socket as unknown as { _socket: Socket })._socket;
      raw.cork();
      client.send({ type: 'subscribe', id: 'x', payload: { query: STATUS, variables: { id } } });
      client.send({ type: 'complete', id: 'x' });
      raw.uncork();
      await new Promise((r) => setTimeout(r, 500));
      const nexts = client.messages.filter((m) => m.id === 'x' && m.type === 'next').length;
      const active = await gauge(gw.url, 'gateway_subscriptions_active');
      console.log(`next messages after complete: ${nexts}; active=${active}`);
      assert.equal(
        active,
        0,
        `the completed subscription is still held (${nexts} next messages sent)`,
      );
    },
  );
});

// FAILS on 0cb5417: the 4409 close reason quotes the caller's id whole; ws refuses a close reason
// over 123 bytes with a RangeError, so a duplicate 200-character id ends in 4500 and an
// error-level log line with a stack instead of 4409 "Subscriber for … already exists".
describe('review: duplicate subscribe id longer than a close reason may be', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('closes with 4409', { todo: 'FAILS on 0cb5417: closes with 4500' }, async () => {
    const id = await gw.startCapture();
    const client = await RawClient.acked(gw.url);
    const long = 'x'.repeat(200);
    const frame = { type: 'subscribe', id: long, payload: { query: STATUS, variables: { id } } };
    client.send(frame);
    await client.next((m) => m.id === long && m.type === 'next');
    client.send(frame);
    const code = await client.closed();
    console.log(`duplicate long id: closed with ${code}`);
    assert.equal(code, 4409);
  });
});

// FAILS on 0cb5417: a websocket operation is charged its upstream cost before hold() checks
// MAX_SUBSCRIPTIONS_PER_CALLER; the refused operation never runs, and its charge is not given back.
describe('review: upstream budget of websocket operations refused by the per-caller ceiling', () => {
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

  it(
    'gives back the charge of an operation it refused',
    { todo: 'FAILS on 0cb5417: refused operations spend the budget' },
    async () => {
      const id = await gw.startCapture();
      client = await RawClient.acked(gw.url);
      client.send({ type: 'subscribe', id: 'held', payload: { query: STATUS, variables: { id } } });
      await client.next((m) => m.id === 'held' && m.type === 'next');
      const QUERY = `query($id: ID!) { flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;
      for (let i = 0; i < 25; i++) {
        client.send({
          type: 'subscribe',
          id: `q${i}`,
          payload: { query: QUERY, variables: { id } },
        });
        const refused = await client.next((m) => m.id === `q${i}` && m.type === 'error');
        const code = (refused.payload as { extensions: { code: string } }[])[0]?.extensions.code;
        if (code !== 'LIMIT_EXCEEDED') {
          console.log(`refused operation ${i}: ${code}`);
          break;
        }
      }
      const res = await gw.gql(QUERY, { id });
      console.log(
        `HTTP after refused websocket operations: ${res.status} ${res.errors?.[0]?.extensions?.code ?? 'ok'}`,
      );
      assert.equal(res.status, 200, 'operations refused before running spent the caller budget');
    },
  );
});
