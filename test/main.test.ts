import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { spawnGateway } from './helpers/process.js';

describe('the gateway process', () => {
  it('says it runs on the simulator first, and exits 0 on SIGTERM, closing websockets with 1001', async () => {
    const gateway = await spawnGateway({ NODE_ENV: 'development' });
    const first = JSON.parse(gateway.logs[0] ?? '{}') as { msg?: string };
    assert.match(first.msg ?? '', /simulator/i);

    const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((r) => socket.once('message', r));
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));

    const started = Date.now();
    const code = await gateway.kill('SIGTERM');
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10_000, 'within 10 s');
    assert.equal(await closed, 1001);
  });

  it('refuses to start on invalid configuration, naming the variable', async () => {
    await assert.rejects(spawnGateway({ PORT: 'eighty' }), /PORT/);
  });
});
