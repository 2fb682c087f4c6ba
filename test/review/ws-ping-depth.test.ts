import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newKey, writeKeys } from '../auth/support.js';
import { spawnGateway } from '../helpers/process.js';
import { RawClient } from '../helpers/raw-client.js';

// FAILS on 0cb5417: the pong echoes the ping's payload through JSON.stringify, which recurses; a
// 20 KB ping nested 10,000 deep, sent before connection_init (no credential), throws RangeError:
// the socket closes with 4500 and an error-level line with a stack is logged, once per frame.
describe('review: deeply nested ping payload', () => {
  it(
    'answers or refuses it without an internal error',
    {
      timeout: 30_000,
      todo: 'FAILS on 0cb5417: 4500 and an error-level stack, no credential needed',
    },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'review-ping-'));
      writeKeys(join(dir, 'keys.json'), [newKey('reader', ['read'], ['*'])]);
      const gw = await spawnGateway({
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: join(dir, 'keys.json'),
      });
      try {
        const client = await RawClient.open(gw.url);
        const depth = 10_000;
        client.send(`{"type":"ping","payload":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
        const code = await client.closed(5000).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
        const errors = gw.logs.filter(
          (l) => l.includes('"level":"error"') || l.includes('"level":50'),
        );
        console.log(
          `close code ${code}; error lines: ${errors.length}; ${errors[0]?.slice(0, 300)}`,
        );
        assert.notEqual(code, 4500);
        assert.equal(errors.length, 0);
      } finally {
        await gw.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
