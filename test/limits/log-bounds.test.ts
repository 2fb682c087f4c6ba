import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createLogger } from '../../src/logger.js';
import type { Logger } from '../../src/logger.js';
import { clip, clipDeep } from '../../src/observability/clip.js';
import { MAX_LOG_LINE_BYTES } from '../../src/observability/line-limit.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { bearer, newKey, writeKeys } from '../auth/support.js';

/** A logger whose lines are kept as the exact text written, to measure them. */
function rawLogger(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  let pending = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        lines.push(pending.slice(0, newline + 1));
        pending = pending.slice(newline + 1);
      }
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

const bytes = (line: string) => Buffer.byteLength(line);
const FLUSH = `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId } }`;

describe('clip', () => {
  it('keeps short values, cuts long ones and says how long they were', () => {
    assert.equal(clip('abc'), 'abc');
    assert.equal(clip('x'.repeat(256)), 'x'.repeat(256));
    assert.equal(clip('x'.repeat(1000), 10), `${'x'.repeat(10)}… (1000 chars)`);
    const deep = clipDeep(
      {
        a: 'y'.repeat(5000),
        list: Array.from({ length: 50 }, () => 'z'),
        n: { n: { n: { n: 1 } } },
      },
      { maxString: 8, maxEntries: 3, maxDepth: 3 },
    );
    assert.deepEqual(deep, {
      a: 'yyyyyyyy… (5000 chars)',
      list: ['z', 'z', 'z', '… (50 items)'],
      n: { n: { n: '[object]' } },
    });
  });
});

describe('no log line over 8 KB', () => {
  it('holds for any logged object, message and child bindings, and every line stays valid JSON', () => {
    // fast-check keeps generated strings short by default: long ones are built by repetition.
    const big = fc
      .tuple(fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme' }), fc.nat({ max: 20_000 }))
      .map(([unit, times]) => unit.repeat(times));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 40 }), fc.oneof(big, fc.jsonValue({ maxDepth: 6 }))),
        big,
        // Binding names are the gateway's own (pino calls methods on the bindings object).
        fc
          .dictionary(fc.stringMatching(/^[a-z]{1,12}$/), big, { maxKeys: 3 })
          .map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [`b_${k}`, v]))),
        (fields, message, bindings) => {
          const { logger, lines } = rawLogger();
          logger.child(bindings).info(fields, message);
          logger.warn({ audit: true, action: 'startFlowFlush', outcome: 'FORBIDDEN', fields });
          assert.equal(lines.length, 2);
          for (const line of lines) {
            assert.ok(bytes(line) <= MAX_LOG_LINE_BYTES, `line of ${bytes(line)} bytes`);
            assert.equal(typeof JSON.parse(line), 'object');
          }
          // What says what the line is about survives.
          const second = JSON.parse(lines[1]!) as Record<string, unknown>;
          assert.equal(second.action, 'startFlowFlush');
          assert.equal(second.outcome, 'FORBIDDEN');
          assert.equal(second.level, 'warn');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves a line within the bound untouched', () => {
    const { logger, lines } = rawLogger();
    logger.info({ value: 'v'.repeat(4000) }, 'fits');
    assert.equal((JSON.parse(lines[0]!) as { value: string }).value, 'v'.repeat(4000));
    assert.equal((JSON.parse(lines[0]!) as { truncatedFrom?: number }).truncatedFrom, undefined);
  });
});

describe('caller text in audit lines, logs and errors (wire)', () => {
  let dir: string;
  let gw: TestGateway;
  const log = rawLogger();
  const writer = newKey('writer', ['read', 'write'], ['arn:aws:network-firewall:*:*:firewall/*']);
  const viewer = newKey('viewer', ['read'], ['arn:aws:network-firewall:*:*:firewall/*']);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-logs-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [writer, viewer]);
    gw = await startGateway(
      { AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: file, LOG_LEVEL: 'info' },
      { logger: log.logger },
    );
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a refused startFlowFlush with 20 filters of 50 KB as one audit line under 8 KB naming action and outcome', async () => {
    const filler = '1'.repeat(50_000);
    // One 50 KB field per filter: 1 MB in all, just within the default BODY_LIMIT.
    const fields = [
      { sourceAddress: { addressDefinition: filler } },
      { destinationPort: filler },
      { protocols: [filler] },
      { sourcePort: filler },
    ];
    const flowFilters = Array.from({ length: 20 }, (_, i) => fields[i % fields.length]!);
    for (const key of [viewer, writer]) {
      log.lines.length = 0;
      const res = await gw.gql(
        FLUSH,
        { input: { firewallArn: DEMO_ARN, availabilityZone: DEMO_AZ, flowFilters } },
        undefined,
        bearer(key.key),
      );
      const code = res.errors?.[0]?.extensions?.code;
      assert.equal(code, key === viewer ? 'FORBIDDEN' : 'BAD_USER_INPUT');
      const audit = log.lines.filter((l) => l.includes('"audit":true'));
      assert.equal(audit.length, 1, key.name);
      assert.ok(bytes(audit[0]!) < 8192, `audit line of ${bytes(audit[0]!)} bytes`);
      const entry = JSON.parse(audit[0]!) as Record<string, unknown>;
      assert.equal(entry.action, 'startFlowFlush');
      assert.equal(entry.outcome, code);
      assert.equal(entry.flowFilterCount, 20);
      for (const line of log.lines) assert.ok(bytes(line) <= MAX_LOG_LINE_BYTES);
    }
    assert.equal(gw.sim.log.count(), 0);
  });

  it('answers a 900 KB destinationPort with an error message under 1 KB, and logs under 8 KB', async () => {
    log.lines.length = 0;
    const res = await gw.gql(
      FLUSH,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '1:'.repeat(450_000) }],
        },
      },
      undefined,
      bearer(writer.key),
    );
    const error = res.errors?.[0];
    assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(error?.extensions?.argumentPath, 'input.flowFilters[0].destinationPort');
    assert.ok(error.message.length < 1024, `message of ${error.message.length} chars`);
    assert.ok(JSON.stringify(res).length < 2048, `response of ${JSON.stringify(res).length} chars`);
    const total = log.lines.reduce((sum, line) => sum + bytes(line), 0);
    assert.ok(total < 16_384, `${total} bytes of log for one request`);
  });

  it('clips graphql-js messages that quote a variable whole', async () => {
    const res = await gw.gql(
      `query($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`,
      { arn: { huge: 'h'.repeat(900_000) } },
      undefined,
      bearer(viewer.key),
    );
    assert.ok(res.errors?.[0]);
    assert.ok(res.errors[0].message.length < 1100, `message of ${res.errors[0].message.length}`);
  });
});
