import ipaddr from 'ipaddr.js';
import { clip } from '../observability/clip.js';
import { fail, ok, parseCanonicalDecimal } from './result.js';
import type { ParseResult } from './result.js';

/*
 * The address grammar the gateway accepts, checked before ipaddr.js reads a character. ipaddr.js
 * also takes forms AWS refuses (1.2.3 and 0x1.2.3.4 as IPv4, octal-looking 01.2.3.4, zone ids)
 * and reports only that a text "has neither IPv6 nor IPv4 format", while a caller needs to know
 * which part is wrong. Everything here splits and compares without backtracking, so the work is
 * linear in the text, and only text that passed reaches ipaddr.js's own regular expressions.
 */

/** Strictly four canonical decimal octets. */
export function checkIpv4(text: string): ParseResult<string> {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return fail(`expected 4 dot-separated octets, got ${parts.length}`);
  }
  for (const part of parts) {
    const octet = parseCanonicalDecimal(part, 'octet', 0, 255);
    if (!octet.ok) return octet;
  }
  return ok(text);
}

/**
 * An embedded IPv4 address as two hex groups: ipaddr.js reads ::1.2.3.4 as ::ffff:1.2.3.4, where
 * the text names ::102:304.
 */
function embeddedIpv4AsGroups(part: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(part).toByteArray();
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** Counts the groups of one side of '::' and rewrites an embedded IPv4 address as hex groups. */
function checkGroups(
  text: string,
  allowTrailingIpv4: boolean,
): ParseResult<{ text: string; groups: number }> {
  if (text === '') return ok({ text, groups: 0 });
  const parts = text.split(':');
  let groups = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') return fail("empty group (a single ':' at the start or end, or ':::')");
    if (part.includes('.')) {
      if (!allowTrailingIpv4 || i !== parts.length - 1) {
        return fail(
          `embedded IPv4 address '${clip(part, 64)}' is only allowed as the last 32 bits`,
        );
      }
      const v4 = checkIpv4(part);
      if (!v4.ok) return fail(`embedded IPv4 address '${clip(part, 64)}': ${v4.reason}`);
      parts[i] = embeddedIpv4AsGroups(part);
      groups += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) {
      return fail(`group '${clip(part, 64)}' is not 1 to 4 hexadecimal digits`);
    }
    groups += 1;
  }
  return ok({ text: parts.join(':'), groups });
}

/** Eight 16-bit groups, '::' at most once, an IPv4 tail allowed; the result is hex groups only. */
export function checkIpv6(text: string): ParseResult<string> {
  if (text.includes('%')) return fail('zone identifiers (%...) are not allowed');
  const first = text.indexOf('::');
  if (first !== -1 && text.indexOf('::', first + 1) !== -1) {
    return fail("'::' may appear only once");
  }
  if (first === -1) {
    const all = checkGroups(text, true);
    if (!all.ok) return all;
    if (all.value.groups !== 8) {
      return fail(`expected 8 groups of 16 bits, got ${all.value.groups}`);
    }
    return ok(all.value.text);
  }
  const head = checkGroups(text.slice(0, first), false);
  if (!head.ok) return head;
  const tail = checkGroups(text.slice(first + 2), true);
  if (!tail.ok) return tail;
  const present = head.value.groups + tail.value.groups;
  // '::' stands for at least one zero group, so at most 7 may be written out.
  if (present > 7) return fail(`too many groups for an address containing '::' (${present})`);
  return ok(`${head.value.text}::${tail.value.text}`);
}
