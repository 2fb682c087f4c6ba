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

export function principalFromClaims(
  payload: JWTPayload,
  firewallsClaim: string,
  clockToleranceSec = 0,
): Principal {
  // OAuth 2 puts scopes in `scope` (RFC 8693); Azure AD and Okta use `scp`.
  const scopes = new Set<Scope>([...words(payload.scope), ...words(payload.scp)].filter(isScope));
  return {
    kind: 'jwt',
    id: payload.sub ?? '',
    scopes,
    firewalls: new FirewallPatterns(words(payload[firewallsClaim])),
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
