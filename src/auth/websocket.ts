import type { WebSocket } from 'ws';
import { UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { addressKey } from '../limits/rate-limit.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { Authenticator } from './authenticator.js';
import { credentialFromConnectionParams } from './credentials.js';
import type { Principal } from './principal.js';

/**
 * Missing, wrong, expired or revoked credentials, and credentials without any scope: graphql-ws's
 * `CloseCode.Forbidden`, PROTOCOL.md's code for a refused `connection_init`. graphql-ws clients
 * retry after it with fresh `connectionParams` (a new token); 4401 (`Unauthorized`) is final for
 * them, so it stays what it means in the protocol: `subscribe` before the acknowledgement
 * (src/ws/connection.ts).
 */
const CLOSE_FORBIDDEN = 4403;
/** The credential could not be checked (JWKS unreachable): try again later (RFC 6455). */
const CLOSE_TRY_AGAIN_LATER = 1013;

// setTimeout's limit; a later expiry is re-armed when the timer fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the websocket server keeps per connection that authentication reads and writes. */
export interface AuthenticatedConnection {
  readonly socket: WebSocket;
  /** The client's address, for rate limits. */
  readonly address: string;
  principal: Principal | undefined;
  expiry: NodeJS.Timeout | undefined;
}

/**
 * Websocket authentication: `connection_init` is authenticated before the ack, and a socket is
 * closed when its token expires or its key is revoked, so that a long-lived subscription never
 * outlives its credential.
 */
export class WebSocketAuth {
  private readonly stopWatching: () => void;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly logger: Logger,
    connections: () => Iterable<AuthenticatedConnection>,
    private readonly limiter: RateLimiter | undefined,
  ) {
    this.stopWatching = authenticator.onChange(() => {
      for (const connection of connections()) {
        const { principal } = connection;
        if (principal && !authenticator.isCurrent(principal)) {
          connection.socket.close(CLOSE_FORBIDDEN, 'Credentials revoked');
        }
      }
    });
  }

  /**
   * The caller proved by a `connection_init` payload, armed to be disconnected at expiry; or
   * undefined, with the socket already closed with the code that tells the client why.
   */
  async authenticate(
    connection: AuthenticatedConnection,
    params: Readonly<Record<string, unknown>> | undefined,
  ): Promise<Principal | undefined> {
    const { socket } = connection;
    let principal: Principal;
    try {
      principal = await this.authenticator.authenticate(credentialFromConnectionParams(params));
    } catch (error) {
      const unauthenticated = error instanceof UnauthenticatedError;
      this.logger.warn(
        { reason: (error as Error).message, client: connection.address },
        'websocket authentication failed',
      );
      // Failed attempts share the address's bucket with HTTP's, so keys cannot be guessed faster
      // over websockets; beyond it the client is told to come back later, not that it was wrong.
      const decision = unauthenticated
        ? await this.limiter?.take(addressKey(connection.address))
        : undefined;
      if (decision && !decision.ok) {
        socket.close(
          CLOSE_TRY_AGAIN_LATER,
          `Too many attempts; retry after ${decision.retryAfterSeconds} s`,
        );
        return undefined;
      }
      socket.close(
        unauthenticated ? CLOSE_FORBIDDEN : CLOSE_TRY_AGAIN_LATER,
        unauthenticated ? 'Credentials refused' : 'Authentication unavailable',
      );
      return undefined;
    }
    // The socket may have gone while a JWKS fetch was pending; nothing must be armed for it.
    if (socket.readyState !== socket.OPEN) return undefined;
    if (principal.scopes.size === 0) {
      socket.close(CLOSE_FORBIDDEN, 'Forbidden');
      return undefined;
    }
    connection.principal = principal;
    this.armExpiry(connection, principal);
    return principal;
  }

  /** The socket closed: forget its timer. */
  release(connection: AuthenticatedConnection): void {
    if (connection.expiry) clearTimeout(connection.expiry);
    connection.expiry = undefined;
  }

  close(): void {
    this.stopWatching();
  }

  private armExpiry(connection: AuthenticatedConnection, principal: Principal): void {
    // API keys and AUTH_MODE=none never expire: those connections hold no timer at all.
    if (principal.expiresAt === undefined) return;
    const wait = principal.expiresAt - Date.now();
    if (wait <= 0) {
      connection.expiry = undefined;
      connection.socket.close(CLOSE_FORBIDDEN, 'Token expired');
      return;
    }
    connection.expiry = setTimeout(
      () => this.armExpiry(connection, principal),
      Math.min(wait, MAX_TIMER_MS),
    );
    connection.expiry.unref();
  }
}
