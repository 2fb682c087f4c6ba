import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringifyExact } from '../../src/simulator/exact-json.js';

describe('stringifyExact', () => {
  it('writes a bigint as the exact JSON number AWS sends for a Long', () => {
    assert.equal(
      stringifyExact({ ByteCount: 2n ** 53n + 1n, PacketCount: -(2n ** 63n), Age: 5 }),
      '{"ByteCount":9007199254740993,"PacketCount":-9223372036854775808,"Age":5}',
    );
  });

  it('writes everything else as JSON.stringify does, strings that look like its marker included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        assert.equal(stringifyExact(value), JSON.stringify(value));
        const lookalike = { a: `bigint-${text}:123`, b: `"bigint-:1"` };
        assert.equal(stringifyExact(lookalike), JSON.stringify(lookalike));
      }),
    );
  });
});
