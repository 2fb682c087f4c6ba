import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { spawnGateway } from '../helpers/process.js';

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

// FAILS on 0cb5417: drain waits for every socket to finish its close handshake; one peer that
// never answers the 1001 close frame (no credential needed) holds shutdown to SHUTDOWN_TIMEOUT_MS
// and the process then exits 1 ("not drained"), with nothing in flight.
describe('review: shutdown with a websocket peer that never answers its close frame', () => {
  it(
    'exits 0 promptly with nothing in flight',
    { timeout: 30_000, todo: 'FAILS on 0cb5417: waits SHUTDOWN_TIMEOUT_MS, exits 1' },
    async () => {
      const gw = await spawnGateway({ SHUTDOWN_TIMEOUT_MS: '4000', WS_INIT_TIMEOUT_MS: '60000' });
      const silent = await silentWebsocket(gw.url);
      try {
        const started = Date.now();
        const code = await gw.kill('SIGTERM');
        const ms = Date.now() - started;
        const shut = gw.logs.find((l) => l.includes('"Shut down"')) ?? '';
        console.log(`exit=${code} after ${ms} ms; ${shut}`);
        assert.equal(code, 0, `exit ${code} after ${ms} ms: ${shut}`);
        assert.ok(ms < 2000, `shutdown took ${ms} ms`);
      } finally {
        silent.destroy();
      }
    },
  );
});
