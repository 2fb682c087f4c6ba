import { createHash } from 'node:crypto';

/**
 * `read`: queries and subscriptions; `write`: the start mutations; `admin`: operator detail
 * outside GraphQL (why `/readyz` says unavailable), nothing else.
 */
export type Scope = 'read' | 'write' | 'admin';

export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

export function isScope(value: unknown): value is Scope {
  return value === 'read' || value === 'write' || value === 'admin';
}

/**
 * Firewall ARN patterns: `*` is the only wildcard and matches any run of characters; everything
 * else matches itself, and a pattern must match the whole ARN.
 */
export class FirewallPatterns {
  private readonly regex: RegExp | undefined;
  /** Stable across processes for the same patterns, so it can pin cursors to one allow-list. */
  readonly fingerprint: string;

  constructor(readonly patterns: readonly string[]) {
    const sorted = [...new Set(patterns)].sort();
    this.fingerprint = createHash('sha256')
      .update(JSON.stringify(sorted))
      .digest('hex')
      .slice(0, 16);
    this.regex =
      sorted.length === 0
        ? undefined
        : new RegExp(
            `^(?:${sorted.map((p) => p.split('*').map(escapeRegExp).join('[\\s\\S]*')).join('|')})$`,
          );
  }

  matches(firewallArn: string): boolean {
    return this.regex?.test(firewallArn) ?? false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
