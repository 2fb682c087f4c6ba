import { createHash } from 'node:crypto';
import { MAX_FIREWALL_ARN_LENGTH } from '../aws/arn.js';

/**
 * `read`: queries and subscriptions; `write`: the start mutations; `admin`: operator detail
 * outside GraphQL (why `/readyz` says unavailable), nothing else; `explore`: documents outside the
 * trusted manifest under TRUSTED_DOCUMENTS=enforce (the playground, on-call humans).
 */
export type Scope = 'read' | 'write' | 'admin' | 'explore';

export const SCOPES: readonly Scope[] = ['read', 'write', 'admin', 'explore'];

export function isScope(value: unknown): value is Scope {
  return value === 'read' || value === 'write' || value === 'admin' || value === 'explore';
}

/**
 * Firewall ARN patterns: `*` is the only wildcard and matches any run of characters; everything
 * else matches itself, and a pattern must match the whole ARN.
 *
 * No regex is built from a pattern: `*` compiled to `[\s\S]*` backtracks catastrophically (a 60 KB
 * ARN of colons against `arn:aws:network-firewall:*:*:firewall/*` held the event loop for 11 s).
 * Each pattern is split on `*` once, and a match checks the first part as a prefix, the last as a
 * suffix, and finds the middle parts in order with `indexOf`: the leftmost occurrence of each
 * middle part is always a safe choice for `*`-only globs, so there is no backtracking, and one
 * check costs at most (ARN length × pattern length).
 */
export class FirewallPatterns {
  private readonly globs: readonly (readonly string[])[];
  /** Stable across processes for the same patterns, so it can pin cursors to one allow-list. */
  readonly fingerprint: string;

  constructor(readonly patterns: readonly string[]) {
    const sorted = [...new Set(patterns)].sort();
    this.fingerprint = createHash('sha256')
      .update(JSON.stringify(sorted))
      .digest('hex')
      .slice(0, 16);
    this.globs = sorted.map((p) => p.split('*'));
  }

  /**
   * Callers check the ARN's shape and length first (src/auth/authorize.ts); the length bound here
   * keeps this check bounded on its own too: an ARN longer than AWS allows matches nothing.
   */
  matches(firewallArn: string): boolean {
    if (firewallArn.length > MAX_FIREWALL_ARN_LENGTH) return false;
    return this.globs.some((parts) => globMatches(parts, firewallArn));
  }
}

/** `parts` is a pattern split on `*`: one part means no wildcard at all. */
export function globMatches(parts: readonly string[], text: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Who is calling: what the authenticator proved, and what the caller may do. */
export interface Principal {
  kind: 'anonymous' | 'apikey' | 'jwt';
  /** The API key's name or the token's subject: what logs and the audit trail name. */
  id: string;
  scopes: ReadonlySet<Scope>;
  /** Undefined: every firewall the gateway reaches (AUTH_MODE=none only). */
  firewalls: FirewallPatterns | undefined;
  /** Epoch ms after which the credential is no longer valid (JWT `exp`). */
  expiresAt?: number;
  /** SHA-256 of the presented API key, so a reload can tell whether it was revoked. */
  keyDigest?: string;
}

/**
 * AUTH_MODE=none: every caller may do everything in GraphQL; the gateway's own routing still
 * applies. Not `admin`: with nobody authenticated, operator detail stays in the logs.
 */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  id: 'anonymous',
  scopes: new Set<Scope>(['read', 'write']),
  firewalls: undefined,
});

export function canAccessFirewall(principal: Principal, firewallArn: string): boolean {
  return principal.firewalls === undefined || principal.firewalls.matches(firewallArn);
}
