import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CidrParseError,
  cidrContains,
  formatIp,
  parseCidr,
  parseAddressDefinition,
  parseIpOrThrow,
  parseIp,
} from '../../src/net/ip.js';
import type { Cidr, IpAddress, IpVersion } from '../../src/net/ip.js';

function cidr(text: string): Cidr {
  const r = parseCidr(text);
  assert.ok(r.ok, `expected ${text} to parse`);
  return r.value;
}

// Reference arithmetic the parsed values are checked against, independent of ipaddr.js.
function bits(version: IpVersion): bigint {
  return version === 4 ? 32n : 128n;
}

function prefixMask(version: IpVersion, prefix: number): bigint {
  const all = (1n << bits(version)) - 1n;
  return all ^ ((1n << (bits(version) - BigInt(prefix))) - 1n);
}

function cidrRange(block: Cidr): { first: bigint; last: bigint } {
  const hostBits = (1n << (bits(block.version) - BigInt(block.prefix))) - 1n;
  return { first: block.network, last: block.network | hostBits };
}

function formatCidr(block: Cidr): string {
  return `${formatIp({ version: block.version, value: block.network })}/${block.prefix}`;
}

function formatIpv6(value: bigint): string {
  return formatIp({ version: 6, value });
}

function ip(text: string): IpAddress {
  const r = parseIp(text);
  assert.ok(r.ok, `expected ${text} to parse`);
  return r.value;
}

function reason(text: string): string {
  const r = parseCidr(text);
  assert.ok(!r.ok, `expected ${text} to be rejected`);
  return r.reason;
}

describe('parseCidr: IPv4', () => {
  it('parses network, prefix and keeps the written address', () => {
    assert.deepEqual(cidr('192.0.2.0/24'), {
      version: 4,
      network: 0xc0000200n,
      prefix: 24,
      address: 0xc0000200n,
    });
    assert.deepEqual(cidr('0.0.0.0/0'), { version: 4, network: 0n, prefix: 0, address: 0n });
    assert.equal(cidr('255.255.255.255/32').network, 0xffffffffn);
  });

  it('accepts host bits and masks them for containment', () => {
    const block = cidr('10.0.0.1/16');
    assert.equal(block.network, 0x0a000000n);
    assert.equal(block.address, 0x0a000001n);
    assert.ok(cidrContains(block, ip('10.0.255.255')));
    assert.ok(!cidrContains(block, ip('10.1.0.0')));
    assert.equal(formatCidr(block), '10.0.0.0/16');
  });

  it('rejects malformed blocks with a human reason', () => {
    assert.equal(reason('10.0.0.256/8'), 'octet 256 is out of range 0..255');
    assert.equal(reason('1.2.3/24'), 'expected 4 dot-separated octets, got 3');
    assert.equal(reason('1.2.3.4/33'), 'prefix length 33 is out of range 0..32');
    assert.match(reason('1.2.3.4'), /missing prefix length/);
    assert.match(reason('1.2.3.4/'), /prefix length is empty/);
    assert.match(reason('1.2.3.4/-1'), /not a decimal number/);
    assert.match(reason('1.2.3.4/24/1'), /more than one '\/'/);
    assert.match(reason('01.2.3.4/32'), /leading zero/);
    assert.match(reason('1.2.3.4 /32'), /whitespace/);
    assert.match(reason('a.b.c.d/8'), /not a decimal number/);
    assert.match(reason('/8'), /address is empty/);
    assert.match(reason('1..2.3/8'), /octet is empty/);
  });
});

