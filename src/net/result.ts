import { clip } from '../observability/clip.js';
/**
 * Parsers in this package never throw on bad input: the gateway turns `reason` into a
 * user-facing message, so failures are ordinary values rather than exceptions.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(reason: string): ParseResult<T> {
  return { ok: false, reason };
}

/**
 * Canonical unsigned decimal: digits only, no sign, no leading zeros (except "0" itself).
 * Leading zeros are refused because some stacks read them as octal, so the intent is ambiguous.
 */
export function parseCanonicalDecimal(
  text: string,
  what: string,
  min: number,
  max: number,
): ParseResult<number> {
  if (text === '') return fail(`${what} is empty`);
  if (!/^[0-9]+$/.test(text)) return fail(`${what} '${clip(text, 64)}' is not a decimal number`);
  if (text.length > 1 && text.startsWith('0')) {
    return fail(`${what} '${clip(text, 64)}' has a leading zero`);
  }
  // Length guard keeps absurdly long digit strings from losing precision before the range check.
  const value = text.length > 15 ? Number.POSITIVE_INFINITY : Number(text);
  if (value < min || value > max)
    return fail(`${what} ${clip(text, 64)} is out of range ${min}..${max}`);
  return ok(value);
}
