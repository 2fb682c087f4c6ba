import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { bearer, newKey, writeKeys } from './auth/support.js';
import { DEMO_ARN } from './helpers/gateway.js';
import { spawnGateway } from './helpers/process.js';

const FIREWALL = 'query Firewall($arn: String!) { firewall(firewallArn: $arn) { firewallName } }';

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

    // Exit 0 is the drain ending by itself: at SHUTDOWN_TIMEOUT_MS it would log the deadline and
    // exit 1. The test's timeout is only a safety net against a hang.
    const code = await gateway.kill('SIGTERM');
    assert.equal(code, 0);
    const done = await gateway.line((l) => l.msg === 'Shut down');
    assert.equal(done.drained, true);
    assert.ok(!gateway.logs.some((l) => l.includes('Shutdown deadline reached')));
    assert.equal(await closed, 1001);
  });

  it('refuses to start on invalid configuration, naming the variable', async () => {
    await assert.rejects(spawnGateway({ PORT: 'eighty' }), /PORT/);
  });

  it('reloads the API keys file and the trusted documents on SIGHUP, its one handler for both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfw-sighup-'));
    try {
      const keys = join(dir, 'keys.json');
      const manifest = join(dir, 'manifest.json');
      const a = newKey('a', ['read'], [DEMO_ARN]);
      const b = newKey('b', ['read'], [DEMO_ARN]);
      writeKeys(keys, [a]);
      writeFileSync(manifest, JSON.stringify({ first: FIREWALL }));
      const gateway = await spawnGateway({
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: keys,
        AUTH_API_KEYS_POLL_MS: '0',
        TRUSTED_DOCUMENTS: 'enforce',
        TRUSTED_DOCUMENTS_FILE: manifest,
        TRUSTED_DOCUMENTS_POLL_MS: '0',
      });
      try {
        const ask = (key: string, id: string) =>
          fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...bearer(key) },
            body: JSON.stringify({ documentId: id, variables: { arn: DEMO_ARN } }),
          });
        writeKeys(keys, [a, b]);
        writeFileSync(manifest, JSON.stringify({ first: FIREWALL, second: FIREWALL }));
        // Without polling, nothing is picked up before the signal.
        assert.equal((await ask(b.key, 'first')).status, 401);
        assert.equal((await ask(a.key, 'second')).status, 404);

        gateway.child.kill('SIGHUP');
        await gateway.line((l) => l.msg === 'API keys file reloaded');
        await gateway.line((l) => l.msg === 'Trusted documents reloaded');
        const res = await ask(b.key, 'second');
        assert.equal(res.status, 200, await res.clone().text());
        const body = (await res.json()) as { data?: { firewall?: { firewallName?: string } } };
        assert.equal(body.data?.firewall?.firewallName, 'demo');
        assert.equal(await gateway.kill('SIGTERM'), 0, 'SIGHUP did not stop it; SIGTERM does');
      } finally {
        await gateway.kill();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
