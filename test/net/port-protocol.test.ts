import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatPort, parsePort, portMatches } from '../../src/net/port.js';
import { parseProtocol, protocolName } from '../../src/net/protocol.js';

function port(text: string) {
  const r = parsePort(text);
  assert.ok(r.ok, `expected ${text} to parse`);
  return r.value;
}

function portReason(text: string): string {
  const r = parsePort(text);
  assert.ok(!r.ok, `expected ${text} to be rejected`);
  return r.reason;
}

describe('parsePort', () => {
  it('accepts ANY, single ports and ranges', () => {
    assert.deepEqual(port('ANY'), { from: 0, to: 65535 });
    assert.deepEqual(port('1994'), { from: 1994, to: 1994 });
    assert.deepEqual(port('1990:1994'), { from: 1990, to: 1994 });
    assert.deepEqual(port('0'), { from: 0, to: 0 });
    assert.deepEqual(port('65535'), { from: 65535, to: 65535 });
    assert.deepEqual(port('7:7'), { from: 7, to: 7 });
  });

  it('rejects malformed specs with a reason', () => {
    assert.equal(portReason('65536'), 'port 65536 is out of range 0..65535');
    assert.equal(portReason('1994:1990'), 'range start 1994 is greater than range end 1990');
    assert.match(portReason('any'), /upper case/);
    assert.match(portReason(''), /empty/);
    assert.match(portReason('1:2:3'), /more than one ':'/);
    assert.match(portReason('-1'), /not a decimal number/);
    assert.match(portReason('+80'), /not a decimal number/);
    assert.match(portReason('080'), /leading zero/);
    assert.match(portReason('80:'), /empty/);
    assert.match(portReason(' 80'), /whitespace/);
    assert.match(portReason('http'), /not a decimal number/);
  });

  it('matches inclusively', () => {
    const range = port('1990:1994');
    assert.ok(portMatches(range, 1990));
    assert.ok(portMatches(range, 1994));
    assert.ok(!portMatches(range, 1989));
    assert.ok(!portMatches(range, 1995));
    assert.ok(portMatches(port('ANY'), 0));
  });

  it('a<=b is accepted, a>b rejected, and formatting round-trips', () => {
    const p = fc.integer({ min: 0, max: 65535 });
    fc.assert(
      fc.property(p, p, (a, b) => {
        const r = parsePort(`${a}:${b}`);
        assert.equal(r.ok, a <= b);
        if (r.ok) {
          assert.deepEqual(r.value, { from: a, to: b });
          assert.deepEqual(port(formatPort(r.value)), r.value);
          assert.ok(portMatches(r.value, a) && portMatches(r.value, b));
        }
      }),
    );
  });
});

describe('parseProtocol', () => {
  it('accepts IANA numbers 0..255', () => {
    for (const n of [0, 1, 6, 17, 58, 255]) {
      const r = parseProtocol(String(n));
      assert.ok(r.ok && r.value === n);
    }
    assert.equal(protocolName(6), 'TCP');
    assert.equal(protocolName(200), undefined);
  });

  it('rejects anything else with a reason', () => {
    for (const [text, pattern] of [
      ['256', /out of range 0..255/],
      ['+6', /not a decimal number/],
      ['-1', /not a decimal number/],
      ['tcp', /not a decimal number/],
      ['06', /leading zero/],
      ['', /empty/],
      ['6.0', /not a decimal number/],
    ] as const) {
      const r = parseProtocol(text);
      assert.ok(!r.ok, text);
      assert.match(r.reason, pattern);
    }
  });

  it('agrees with the range for every integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        assert.equal(parseProtocol(String(n)).ok, n >= 0 && n <= 255);
      }),
    );
  });
});
