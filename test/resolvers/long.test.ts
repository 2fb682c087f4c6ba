import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GraphQLError, Kind } from 'graphql';
import { Long } from '../../src/resolvers/long.js';

const MAX_SAFE = 2n ** 53n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof GraphQLError && message.test(e.message));
}

describe('Long', () => {
  it('serializes within ±(2^53 - 1) as a JSON number, beyond as its decimal digits', () => {
    assert.equal(Long.serialize(0), 0);
    assert.equal(Long.serialize(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
    assert.equal(Long.serialize(-Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
    assert.equal(Long.serialize(MAX_SAFE), Number.MAX_SAFE_INTEGER);
    assert.equal(Long.serialize(MAX_SAFE + 1n), '9007199254740992');
    assert.equal(Long.serialize('9007199254740993'), '9007199254740993');
    assert.equal(Long.serialize('-9007199254740993'), '-9007199254740993');
    assert.equal(Long.serialize('4096'), 4096);
    assert.equal(Long.serialize(INT64_MAX), '9223372036854775807');
    assert.equal(Long.serialize(INT64_MIN), '-9223372036854775808');
  });

  it('refuses a number that has already lost precision, and anything beyond 64 bits', () => {
    refused(() => Long.serialize(2 ** 53), /cannot represent 9007199254740992 exactly/);
    refused(() => Long.serialize(1.5), /cannot represent 1\.5 exactly/);
    refused(() => Long.serialize(INT64_MAX + 1n), /outside the 64-bit range/);
    refused(() => Long.serialize('9223372036854775808'), /outside the 64-bit range/);
    for (const text of ['', '01', '1.0', '1e3', ' 1', '+1', '0x10', '1'.repeat(21), 'abc']) {
      refused(() => Long.serialize(text), /string of decimal digits/);
    }
    refused(() => Long.serialize(null), /string of decimal digits/);
  });

  it('reads variables and literals, numbers or strings, as exact bigints', () => {
    assert.equal(Long.parseValue(42), 42n);
    assert.equal(Long.parseValue('9007199254740993'), 9007199254740993n);
    assert.equal(Long.parseLiteral({ kind: Kind.INT, value: '9223372036854775807' }), INT64_MAX);
    assert.equal(Long.parseLiteral({ kind: Kind.STRING, value: '-5' }), -5n);
    refused(() => Long.parseLiteral({ kind: Kind.FLOAT, value: '1.5' }), /integer or a string/);
    refused(() => Long.parseValue(2 ** 60), /exactly/);
  });

  it('every int64 survives serialize and a JSON round trip exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
        const wire = JSON.parse(JSON.stringify({ v: Long.serialize(n) })) as { v: number | string };
        assert.equal(typeof wire.v, n >= -MAX_SAFE && n <= MAX_SAFE ? 'number' : 'string');
        assert.equal(BigInt(wire.v), n);
        assert.equal(Long.parseValue(wire.v), n);
      }),
      { numRuns: 1000 },
    );
  });
});
