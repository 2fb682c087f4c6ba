import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import { scrapeSample } from '../helpers/metrics.js';
import type { TestGateway } from '../helpers/gateway.js';

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('websocket limits', { timeout: 30_000 }, () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      WS_MAX_PAYLOAD: '4kb',
      WS_MAX_SUBSCRIPTIONS: '2',
      WS_INIT_TIMEOUT_MS: '300',
    });
  });
  after(() => gw.close());

  it('closes a socket that never sends connection_init (4408)', async () => {
    const socket = await open(gw.url);
    // The close is the event: without the init timer the socket stays open and the suite times out.
    assert.equal(await closed(socket), 4408);
  });

  it('closes a socket that sends a frame above WS_MAX_PAYLOAD (1009)', async () => {
    const socket = await open(gw.url);
    const code = closed(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { junk: 'x'.repeat(8192) } }));
    assert.equal(await code, 1009);
  });

  it('refuses subscriptions beyond WS_MAX_SUBSCRIPTIONS per connection with LIMIT_EXCEEDED', async () => {
    const list = await gw.gql<{
      flowOperations: { edges: { node: { flowOperationId: string } }[] };
    }>(
      `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 3) { edges { node { flowOperationId } } } }`,
    );
    const ids = list.data!.flowOperations.edges.map((e) => e.node.flowOperationId);
    const client = gw.wsClient();
    // Zone event streams never complete on their own, so two of them hold both slots.
    const EVENTS = `subscription($az: String) { flowOperationEvents(firewallArn: "${DEMO_ARN}", availabilityZone: $az) { flowOperationId } }`;
    const held = ['us-east-1a', 'us-east-1b'].map((az) =>
      client.subscribe(
        { query: EVENTS, variables: { az } },
        { next: () => {}, error: () => {}, complete: () => {} },
      ),
    );
    const active = () => scrapeSample(gw.metricsUrl, 'gateway_subscriptions_active');
    await waitFor(async () => ((await active()) === 2 ? true : undefined));
    const third = await subscribeAll(
      client,
      `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`,
      { id: ids[0] },
    );
    const errors = third.error as { extensions?: { code?: string }; message: string }[];
    assert.equal(errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    assert.match(errors[0].message, /WS_MAX_SUBSCRIPTIONS/);
    // Freeing a slot makes room again on the same socket.
    held[0]!();
    await waitFor(async () => ((await active()) === 1 ? true : undefined));
    const fourth = await subscribeAll(
      client,
      `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`,
      { id: ids[0] },
    );
    assert.equal(fourth.error, undefined);
    assert.ok(fourth.results.length >= 1);
    held[1]!();
  });
});
