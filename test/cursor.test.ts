import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CursorCodec, deriveCursorKeys } from '../src/cursor.js';
import type { CursorPosition } from '../src/cursor.js';
import { BadUserInputError, ErrorCode } from '../src/errors.js';
import { countStringWork } from './helpers/work-count.js';

const SECRET = Buffer.from('test-secret-0123456789abcdef', 'utf8');
const codec = new CursorCodec(SECRET);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Asserts that `fn` throws a BadUserInputError naming `path`, and nothing else. */
function assertRefused(fn: () => unknown, path = 'after'): BadUserInputError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, 'expected the cursor to be refused');
  assert.ok(
    thrown instanceof BadUserInputError,
    `expected BadUserInputError, got ${String((thrown as Error)?.constructor?.name)}: ${String(thrown)}`,
  );
  assert.equal(thrown.extensions.code, ErrorCode.BAD_USER_INPUT);
  assert.equal(thrown.extensions.argumentPath, path);
  assert.ok(thrown.message.startsWith(`${path} `), thrown.message);
  return thrown;
}

/** Seals an arbitrary plaintext with the test secret's keys, the way the codec does. */
function forge(body: string, secret: Buffer = SECRET): string {
  const keys = deriveCursorKeys(secret);
  const plaintext = Buffer.from(body, 'utf8');
  const nonce = createHmac('sha256', keys.nonce).update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce);
  const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final()]);
  return `${sealed.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** The scope as a sealed payload carries it. */
function scopeDigest(scope: string): string {
  return createHash('sha256').update(scope).digest().subarray(0, 16).toString('base64url');
}

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
);
// fc.record builds null-prototype objects; a plain literal compares deep-equal to what decode returns.
const positionArb: fc.Arbitrary<CursorPosition> = fc
  .tuple(fc.option(anyString, { nil: null }), fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }))
  .map(([token, offset]) => ({ token, offset }));

describe('CursorCodec round trip', () => {
  it('decodes what it encoded, for any kind, scope, token and offset', () => {
    fc.assert(
      fc.property(anyString, anyString, positionArb, (kind, scope, position) => {
        const cursor = codec.encode(kind, scope, position);
        assert.deepEqual(codec.decode(cursor, kind, scope, 'after'), position);
      }),
      { numRuns: 300 },
    );
  });

  it('issues URL-safe, opaque cursors', () => {
    fc.assert(
      fc.property(anyString, anyString, positionArb, (kind, scope, position) => {
        const cursor = codec.encode(kind, scope, position);
        assert.match(cursor, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic and distinguishes positions', () => {
    const a = codec.encode('flows', 's', { token: 't', offset: 1 });
    assert.equal(codec.encode('flows', 's', { token: 't', offset: 1 }), a);
    assert.notEqual(codec.encode('flows', 's', { token: 't', offset: 2 }), a);
    assert.notEqual(codec.encode('flows', 's', { token: null, offset: 1 }), a);
    assert.notEqual(codec.encode('flows', 's', { token: 'u', offset: 1 }), a);
  });

  it("keeps a page boundary's edge mark, distinct from the same position without it", () => {
    const boundary = { token: 'next', offset: -1, edge: true as const };
    const cursor = codec.encode('flows', 's', boundary);
    assert.deepEqual(codec.decode(cursor, 'flows', 's', 'after'), boundary);
    assert.notEqual(codec.encode('flows', 's', { token: 'next', offset: -1 }), cursor);
  });

  it('keeps a null token distinct from the string "null" and the empty string', () => {
    for (const token of [null, 'null', '']) {
      const cursor = codec.encode('k', 's', { token, offset: 0 });
      assert.deepEqual(codec.decode(cursor, 'k', 's', 'after'), { token, offset: 0 });
    }
  });

  it("carries the longest position the gateway issues: every zone's 4096-character NextToken", () => {
    // Firewall.flowOperations across zones keeps each zone's AWS token in every cursor.
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => ({
      z: `us-east-1${z}`,
      t: 'T'.repeat(4096),
    }));
    const position = { token: JSON.stringify(zones), offset: 99 };
    const cursor = codec.encode('flowOperations', 'scope', position);
    assert.deepEqual(codec.decode(cursor, 'flowOperations', 'scope', 'after'), position);
  });

  it('two codecs with the same secret agree (cursors survive a gateway restart)', () => {
    const other = new CursorCodec(Buffer.from(SECRET));
    const cursor = codec.encode('flows', 'scope', { token: 'abc', offset: 7 });
    assert.deepEqual(other.decode(cursor, 'flows', 'scope', 'after'), { token: 'abc', offset: 7 });
  });
});

describe('CursorCodec binding to a connection', () => {
  it('refuses a cursor issued for another kind', () => {
    fc.assert(
      fc.property(anyString, anyString, anyString, positionArb, (kindA, kindB, scope, position) => {
        fc.pre(kindA !== kindB);
        const cursor = codec.encode(kindA, scope, position);
        const error = assertRefused(() => codec.decode(cursor, kindB, scope, 'after'));
        assert.match(error.message, /another list/);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a cursor issued for another scope', () => {
    fc.assert(
      fc.property(
        anyString,
        anyString,
        anyString,
        positionArb,
        (kind, scopeA, scopeB, position) => {
          fc.pre(scopeA !== scopeB);
          const cursor = codec.encode(kind, scopeA, position);
          assertRefused(() => codec.decode(cursor, kind, scopeB, 'after'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('does not confuse kind and scope (no concatenation ambiguity)', () => {
    const cursor = codec.encode('ab', 'c', { token: null, offset: 0 });
    assertRefused(() => codec.decode(cursor, 'a', 'bc', 'after'));
    assertRefused(() => codec.decode(cursor, 'c', 'ab', 'after'));
  });

  it('names the argument path it was given', () => {
    const cursor = codec.encode('flows', 'x', { token: null, offset: 0 });
    assertRefused(() => codec.decode(cursor, 'firewalls', 'x', 'input.after'), 'input.after');
    assertRefused(() => codec.decode('garbage', 'flows', 'x', 'flows.after'), 'flows.after');
  });
});

describe('CursorCodec tampering', () => {
  const kind = 'flows';
  const scope = '["arn:aws:network-firewall:us-east-1:123456789012:firewall/fw",null,null,null]';
  const issued = positionArb.map((position) => codec.encode(kind, scope, position));

  it('refuses any single-character substitution, in the body or in the mac', () => {
    fc.assert(
      fc.property(
        issued,
        fc.nat(),
        fc.constantFrom(...B64URL, '.', '=', '!', '+', '/', ' '),
        (cursor, at, ch) => {
          const i = at % cursor.length;
          fc.pre(cursor[i] !== ch);
          const tampered = cursor.slice(0, i) + ch + cursor.slice(i + 1);
          assertRefused(() => codec.decode(tampered, kind, scope, 'after'));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses every substitution of the last mac character (no padding-bit malleability)', () => {
    const cursor = codec.encode(kind, scope, { token: 'tok', offset: 3 });
    for (const ch of B64URL) {
      if (ch === cursor.at(-1)) continue;
      assertRefused(() => codec.decode(cursor.slice(0, -1) + ch, kind, scope, 'after'));
    }
  });

  it('refuses insertions, deletions, truncations and extensions', () => {
    fc.assert(
      fc.property(
        issued,
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...B64URL, '.', '=', '!', '\n', '%'),
        (cursor, a, b, ch) => {
          const i = a % (cursor.length + 1);
          const j = b % cursor.length;
          const variants = [
            cursor.slice(0, i) + ch + cursor.slice(i), // insertion
            cursor.slice(0, j) + cursor.slice(j + 1), // deletion
            cursor.slice(0, j), // truncation
            cursor + ch, // extension
            ch + cursor,
          ];
          for (const v of variants) {
            if (v === cursor) continue;
            assertRefused(() => codec.decode(v, kind, scope, 'after'));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses arbitrary strings, and never throws anything but BadUserInputError', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        assertRefused(() => codec.decode(s, kind, scope, 'after'));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses base64url junk of the right shape', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        (body, mac) => {
          const cursor = `${Buffer.from(body).toString('base64url')}.${Buffer.from(mac).toString('base64url')}`;
          assertRefused(() => codec.decode(cursor, kind, scope, 'after'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a well-formed payload for this very list under a wrong mac', () => {
    fc.assert(
      fc.property(positionArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), (position, mac) => {
        const body = JSON.stringify({
          v: 2,
          k: kind,
          s: scopeDigest(scope),
          t: position.token,
          o: position.offset,
        });
        const cursor = `${Buffer.from(body).toString('base64url')}.${Buffer.from(mac).toString('base64url')}`;
        assertRefused(() => codec.decode(cursor, kind, scope, 'after'));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a payload with its own position changed but the original tag', () => {
    const cursor = codec.encode(kind, scope, { token: 'page-2', offset: 5 });
    const tag = cursor.split('.')[1] ?? '';
    const body = JSON.stringify({ v: 2, k: kind, s: scopeDigest(scope), t: 'page-2', o: 50 });
    assertRefused(() =>
      codec.decode(`${Buffer.from(body).toString('base64url')}.${tag}`, kind, scope, 'after'),
    );
    // Ciphertext bits flipped where the offset sits (GCM is a stream mode): still refused.
    const [sealed = ''] = cursor.split('.');
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 3]! ^= 0x01;
    assertRefused(() => codec.decode(`${raw.toString('base64url')}.${tag}`, kind, scope, 'after'));
  });

  it('refuses cursors signed with a different secret', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        positionArb,
        (secret, position) => {
          fc.pre(!Buffer.from(secret).equals(SECRET));
          const foreign = new CursorCodec(Buffer.from(secret)).encode(kind, scope, position);
          assertRefused(() => codec.decode(foreign, kind, scope, 'after'));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a cursor with a truncated (8-byte) or extended (32-byte) tag', () => {
    const cursor = codec.encode(kind, scope, { token: null, offset: 0 });
    const [body = '', tag = ''] = cursor.split('.');
    const real = Buffer.from(tag, 'base64url');
    for (const mac of [real.subarray(0, 8), Buffer.concat([real, real]), Buffer.alloc(0)]) {
      assertRefused(() =>
        codec.decode(`${body}.${mac.toString('base64url')}`, kind, scope, 'after'),
      );
    }
  });

  it('refuses correctly sealed payloads that are malformed', () => {
    const s = scopeDigest(scope);
    // The same sealing, well formed, is accepted: the refusals below are for the content.
    assert.deepEqual(
      codec.decode(forge(JSON.stringify({ v: 2, k: kind, s, t: 'x', o: 3 })), kind, scope, 'a'),
      { token: 'x', offset: 3 },
    );
    const bodies = [
      { v: 2, k: kind, s, t: null, o: -2 },
      { v: 2, k: kind, s, t: null, o: 1.5 },
      { v: 2, k: kind, s, t: null, o: '3' },
      { v: 2, k: kind, s, t: 5, o: 0 },
      { v: 2, k: kind, s, t: null },
      { v: 2, k: kind, s, o: 0 },
      { v: 2, s, t: null, o: 0 },
      // The scope itself instead of its digest, as a version 1 cursor carried it.
      { v: 2, k: kind, s: scope, t: null, o: 0 },
      [kind, scope],
      'a string',
      42,
    ];
    for (const body of bodies) {
      assertRefused(() => codec.decode(forge(JSON.stringify(body)), kind, scope, 'after'));
    }
    assertRefused(() => codec.decode(forge('{not json'), kind, scope, 'after'));
    assertRefused(() => codec.decode(forge(''), kind, scope, 'after'));
  });

  it('refuses a correctly sealed JSON null payload with BadUserInputError, not TypeError', () => {
    assertRefused(() => codec.decode(forge('null'), kind, scope, 'after'));
  });

  it('refuses empty strings, lone dots and a missing body or mac', () => {
    const cursor = codec.encode(kind, scope, { token: null, offset: 0 });
    const [body = '', mac = ''] = cursor.split('.');
    for (const s of ['', '.', '..', `.${mac}`, `${body}.`, body, mac, `${body}..${mac}`]) {
      assertRefused(() => codec.decode(s, kind, scope, 'after'));
    }
  });

  it('refuses huge input without reading it: as much work for 2 MB as for 1 MB', () => {
    // No clock: the characters string primitives read are counted (test/helpers/work-count.ts);
    // a codec that decoded or hashed before the length check would read twice as many.
    const huge = (size: number) => `${'A'.repeat(size)}.${'B'.repeat(22)}`;
    const decode = (cursor: string) => () => codec.decode(cursor, kind, scope, 'after');
    for (const cursor of [huge(1_000_000), 'x'.repeat(65_537)]) assertRefused(decode(cursor));
    const [once, twice] = [1_000_000, 2_000_000].map((size) => countStringWork(decode(huge(size))));
    assert.ok(once! < 1024 && once === twice, `read ${once} and ${twice} characters`);
  });

  it('refuses a correctly sealed cursor longer than 65536 characters', () => {
    const token = 'x'.repeat(50_000);
    const big = codec.encode(kind, scope, { token, offset: 0 });
    assert.ok(big.length > 65_536);
    assertRefused(() => codec.decode(big, kind, scope, 'after'));
  });

  it('still accepts a large but legitimate cursor (a 2048-character AWS NextToken)', () => {
    const token = 'A/b+C='.repeat(342).slice(0, 2048);
    const cursor = codec.encode(kind, scope, { token, offset: 99 });
    assert.ok(cursor.length <= 8192);
    assert.deepEqual(codec.decode(cursor, kind, scope, 'after'), { token, offset: 99 });
  });
});

describe('CursorCodec opacity', () => {
  const readable = (cursor: string): string =>
    cursor
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('.');

  it('a cursor reveals neither its list’s scope nor its page token nor its kind', () => {
    const scope = 'us-east-1|,us-west-2|,eu-west-1|444455556666#0123456789abcdef';
    const token = JSON.stringify({ i: 2, t: 'eu-west-1:444455556666:page-2' });
    const cursor = codec.encode('firewalls', scope, { token, offset: 3 });
    const text = readable(cursor);
    for (const secret of ['444455556666', 'eu-west-1', 'us-east-1', 'page-2', 'firewalls', '"o"']) {
      assert.ok(!text.includes(secret), `${secret} readable in ${text}`);
    }
    assert.deepEqual(codec.decode(cursor, 'firewalls', scope, 'after'), { token, offset: 3 });
  });

  it('no token or scope of 8 characters or more shows through, for any input', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 64 }),
        fc.string({ minLength: 8, maxLength: 64 }),
        positionArb,
        (scope, token, { offset }) => {
          const text = readable(codec.encode('firewalls', scope, { token, offset }));
          const base64 = (s: string) => Buffer.from(s).toString('base64url').slice(0, 10);
          for (const s of [scope, token]) {
            assert.ok(!text.includes(s));
            assert.ok(!text.includes(base64(s)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the same position under another secret is another cursor', () => {
    const other = new CursorCodec(Buffer.from('another-secret-0123456789', 'utf8'));
    const position = { token: 'tok', offset: 1 };
    assert.notEqual(other.encode('k', 's', position), codec.encode('k', 's', position));
  });
});