describe('parseCidr: IPv6', () => {
  it("parses AWS's fully written example with leading zeros", () => {
    const block = cidr('1111:0000:0000:0000:0000:0000:0000:0111/128');
    assert.equal(block.version, 6);
    assert.equal(block.network, 0x11110000000000000000000000000111n);
    assert.equal(formatCidr(block), '1111::111/128');
    const wide = cidr('1111:0000:0000:0000:0000:0000:0000:0000/64');
    assert.ok(cidrContains(wide, ip('1111::ffff:ffff:ffff:ffff')));
    assert.ok(!cidrContains(wide, ip('1111:0:0:1::')));
  });

  it('parses every :: position and embedded IPv4', () => {
    assert.equal(ip('::').value, 0n);
    assert.equal(ip('::1').value, 1n);
    assert.equal(ip('1::').value, 1n << 112n);
    assert.equal(ip('2001:db8::8:800:200c:417a').value, 0x20010db80000000000080800200c417an);
    assert.equal(ip('1:2:3:4:5:6:7::').value, ip('1:2:3:4:5:6:7:0').value);
    assert.equal(ip('::2:3:4:5:6:7:8').value, ip('0:2:3:4:5:6:7:8').value);
    assert.equal(ip('::ffff:1.2.3.4').value, 0xffff01020304n);
    assert.equal(ip('64:ff9b::192.0.2.33').value, ip('64:ff9b::c000:221').value);
    assert.equal(ip('1:2:3:4:5:6:1.2.3.4').value, ip('1:2:3:4:5:6:102:304').value);
    assert.equal(ip('ABCD::EF').value, ip('abcd::ef').value);
    assert.equal(cidr('2001:db8::/32').prefix, 32);
  });

  it('reads forms ipaddr.js reads otherwise as the text says', () => {
    // ipaddr.js takes ::1.2.3.4 for the mapped ::ffff:1.2.3.4.
    assert.equal(ip('::1.2.3.4').value, 0x01020304n);
    assert.equal(formatIp(ip('::1.2.3.4')), '::102:304');
  });

  it('refuses forms ipaddr.js alone would take', () => {
    assert.match(reason('0x1.2.3.4/32'), /octet '0x1' is not a decimal number/);
    assert.match(reason('1.2.3/32'), /expected 4 dot-separated octets, got 3/);
    assert.match(reason('::ffff:01.2.3.4/128'), /embedded IPv4 address '01.2.3.4': .*leading zero/);
    assert.match(reason('fe80::1%1/128'), /zone identifiers/);
  });

  it('rejects malformed addresses', () => {
    assert.match(reason('1::2::3/64'), /'::' may appear only once/);
    assert.match(reason('1:2:3:4:5:6:7:8:9/64'), /expected 8 groups/);
    assert.match(reason('1:2:3:4:5:6:7/64'), /expected 8 groups/);
    assert.match(reason('1:2:3:4:5:6:7:8::/64'), /too many groups/);
    assert.match(reason('12345::/64'), /not 1 to 4 hexadecimal digits/);
    assert.match(reason('g::/64'), /not 1 to 4 hexadecimal digits/);
    assert.match(reason(':1:2:3:4:5:6:7/64'), /empty group/);
    assert.match(reason('1:::2/64'), /empty group|only once/);
    assert.match(reason('::/129'), /prefix length 129 is out of range 0..128/);
    assert.match(reason('::ffff:1.2.3.256/128'), /embedded IPv4 address '1.2.3.256': octet 256/);
    assert.match(reason('1.2.3.4::/128'), /only allowed as the last 32 bits/);
    assert.match(reason('fe80::1%eth0/128'), /zone identifiers/);
  });
});

describe('parseAddressDefinition', () => {
  it('takes a bare address as the single host it names', () => {
    const v4 = parseAddressDefinition('10.0.25.22');
    assert.ok(v4.ok);
    assert.deepEqual(v4.value, cidr('10.0.25.22/32'));
    assert.ok(cidrContains(v4.value, ip('10.0.25.22')));
    assert.ok(!cidrContains(v4.value, ip('10.0.25.23')));
    const v6 = parseAddressDefinition('2001:DB8::1');
    assert.ok(v6.ok);
    assert.deepEqual(v6.value, cidr('2001:db8::1/128'));
    assert.ok(!cidrContains(v6.value, ip('2001:db8::')));
  });

  it('takes a CIDR block exactly as parseCidr does, host bits included', () => {
    for (const text of ['10.0.0.1/16', '2001:db8::/64', '0.0.0.0/0', '192.0.2.44/32']) {
      assert.deepEqual(parseAddressDefinition(text), parseCidr(text));
    }
  });

  it('refuses what is neither, with the reason', () => {
    const reasonOf = (text: string) => {
      const r = parseAddressDefinition(text);
      assert.ok(!r.ok, `expected ${text} to be rejected`);
      return r.reason;
    };
    assert.equal(reasonOf('10.0.25'), 'expected 4 dot-separated octets, got 3');
    assert.equal(reasonOf(''), 'address is empty');
    assert.match(reasonOf('10.0.25.22 '), /whitespace/);
    assert.match(reasonOf('fe80::1%eth0'), /zone identifiers/);
    assert.match(reasonOf('10.0.25.22/'), /prefix length is empty/);
  });

  it('every address as formatIp writes it is a host block containing exactly that address', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          ipv4.map((value): IpAddress => ({ version: 4, value })),
          ipv6.map((value): IpAddress => ({ version: 6, value })),
        ),
        (address) => {
          const r = parseAddressDefinition(formatIp(address));
          assert.ok(r.ok, formatIp(address));
          assert.equal(r.value.prefix, address.version === 4 ? 32 : 128);
          assert.equal(r.value.network, address.value);
          assert.ok(cidrContains(r.value, address));
          const next = (address.value + 1n) % (address.version === 4 ? 1n << 32n : 1n << 128n);
          assert.ok(!cidrContains(r.value, { version: address.version, value: next }));
        },
      ),
    );
  });
});

