import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { UnauthenticatedError, UpstreamError } from '../errors.js';
import { FirewallPatterns, isScope } from './principal.js';
import type { Principal, Scope } from './principal.js';

export interface JwtSettings {
  jwksUrl: URL;
  issuer: string;
  audience: string;
  firewallsClaim: string;
  clockToleranceSec: number;
}

// Asymmetric only: with an HMAC algorithm allowed, a public JWK could be used as a shared secret.
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

// What these say is wrong with the caller's token; any other failure is the gateway's (JWKS down).
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

/** A claim given as a space-separated string or as a list of strings. */
function words(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((w) => w !== '');
  if (Array.isArray(value)) return value.filter((w): w is string => typeof w === 'string');
  return [];
}

/**
 * Bounds on what a token may carry, checked before any claim is split or compiled: a token is
 * signed by the IdP, but its size is only bounded by the header or frame it arrives in, and every
 * firewall pattern is matched on each call.
 */
export const CLAIM_LIMITS = {
  /** Characters of `sub`: the audit trail's principal. */
  subject: 256,
  /** Scopes (of `scope` or `scp`), and characters of each. */
  scopeItems: 64,
  scopeChars: 256,
  /** Firewall patterns, and characters of each (an ARN is at most 256). */
  patterns: 100,
  patternChars: 512,
} as const;

/** A claim given as a space-separated string or a list: refused beyond `maxItems` entries or `maxChars` in one. */
function boundedWords(value: unknown, claim: string, maxItems: number, maxChars: number): string[] {
  if (typeof value === 'string' && value.length > maxChars * maxItems) {
    throw new UnauthenticatedError(`The token's ${claim} claim is too long`);
  }
  if (Array.isArray(value) && value.length > maxItems) {
    throw new UnauthenticatedError(`The token's ${claim} claim has too many entries`);
  }
  const list = words(value);
  if (list.length > maxItems || list.some((w) => w.length > maxChars)) {
    throw new UnauthenticatedError(`The token's ${claim} claim has too many or too long entries`);
  }
  return list;
}

/** Throws UNAUTHENTICATED for a token without a subject or with claims beyond CLAIM_LIMITS. */
export function principalFromClaims(
  payload: JWTPayload,
  firewallsClaim: string,
  clockToleranceSec = 0,
): Principal {
  // `sub` names the caller in logs and the audit trail: an empty one would be an anonymous write.
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
    throw new UnauthenticatedError('The token has no subject (sub)');
  }
  if (payload.sub.length > CLAIM_LIMITS.subject) {
    throw new UnauthenticatedError("The token's subject (sub) is too long");
  }
  const { scopeItems, scopeChars, patterns, patternChars } = CLAIM_LIMITS;
  // OAuth 2 puts scopes in `scope` (RFC 8693); Azure AD and Okta use `scp`.
  const scopes = new Set<Scope>(
    [
      ...boundedWords(payload.scope, 'scope', scopeItems, scopeChars),
      ...boundedWords(payload.scp, 'scp', scopeItems, scopeChars),
    ].filter(isScope),
  );
  return {
    kind: 'jwt',
    id: payload.sub,
    scopes,
    firewalls: new FirewallPatterns(
      boundedWords(payload[firewallsClaim], firewallsClaim, patterns, patternChars),
    ),
    // The same tolerance as verification, so a websocket ends when HTTP would start refusing.
    ...(payload.exp !== undefined ? { expiresAt: (payload.exp + clockToleranceSec) * 1000 } : {}),
  };
}

/** Verifies bearer tokens against the identity provider's published keys (fetched and cached by jose). */
export class JwtVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: JwtSettings) {
    this.keys = createRemoteJWKSet(settings.jwksUrl, {
      timeoutDuration: 5000,
      // A token signed with a key the gateway has not seen refetches at most this often.
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.settings.clockToleranceSec,
        // A token without expiry would be a key that can never be revoked.
        requiredClaims: ['exp', 'sub'],
      });
      return principalFromClaims(
        payload,
        this.settings.firewallsClaim,
        this.settings.clockToleranceSec,
      );
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) {
        throw new UnauthenticatedError(
          error instanceof errors.JWTExpired ? 'The token has expired' : 'The token is not valid',
        );
      }
      throw new UpstreamError(
        'The gateway could not verify the token: its identity provider keys (AUTH_JWKS_URL) are unavailable',
      );
    }
  }
}
