import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newKey, writeKeys } from '../auth/support.js';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

/** Sends `head` on a raw connection, sends nothing more, and returns what the server answers until it closes. */
function trickle(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let answer = '';
    // Bounds the test, not the server: without a request timeout the server would wait minutes.
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still held open; answered so far: ${JSON.stringify(answer)}`));
    }, 5000);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

describe('HTTP request timeouts', () => {
  let gw: TestGateway;
  let dir: string;
  const caller = newKey('caller', ['read', 'write'], ['*']);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [caller]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
      HTTP_REQUEST_TIMEOUT_MS: '500',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      AWS_REQUEST_TIMEOUT_MS: '5000',
    });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 408 and closes when an authenticated client trickles its body past HTTP_REQUEST_TIMEOUT_MS', async () => {
    const answer = await trickle(
      gw.url,
      [
        'POST /graphql HTTP/1.1',
        'Host: gateway',
        'Content-Type: application/json',
        `Authorization: Bearer ${caller.key}`,
        'Content-Length: 1000',
        '',
        '{"query":"{ __typ',
      ].join('\r\n'),
    );
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes when a client trickles its headers', async () => {
    const answer = await trickle(gw.url, 'GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Slow: a');
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('does not cut a slow answer: the timeout is for receiving the request', async () => {
    gw.sim.faults.set({ latencyMs: 1000, operations: ['StartFlowCapture'] });
    try {
      const id = await gw.startCapture(undefined, { authorization: `Bearer ${caller.key}` });
      assert.ok(id);
    } finally {
      gw.sim.faults.reset();
    }
  });
});
