import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/canonical-json.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { BadUserInputError } from '../../src/errors.js';
import { nestsDeeperThan } from '../../src/limits/depth.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { RawSocket } from '../helpers/raw-socket.js';

/** `n` nested arrays around a string, as JSON text: JSON.stringify itself cannot write it. */
const nestedJson = (n: number) => `${'['.repeat(n)}"x"${']'.repeat(n)}`;

/** The same as a value, built without recursion. */
function nested(n: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < n; i++) value = [value];
  return value;
}

const STATUS = `subscription($arn: String!, $id: ID!) { flowOperationStatusChanged(firewallArn: $arn, availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus } }`;

describe('depth of caller values', () => {
  it('measures without recursion, stopping past the limit', () => {
    assert.equal(nestsDeeperThan('x', 1), false);
    assert.equal(nestsDeeperThan(nested(32), 32), false);
    assert.equal(nestsDeeperThan(nested(33), 32), true);
    assert.equal(nestsDeeperThan({ a: [{ b: {} }] }, 3), true);
    assert.equal(nestsDeeperThan({ a: [{ b: 1 }], c: [[]] }, 3), false);
    // Far past what JSON.stringify (or any recursion) survives.
    assert.equal(nestsDeeperThan(nested(1_000_000), 32), true);
  });

  it("canonicalJson refuses a value too deep for JSON.stringify as the caller's mistake", () => {
    assert.throws(
      () => canonicalJson({ v: nested(30_000) }),
      (e: unknown) => e instanceof BadUserInputError && e.extensions.code === 'BAD_USER_INPUT',
    );
    assert.equal(canonicalJson({ b: [[1]], a: undefined }), '{"b":[[1]]}');
  });
});

describe('MAX_VARIABLE_DEPTH and DOCUMENT_CACHE_BYTES settings', () => {
  it('default to 32 levels and 32 MB, and refuse what would disable the limit', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.limits.maxVariableDepth, 32);
    assert.equal(defaults.documentCacheBytes, 32 * 1024 * 1024);
    assert.equal(loadConfig({ MAX_VARIABLE_DEPTH: '8' }).limits.maxVariableDepth, 8);
    assert.equal(loadConfig({ DOCUMENT_CACHE_BYTES: '4mb' }).documentCacheBytes, 4 * 1024 * 1024);
    assert.equal(loadConfig({ DOCUMENT_CACHE_BYTES: '0' }).documentCacheBytes, 0);
    // Past 256, JSON.stringify-style walks approach the stack again.
    assert.throws(() => loadConfig({ MAX_VARIABLE_DEPTH: '1000' }), ConfigError);
    assert.throws(() => loadConfig({ DOCUMENT_CACHE_BYTES: 'lots' }), ConfigError);
  });
});

describe('MAX_VARIABLE_DEPTH on a real gateway', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(async () => gw.close());

  const post = async (variablesJson: string) => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"query($arn: String!) { firewall(firewallArn: $arn) { firewallArn } }","variables":${variablesJson}}`,
    });
    return {
      status: res.status,
      body: (await res.json()) as { errors?: { message: string; extensions: { code: string } }[] },
    };
  };

  it('HTTP: 30,000 nested arrays are BAD_USER_INPUT before use, used or not', async () => {
    for (const variables of [
      `{"arn":${nestedJson(30_000)}}`,
      // Not declared by the operation: nothing would read it, and still it is not accepted.
      `{"arn":"${DEMO_ARN}","other":${nestedJson(30_000)}}`,
    ]) {
      const { status, body } = await post(variables);
      assert.equal(status, 400);
      assert.equal(body.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
      assert.match(
        body.errors?.[0]?.message ?? '',
        /more than 32 levels deep \(MAX_VARIABLE_DEPTH\)/,
      );
    }
    // 32 levels, the variables map included, are fine.
    const ok = await post(`{"arn":"${DEMO_ARN}","other":${nestedJson(31)}}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.errors, undefined);
  });

  it('websocket: refused with BAD_USER_INPUT, and the socket stays up (no 4500)', async () => {
    const socket = await RawSocket.acked(gw.url);
    try {
      socket.subscribe('deep', STATUS, `{"arn":${nestedJson(30_000)},"id":"x"}`);
      const refused = await socket.next((m) => m.id === 'deep');
      assert.equal(refused.type, 'error');
      const [error] = refused.payload as { message: string; extensions: { code: string } }[];
      assert.equal(error?.extensions.code, 'BAD_USER_INPUT');
      assert.match(error?.message ?? '', /MAX_VARIABLE_DEPTH/);
      socket.subscribe('then', `{ firewall(firewallArn: "${DEMO_ARN}") { firewallArn } }`);
      assert.equal((await socket.next((m) => m.id === 'then')).type, 'next');
    } finally {
      socket.close();
    }
  });
});
