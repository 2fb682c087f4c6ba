import { randomBytes } from 'node:crypto';

// Node 20 has no JSON.rawJSON, so a bigint goes through JSON.stringify as a string holding this
// marker and its digits, and the quotes and marker are then removed. The marker is random per
// process, so no string a caller sent (a firewall description, say) can be mistaken for one.
const MARKER = `bigint-${randomBytes(12).toString('hex')}:`;
const QUOTED = new RegExp(`"${MARKER}(-?\\d+)"`, 'g');

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${MARKER}${value.toString()}` : value;
}

/**
 * JSON.stringify that writes a bigint as the exact JSON number AWS would send for a Long, where
 * JSON.stringify itself throws. Everything else is written as JSON.stringify writes it.
 */
export function stringifyExact(value: unknown): string {
  const text = JSON.stringify(value, replacer);
  return text.includes(MARKER) ? text.replace(QUOTED, '$1') : text;
}
