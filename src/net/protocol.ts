import { parseCanonicalDecimal } from './result.js';
import type { ParseResult } from './result.js';

/** AWS takes IANA protocol numbers as decimal strings: "6", "17", never "tcp" or "+6". */
export function parseProtocol(text: string): ParseResult<number> {
  return parseCanonicalDecimal(text, 'protocol number', 0, 255);
}

const NAMES: Readonly<Record<number, string>> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'IPv6-ICMP',
  132: 'SCTP',
};

/** Short IANA keyword for display, undefined for numbers without a well-known name. */
export function protocolName(protocol: number): string | undefined {
  return NAMES[protocol];
}
