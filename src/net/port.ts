import { clip } from '../observability/clip.js';
import { fail, ok, parseCanonicalDecimal } from './result.js';
import type { ParseResult } from './result.js';

const MIN_PORT = 0;
const MAX_PORT = 65535;

/** Inclusive range; `ANY` is 0..65535. */
export interface PortRange {
  from: number;
  to: number;
}

const ANY_PORT: Readonly<PortRange> = Object.freeze({ from: MIN_PORT, to: MAX_PORT });

/** Grammar from the AWS FlowFilter docs: `ANY`, a single port `1994`, or a range `1990:1994`. */
export function parsePort(text: string): ParseResult<PortRange> {
  if (text === 'ANY') return ok({ ...ANY_PORT });
  if (text.toUpperCase() === 'ANY')
    return fail(`'${clip(text, 64)}' must be written in upper case: ANY`);
  if (/\s/.test(text)) return fail('must not contain whitespace');
  const parts = text.split(':');
  if (parts.length > 2)
    return fail(`'${clip(text, 64)}' has more than one ':'; expected a port or a range a:b`);
  const from = parseCanonicalDecimal(parts[0] ?? '', 'port', MIN_PORT, MAX_PORT);
  if (!from.ok) return from;
  if (parts.length === 1) return ok({ from: from.value, to: from.value });
  const to = parseCanonicalDecimal(parts[1] ?? '', 'port', MIN_PORT, MAX_PORT);
  if (!to.ok) return to;
  if (from.value > to.value) {
    return fail(`range start ${from.value} is greater than range end ${to.value}`);
  }
  return ok({ from: from.value, to: to.value });
}

export function portMatches(range: PortRange, port: number): boolean {
  return port >= range.from && port <= range.to;
}

function isAnyPort(range: PortRange): boolean {
  return range.from === MIN_PORT && range.to === MAX_PORT;
}

export function formatPort(range: PortRange): string {
  if (isAnyPort(range)) return 'ANY';
  return range.from === range.to ? String(range.from) : `${range.from}:${range.to}`;
}
