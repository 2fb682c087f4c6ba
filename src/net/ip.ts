import ipaddr from 'ipaddr.js';
import { checkIpv4, checkIpv6 } from './ip-syntax.js';
import { fail, ok, parseCanonicalDecimal } from './result.js';
import type { ParseResult } from './result.js';

/*
 * Addresses as the gateway and the simulator use them, on top of ipaddr.js: ip-syntax.ts decides
 * what is accepted and says why not; ipaddr.js reads the values, masks and formats them.
 * Values are bigints so that callers compare and store them as plain data.
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

export interface Cidr {
  readonly version: IpVersion;
  /** The address with host bits cleared; containment is decided by this. */
  readonly network: bigint;
  readonly prefix: number;
  /** The address as written, host bits included (AWS accepts e.g. 10.0.0.1/16). */
  readonly address: bigint;
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

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

function versionOf(address: Parsed): IpVersion {
  return address instanceof ipaddr.IPv4 ? 4 : 6;
}

function bitsFor(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

function toBigInt(bytes: readonly number[]): bigint {
  return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function toParsed({ version, value }: IpAddress): Parsed {
  const bytes: number[] = [];
  for (let shift = bitsFor(version) - 8; shift >= 0; shift -= 8) {
    bytes.push(Number((value >> BigInt(shift)) & 0xffn));
  }
  return ipaddr.fromByteArray(bytes);
}

function read(text: string): ParseResult<Parsed> {
  if (text === '') return fail('address is empty');
  if (/\s/.test(text)) return fail('must not contain whitespace');
  if (text.includes(':')) {
    const v6 = checkIpv6(text);
    return v6.ok ? ok(ipaddr.IPv6.parse(v6.value)) : v6;
  }
  const v4 = checkIpv4(text);
  return v4.ok ? ok(ipaddr.IPv4.parse(v4.value)) : v4;
}

export function parseIp(text: string): ParseResult<IpAddress> {
  const address = read(text);
  if (!address.ok) return address;
  return ok({ version: versionOf(address.value), value: toBigInt(address.value.toByteArray()) });
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
  const address = read(text.slice(0, slash));
  if (!address.ok) return address;
  const version = versionOf(address.value);
  const prefix = parseCanonicalDecimal(text.slice(slash + 1), 'prefix length', 0, bitsFor(version));
  if (!prefix.ok) return prefix;
  const mask = (
    version === 4
      ? ipaddr.IPv4.subnetMaskFromPrefixLength(prefix.value)
      : ipaddr.IPv6.subnetMaskFromPrefixLength(prefix.value)
  ).toByteArray();
  const bytes = address.value.toByteArray();
  return ok({
    version,
    address: toBigInt(bytes),
    network: toBigInt(bytes.map((byte, i) => byte & (mask[i] ?? 0))),
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
  if (!ip.ok) return ip;
  const { version, value } = ip.value;
  return ok({ version, network: value, address: value, prefix: bitsFor(version) });
}

export function parseIpOrThrow(text: string): IpAddress {
  const result = parseIp(text);
  if (!result.ok) throw new CidrParseError(text, result.reason);
  return result.value;
}

function prefixMask(version: IpVersion, prefix: number): bigint {
  const bits = bitsFor(version);
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

/**
 * Versions never mix: an IPv4 CIDR does not contain an IPv4-mapped IPv6 address. A comparison of
 * the stored values: the simulator matches every flow against every filter on each request.
 */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.version !== address.version) return false;
  return (address.value & prefixMask(cidr.version, cidr.prefix)) === cidr.network;
}

/** RFC 5952 text; an IPv4-mapped address keeps its IPv4 tail dotted (::ffff:192.0.2.128). */
export function formatIp(address: IpAddress): string {
  const parsed = toParsed(address);
  if (parsed instanceof ipaddr.IPv4) return parsed.toString();
  if (parsed.isIPv4MappedAddress()) return `::ffff:${parsed.toIPv4Address().toString()}`;
  return parsed.toRFC5952String();
}
