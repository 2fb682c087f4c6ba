import type { AuthConfig } from '../config.js';
import { ConfigError } from '../config.js';
import { UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ApiKeyStore } from './api-keys.js';
import { JwtVerifier } from './jwt.js';
import { ANONYMOUS } from './principal.js';
import type { Principal } from './principal.js';

/** Turns what a caller presented (a bearer credential, or nothing) into a principal, or refuses. */
export interface Authenticator {
  readonly mode: AuthConfig['mode'];
  /** Throws UNAUTHENTICATED (or UPSTREAM_ERROR when the JWKS cannot be fetched). */
  authenticate(credential: string | undefined): Promise<Principal>;
  /** False once the principal's credential is revoked (keys file reloaded without it). */
  isCurrent(principal: Principal): boolean;
  /** Called after the credentials change, so long-lived websockets can be re-checked. */
  onChange(listener: () => void): () => void;
  /** Re-reads the keys file now (main.ts's SIGHUP); nothing to re-read in the other modes. */
  reload(): void;
  close(): void;
}

const noChanges = () => () => false;

export function createAuthenticator(config: AuthConfig, logger: Logger): Authenticator {
  switch (config.mode) {
    case 'none':
      return {
        mode: 'none',
        authenticate: async () => ANONYMOUS,
        isCurrent: () => true,
        onChange: noChanges,
        reload: () => {},
        close: () => {},
      };
    case 'apikey': {
      let store: ApiKeyStore;
      try {
        store = new ApiKeyStore({
          file: config.apiKeysFile ?? '',
          pollMs: config.apiKeysPollMs,
          logger,
        });
      } catch (error) {
        throw new ConfigError('AUTH_API_KEYS_FILE', (error as Error).message);
      }
      return {
        mode: 'apikey',
        async authenticate(credential) {
          if (!credential) throw new UnauthenticatedError('An API key is required');
          const principal = store.authenticate(credential);
          if (!principal) throw new UnauthenticatedError('The API key is not valid');
          return principal;
        },
        isCurrent: (principal) => store.isCurrent(principal),
        onChange: (listener) => store.onReload(listener),
        reload: () => {
          store.reload();
        },
        close: () => store.close(),
      };
    }
    case 'jwt': {
      if (!config.jwksUrl || !config.issuer || !config.audience) {
        throw new ConfigError(
          'AUTH_MODE',
          'jwt needs AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE',
        );
      }
      const verifier = new JwtVerifier({
        jwksUrl: config.jwksUrl,
        issuer: config.issuer,
        audience: config.audience,
        firewallsClaim: config.firewallsClaim,
        clockToleranceSec: config.clockToleranceSec,
      });
      return {
        mode: 'jwt',
        async authenticate(credential) {
          if (!credential) throw new UnauthenticatedError('A bearer token is required');
          return verifier.verify(credential);
        },
        isCurrent: (principal) => (principal.expiresAt ?? Infinity) > Date.now(),
        onChange: noChanges,
        reload: () => {},
        close: () => {},
      };
    }
  }
}
