import { clip } from '../observability/clip.js';
import { fail, ok, parseCanonicalDecimal } from './result.js';
import type { ParseResult } from './result.js';

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  /** The address with host bits cleared; containment is decided by this. */
  network: bigint;
  prefix: number;
  /** The address as written, host bits included (AWS accepts e.g. 10.0.0.1/16). */
  address: bigint;
}

export class CidrParseError extends Error {
  override readonly name = 'CidrParseError';
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`'${input}' is not a valid CIDR block: ${reason}`);
  }
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;

export function bitsFor(version: IpVersion): number {
  return version === 4 ? IPV4_BITS : IPV6_BITS;
}

export function maxAddress(version: IpVersion): bigint {
  return (1n << BigInt(bitsFor(version))) - 1n;
}

/** Netmask with the top `prefix` bits set. */
export function prefixMask(version: IpVersion, prefix: number): bigint {
  const bits = bitsFor(version);
  return maxAddress(version) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function parseIpv4(text: string): ParseResult<bigint> {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return fail(`expected 4 dot-separated octets, got ${parts.length}`);
  }
  let value = 0n;
  for (const part of parts) {
    const octet = parseCanonicalDecimal(part, 'octet', 0, 255);
    if (!octet.ok) return octet;
    value = (value << 8n) | BigInt(octet.value);
  }
  return ok(value);
}

function parseGroups(text: string, allowTrailingIpv4: boolean): ParseResult<bigint[]> {
  if (text === '') return ok([]);
  const parts = text.split(':');
  const groups: bigint[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') return fail("empty group (a single ':' at the start or end, or ':::')");
    if (part.includes('.')) {
      if (!allowTrailingIpv4 || i !== parts.length - 1) {
        return fail(
          `embedded IPv4 address '${clip(part, 64)}' is only allowed as the last 32 bits`,
        );
      }
      const v4 = parseIpv4(part);
      if (!v4.ok) return fail(`embedded IPv4 address '${clip(part, 64)}': ${v4.reason}`);
      groups.push(v4.value >> 16n, v4.value & 0xffffn);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) {
      return fail(`group '${clip(part, 64)}' is not 1 to 4 hexadecimal digits`);
    }
    groups.push(BigInt(`0x${part}`));
  }
  return ok(groups);
}

export function parseIpv6(text: string): ParseResult<bigint> {
  if (text.includes('%')) return fail('zone identifiers (%...) are not allowed');
  const first = text.indexOf('::');
  if (first !== -1 && text.indexOf('::', first + 1) !== -1) {
    return fail("'::' may appear only once");
  }
  let groups: bigint[];
  if (first === -1) {
    const all = parseGroups(text, true);
    if (!all.ok) return all;
    if (all.value.length !== 8) {
      return fail(`expected 8 groups of 16 bits, got ${all.value.length}`);
    }
    groups = all.value;
  } else {
    const headText = text.slice(0, first);
    const tailText = text.slice(first + 2);
    const head = parseGroups(headText, false);
    if (!head.ok) return head;
    const tail = parseGroups(tailText, true);
    if (!tail.ok) return tail;
    const present = head.value.length + tail.value.length;
    // '::' stands for at least one zero group, so at most 7 may be written out.
    if (present > 7) return fail(`too many groups for an address containing '::' (${present})`);
    groups = [...head.value, ...new Array<bigint>(8 - present).fill(0n), ...tail.value];
  }
  return ok(groups.reduce((acc, g) => (acc << 16n) | g, 0n));
}

export function parseIp(text: string): ParseResult<IpAddress> {
  if (text === '') return fail('address is empty');
  if (/\s/.test(text)) return fail('must not contain whitespace');
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6.ok ? ok({ version: 6, value: v6.value }) : v6;
  }
  const v4 = parseIpv4(text);
  return v4.ok ? ok({ version: 4, value: v4.value }) : v4;
}

/**
 * Strict CIDR notation: a bare address is refused here. For AWS's AddressDefinition, which also
 * takes a bare address, use parseAddressDefinition.
 */
export function parseCidr(text: string): ParseResult<Cidr> {
  if (/\s/.test(text)) return fail('must not contain whitespace');
  const slash = text.indexOf('/');
  if (slash === -1) {
    return fail('missing prefix length: use CIDR notation such as 192.0.2.44/32 or 2001:db8::/32');
  }
  if (text.indexOf('/', slash + 1) !== -1) return fail("more than one '/'");
  const ip = parseIp(text.slice(0, slash));
  if (!ip.ok) return ip;
  const { version, value } = ip.value;
  const prefix = parseCanonicalDecimal(text.slice(slash + 1), 'prefix length', 0, bitsFor(version));
  if (!prefix.ok) return prefix;
  return ok({
    version,
    address: value,
    network: value & prefixMask(version, prefix.value),
    prefix: prefix.value,
  });
}

/**
 * AWS's AddressDefinition: "an IP address or a block of IP addresses in CIDR notation". Its API
 * pattern, ^([a-fA-F\d:\.]+($|/\d{1,3}))$, takes a bare address, and the service's own flow
 * results report bare addresses (10.0.25.22), so a bare address is the single host it names
 * (/32 or /128). Host bits in a block (10.0.0.1/16) are accepted and cleared for matching, as
 * Network Firewall treats such a block as its network.
 */
export function parseAddressDefinition(text: string): ParseResult<Cidr> {
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIp(text);
  return ip.ok ? ok(hostCidr(ip.value)) : ip;
}

export function parseCidrOrThrow(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new CidrParseError(text, result.reason);
  return result.value;
}

export function parseIpOrThrow(text: string): IpAddress {
  const result = parseIp(text);
  if (!result.ok) throw new CidrParseError(text, result.reason);
  return result.value;
}

/** Versions never mix: an IPv4 CIDR does not contain an IPv4-mapped IPv6 address. */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.version !== address.version) return false;
  return (address.value & prefixMask(cidr.version, cidr.prefix)) === cidr.network;
}

/** First and last address of the block. */
export function cidrRange(cidr: Cidr): { first: bigint; last: bigint } {
  const hostBits = (1n << BigInt(bitsFor(cidr.version) - cidr.prefix)) - 1n;
  return { first: cidr.network, last: cidr.network | hostBits };
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

export interface FormatIpv6Options {
  /** All 8 groups, 4 digits each, as in AWS's examples (1111:0000:...:0111). */
  expanded?: boolean;
}

/** RFC 5952 canonical text unless `expanded` is set. */
export function formatIpv6(value: bigint, options: FormatIpv6Options = {}): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  if (options.expanded) return groups.map((g) => g.toString(16).padStart(4, '0')).join(':');

  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  }
  // Longest run of 2+ zero groups is compressed; the first one wins a tie (RFC 5952 4.2.3).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatIp(address: IpAddress, options: FormatIpv6Options = {}): string {
  return address.version === 4 ? formatIpv4(address.value) : formatIpv6(address.value, options);
}

/** Formats the masked network, so 10.0.0.1/16 comes back as 10.0.0.0/16. */
export function formatCidr(cidr: Cidr, options: FormatIpv6Options = {}): string {
  return `${formatIp({ version: cidr.version, value: cidr.network }, options)}/${cidr.prefix}`;
}

/** The single-address block AWS uses for one host (192.0.2.44/32, .../128). */
export function hostCidr(address: IpAddress): Cidr {
  return {
    version: address.version,
    network: address.value,
    address: address.value,
    prefix: bitsFor(address.version),
  };
}