describe('formatting', () => {
  it('follows RFC 5952', () => {
    assert.equal(formatIpv6(ip('2001:0db8:0000:0000:0000:0000:0000:0001').value), '2001:db8::1');
    assert.equal(formatIpv6(ip('2001:db8:0:1:1:1:1:1').value), '2001:db8:0:1:1:1:1:1');
    assert.equal(formatIpv6(ip('2001:0:0:1:0:0:0:1').value), '2001:0:0:1::1');
    assert.equal(formatIpv6(ip('2001:db8:0:0:1:0:0:1').value), '2001:db8::1:0:0:1');
    assert.equal(formatIpv6(0n), '::');
    assert.equal(formatIp(ip('::ffff:c000:0280')), '::ffff:192.0.2.128');
  });

  it('answers for each pair when the same objects are matched again (as the simulator does)', () => {
    const host = ip('10.0.1.5');
    const blocks = [cidr('10.0.0.0/16'), cidr('10.0.1.0/24'), cidr('10.0.2.0/24'), cidr('::/0')];
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(
        blocks.map((block) => cidrContains(block, host)),
        [true, true, false, false],
      );
      assert.deepEqual(
        [host, ip('10.0.2.1'), ip('10.1.0.0')].map((address) => cidrContains(blocks[0]!, address)),
        [true, true, false],
      );
    }
  });

  it('a block spans from its network to its last host', () => {
    assert.deepEqual(cidrRange(cidr('10.0.0.77/24')), { first: 0x0a000000n, last: 0x0a0000ffn });
  });

  it('parseIpOrThrow raises CidrParseError with the reason', () => {
    assert.throws(
      () => parseIpOrThrow('10.0.0.256'),
      (e: unknown) =>
        e instanceof CidrParseError &&
        e.reason === 'octet 256 is out of range 0..255' &&
        e.input === '10.0.0.256',
    );
  });
});

const ipv4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
const ipv6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const v4Cidr = fc.record({ value: ipv4, prefix: fc.integer({ min: 0, max: 32 }) });
const v6Cidr = fc.record({ value: ipv6, prefix: fc.integer({ min: 0, max: 128 }) });

function v6Text(value: bigint, style: 'canonical' | 'expanded' | 'uncompressed'): string {
  if (style === 'canonical') return formatIpv6(value);
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // AWS's examples write all 8 groups with 4 digits each (1111:0000:...:0111).
  if (style === 'expanded') return groups.map((g) => g.padStart(4, '0')).join(':');
  return groups.join(':');
}

describe('properties', () => {
  it('every valid IPv4 CIDR parses, contains its network and round-trips', () => {
    fc.assert(
      fc.property(v4Cidr, ({ value, prefix }) => {
        const text = `${formatIp({ version: 4, value })}/${prefix}`;
        const parsed = cidr(text);
        assert.equal(parsed.address, value);
        assert.equal(parsed.network, value & prefixMask(4, prefix));
        assert.ok(cidrContains(parsed, { version: 4, value: parsed.network }));
        assert.ok(cidrContains(parsed, { version: 4, value }));
        assert.ok(!cidrContains(parsed, { version: 6, value }));
        const again = cidr(formatCidr(parsed));
        assert.equal(again.network, parsed.network);
        assert.equal(again.prefix, prefix);
      }),
    );
  });

  it('every valid IPv6 CIDR parses in every textual form and contains its network', () => {
    fc.assert(
      fc.property(
        v6Cidr,
        fc.constantFrom<'canonical' | 'expanded' | 'uncompressed'>(
          'canonical',
          'expanded',
          'uncompressed',
        ),
        ({ value, prefix }, style) => {
          const parsed = cidr(`${v6Text(value, style)}/${prefix}`);
          assert.equal(parsed.version, 6);
          assert.equal(parsed.address, value);
          assert.ok(cidrContains(parsed, { version: 6, value: parsed.network }));
          const { last } = cidrRange(parsed);
          assert.ok(cidrContains(parsed, { version: 6, value: last }));
          assert.equal(cidr(formatCidr(parsed)).network, parsed.network);
        },
      ),
    );
  });

  it('containment agrees with range arithmetic', () => {
    fc.assert(
      fc.property(v4Cidr, ipv4, ({ value, prefix }, probe) => {
        const block = cidr(`${formatIp({ version: 4, value })}/${prefix}`);
        const { first, last } = cidrRange(block);
        assert.equal(
          cidrContains(block, { version: 4, value: probe }),
          probe >= first && probe <= last,
        );
      }),
    );
  });

  it('rejects out-of-range octets and prefixes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 256, max: 100_000 }),
        (octets, at, bad) => {
          const parts = octets.map(String);
          parts[at] = String(bad);
          assert.equal(reason(`${parts.join('.')}/8`), `octet ${bad} is out of range 0..255`);
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 10_000 }), (prefix) => {
        assert.equal(reason(`10.0.0.0/${prefix}`), `prefix length ${prefix} is out of range 0..32`);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 129, max: 10_000 }), (prefix) => {
        assert.match(reason(`2001:db8::/${prefix}`), /out of range 0..128/);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const r = parseCidr(text);
        if (!r.ok) assert.equal(typeof r.reason, 'string');
      }),
    );
  });
});
