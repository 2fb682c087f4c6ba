import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../src/config.js';
import { clientAddress, parseTrustProxy } from '../../src/net/client-address.js';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

function request(peer: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('TRUST_PROXY', () => {
  it('parses off, hop counts and address lists, and refuses "true" and bad addresses', () => {
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy('false'), false);
    assert.equal(parseTrustProxy('0'), false);
    assert.equal(parseTrustProxy('2'), 2);
    assert.deepEqual(parseTrustProxy('loopback, 10.0.0.0/8'), ['loopback', '10.0.0.0/8']);
    assert.throws(() => parseTrustProxy('true'), /hop count/);
    assert.throws(() => parseTrustProxy(' TRUE '), /hop count/);
    assert.equal(parseTrustProxy('FALSE'), false);
    assert.throws(() => parseTrustProxy('100'), /exact number of proxies/);
    assert.throws(() => parseTrustProxy('1,2'), /either one hop count/);
    assert.throws(() => parseTrustProxy('10.0.0.0/99'));
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'not-an-ip' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /TRUST_PROXY/);
        return true;
      },
    );
  });

  it('takes the TCP peer by default, whatever the header says', () => {
    const address = clientAddress(false);
    assert.equal(address(request('10.0.0.5', '203.0.113.9')), '10.0.0.5');
  });

  it('believes as many hops as it is told to, and no more', () => {
    const oneHop = clientAddress(1);
    // A client that forges the header cannot push its own value past the trusted proxy.
    assert.equal(oneHop(request('10.0.0.5', '198.51.100.1, 203.0.113.9')), '203.0.113.9');
    assert.equal(oneHop(request('10.0.0.5')), '10.0.0.5');
    const twoHops = clientAddress(2);
    assert.equal(twoHops(request('10.0.0.5', '198.51.100.1, 203.0.113.9')), '198.51.100.1');
  });

  it('believes only listed proxies', () => {
    const address = clientAddress(['10.0.0.0/8']);
    assert.equal(address(request('10.0.0.5', '203.0.113.9')), '203.0.113.9');
    assert.equal(address(request('192.0.2.1', '203.0.113.9')), '192.0.2.1');
  });
});

describe('TRUST_PROXY in a gateway', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '2' });
  });
  after(() => gw.close());

  const ask = (forwardedFor: string) =>
    fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).then((r) => r.status);

  it('rate limits each client behind the proxy on its own, over HTTP and websockets', async () => {
    assert.deepEqual(
      [await ask('203.0.113.1'), await ask('203.0.113.1'), await ask('203.0.113.1')],
      [200, 200, 429],
    );
    assert.equal(await ask('203.0.113.2'), 200, 'another client behind the same proxy');

    // The websocket upgrade carries the header too: 203.0.113.1's bucket is empty.
    const codes = await Promise.all(
      ['203.0.113.1', '203.0.113.3'].map(
        (ip) =>
          new Promise<string | undefined>((resolve, reject) => {
            const socket = new WebSocket(gw.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
              headers: { 'x-forwarded-for': ip },
            });
            socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
            socket.on('error', reject);
            socket.on('message', (raw) => {
              const message = JSON.parse(String(raw)) as {
                type: string;
                payload?: { extensions?: { code?: string } }[];
              };
              if (message.type === 'connection_ack') {
                socket.send(
                  JSON.stringify({
                    type: 'subscribe',
                    id: '1',
                    payload: { query: '{ __typename }' },
                  }),
                );
              } else if (message.type === 'error') {
                resolve(message.payload?.[0]?.extensions?.code);
                socket.close();
              } else if (message.type === 'complete') {
                resolve(undefined);
                socket.close();
              }
            });
          }),
      ),
    );
    assert.deepEqual(codes, ['RATE_LIMITED', undefined]);
  });
});
