import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { spawnGateway } from '../helpers/process.js';
import type { GatewayProcess } from '../helpers/process.js';

/**
 * The attack, on the wire: a read key holding the pattern `npm run apikey` writes by
 * default sends a 60 KB firewall ARN crafted to make a backtracking glob explode. The gateway runs
 * as its own process, so `/healthz` is a real concurrent request: a frozen event loop cannot
 * answer it. Before the fix this request held the process for over 10 s.
 */

const CRAFTED = `arn:aws:network-firewall:${':'.repeat(60_000)}x`;
// Generous: the fixed gateway answers in milliseconds; the old one took over 10 s.
const BOUND_MS = 5000;

const FIREWALL = `query($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`;
const EVENTS = `subscription($arn: String!) { flowOperationEvents(firewallArn: $arn) { flowOperationId } }`;

/** A key made exactly as an operator would: `npm run apikey -- <name> read`, default pattern. */
function apikeyScript(name: string): { key: string; entry: Record<string, unknown> } {
  const script = fileURLToPath(new URL('../../scripts/apikey.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, name, 'read'], { encoding: 'utf8' });
  const key = /store nowhere else\): (\S+)/.exec(out)?.[1];
  const entry = JSON.parse(out.slice(out.indexOf('{'))) as Record<string, unknown>;
  if (!key) throw new Error(`unexpected apikey output: ${out}`);
  return { key, entry };
}

async function healthz(url: string): Promise<number> {
  const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(BOUND_MS) });
  return res.status;
}

describe('a 60 KB crafted firewallArn against the default key pattern (wire)', () => {
  let dir: string;
  let gw: GatewayProcess;
  let key: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-redos-'));
    const made = apikeyScript('reader');
    assert.deepEqual(made.entry.firewalls, ['arn:aws:network-firewall:*:*:firewall/*']);
    key = made.key;
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [made.entry] }));
    gw = await spawnGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
    });
  });
  after(async () => {
    await gw?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers BAD_USER_INPUT over HTTP while /healthz is answered', async () => {
    const query = fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: FIREWALL, variables: { arn: CRAFTED } }),
      signal: AbortSignal.timeout(BOUND_MS),
    });
    const [res, health] = await Promise.all([query, healthz(gw.url)]);
    assert.equal(health, 200);
    const body = (await res.json()) as {
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    const error = body.errors?.[0];
    assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(body).slice(0, 500));
    assert.equal(error?.extensions?.argumentPath, 'firewallArn');
    assert.ok(error.message.length < 1024, `message of ${error.message.length} chars`);
    // The message says why and shows the value clipped, with its length.
    assert.match(error.message, /too long/);
    assert.match(error.message, /60026/);
  });

  it('answers BAD_USER_INPUT to a websocket subscribe while /healthz is answered', async () => {
    const client = createClient({
      url: gw.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key}` },
    });
    try {
      const subscribed = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to subscribe')), BOUND_MS);
        client.subscribe(
          { query: EVENTS, variables: { arn: CRAFTED } },
          {
            next: (value) => {
              clearTimeout(timer);
              resolve(value.errors);
            },
            error: (error) => {
              clearTimeout(timer);
              resolve(error);
            },
            complete: () => {},
          },
        );
      });
      const [errors, health] = await Promise.all([subscribed, healthz(gw.url)]);
      assert.equal(health, 200);
      const first = (errors as { extensions?: Record<string, unknown> }[] | undefined)?.[0];
      assert.equal(
        first?.extensions?.code,
        'BAD_USER_INPUT',
        JSON.stringify(errors)?.slice(0, 500),
      );
      assert.equal(first?.extensions?.argumentPath, 'firewallArn');
    } finally {
      await client.dispose();
    }
  });
});
