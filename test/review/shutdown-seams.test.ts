import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newKey, writeKeys } from '../auth/support.js';
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
describe('review: shutdown held by a client that sends nothing more', () => {
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

  it(
    'exits 0 promptly while an unauthenticated client trickles a request body',
    { timeout: 30_000, todo: 'FAILS on 0cb5417: waits SHUTDOWN_TIMEOUT_MS, exits 1' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'review-trickle-'));
      writeKeys(join(dir, 'keys.json'), [newKey('reader', ['read'], ['*'])]);
      const gw = await spawnGateway({
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: join(dir, 'keys.json'),
        SHUTDOWN_TIMEOUT_MS: '4000',
      });
      const url = new URL(gw.url);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
      );
      socket.on('data', () => undefined);
      await new Promise((r) => setTimeout(r, 300));
      try {
        const started = Date.now();
        const code = await gw.kill('SIGTERM');
        const ms = Date.now() - started;
        console.log(`trickle: exit=${code} after ${ms} ms`);
        assert.equal(code, 0);
        assert.ok(ms < 2000, `shutdown took ${ms} ms`);
      } finally {
        socket.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
