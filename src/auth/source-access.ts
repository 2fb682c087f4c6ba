import type { Principal } from './principal.js';

/** One source of `firewalls`: a region, in an account (unknown: the default credentials'). */
export interface ListSource {
  region: string;
  accountId: string | undefined;
}

type CharClass = (c: string) => boolean;

const DIGIT: CharClass = (c) => c >= '0' && c <= '9';
// AWS firewall names: 1 to 128 of [A-Za-z0-9-].
const NAME: CharClass = (c) => /^[A-Za-z0-9-]$/.test(c);

/** The partition a region belongs to, as its ARNs spell it. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/**
 * Whether a caller may learn that a source exists and failed: whether one of its firewall
 * patterns could match a firewall ARN of that region and account. A caller limited to one
 * account's firewalls must not read another account's id, nor which regions the gateway spans.
 */
export function mayKnowSource(principal: Principal, source: ListSource): boolean {
  if (principal.firewalls === undefined) return true;
  const literal = (text: string): CharClass[] => [...text].map((ch) => (c: string) => c === ch);
  const account = source.accountId
    ? literal(source.accountId)
    : Array.from({ length: 12 }, () => DIGIT);
  const prefix = [
    ...literal(`arn:${partitionOf(source.region)}:network-firewall:${source.region}:`),
    ...account,
    ...literal(':firewall/'),
  ];
  return principal.firewalls.patterns.some((pattern) => couldMatch(pattern, prefix, NAME));
}

/**
 * Whether some string made of one character of each class in `prefix`, then one or more of
 * `tail`, matches the glob `pattern` (`*`: any run of characters). A set-of-states simulation
 * of the glob, linear in the pattern per character, with no regex built from the pattern. The
 * pattern is read with `at()`, a call test/helpers/work-count.ts counts, so its test can show
 * the work linear without a clock.
 */
function couldMatch(pattern: string, prefix: CharClass[], tail: CharClass): boolean {
  const m = pattern.length;
  // `*` matches the empty run too: a state on a star also stands on the state after it.
  const close = (on: Uint8Array): Uint8Array => {
    for (let i = 0; i < m; i++) if (on[i] && pattern.at(i) === '*') on[i + 1] = 1;
    return on;
  };
  const step = (on: Uint8Array, cls: CharClass): Uint8Array => {
    const next = new Uint8Array(m + 1);
    for (let i = 0; i < m; i++) {
      if (!on[i]) continue;
      if (pattern.at(i) === '*') next[i] = 1;
      else if (cls(pattern.at(i)!)) next[i + 1] = 1;
    }
    return close(next);
  };
  let on: Uint8Array = new Uint8Array(m + 1);
  on[0] = 1;
  on = close(on);
  for (const cls of prefix) {
    on = step(on, cls);
    if (!on.includes(1)) return false;
  }
  // One tail character, then any more: each only moves forward, so one sweep finds them all.
  const reached = step(on, tail);
  for (let i = 0; i < m; i++) {
    if (reached[i] && (pattern.at(i) === '*' || tail(pattern.at(i)!))) reached[i + 1] = 1;
  }
  return reached[m] === 1;
}
