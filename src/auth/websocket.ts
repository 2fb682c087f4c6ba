import type { Context } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Authenticator } from './authenticator.js';
import { credentialFromConnectionParams } from './credentials.js';
import type { Principal } from './principal.js';

/** Missing, wrong, expired or revoked credentials: authenticate again. */
export const CLOSE_UNAUTHENTICATED = 4401;
/** Valid credentials without any scope. */
export const CLOSE_FORBIDDEN = 4403;
/** The credential could not be checked (JWKS unreachable): try again later (RFC 6455). */
const CLOSE_TRY_AGAIN_LATER = 1013;

// setTimeout's limit; a later expiry is re-armed when the timer fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

// A type, not an interface: graphql-ws wants an index-signature-compatible record.
export type SocketExtra = {
  socket: WebSocket;
  principal?: Principal;
};

type WsContext = Context<Record<string, unknown>, SocketExtra>;

/**
 * graphql-ws hooks: authenticates `connection_init` before the ack, closes a socket when its
 * token expires or its key is revoked, so a long-lived subscription never outlives its credential.
 */
export function websocketAuth(authenticator: Authenticator, logger: Logger) {
  const live = new Map<WebSocket, { principal: Principal; timer?: NodeJS.Timeout }>();

  const expire = (socket: WebSocket, principal: Principal) => {
    const entry = live.get(socket);
    if (!entry || principal.expiresAt === undefined) return;
    const wait = principal.expiresAt - Date.now();
    if (wait <= 0) {
      socket.close(CLOSE_UNAUTHENTICATED, 'Token expired');
      return;
    }
    entry.timer = setTimeout(() => expire(socket, principal), Math.min(wait, MAX_TIMER_MS));
    entry.timer.unref();
  };

  const stopWatching = authenticator.onChange(() => {
    for (const [socket, { principal }] of live) {
      if (!authenticator.isCurrent(principal)) {
        socket.close(CLOSE_UNAUTHENTICATED, 'Credentials revoked');
      }
    }
  });

  return {
    async onConnect(ctx: WsContext): Promise<boolean> {
      const { socket } = ctx.extra;
      let principal: Principal;
      try {
        principal = await authenticator.authenticate(
          credentialFromConnectionParams(ctx.connectionParams),
        );
      } catch (error) {
        const unauthenticated = error instanceof UnauthenticatedError;
        logger.warn({ reason: (error as Error).message }, 'websocket authentication failed');
        // graphql-ws would close with 4403 on `false`; say 4401 when it is a credential problem.
        socket.close(
          unauthenticated ? CLOSE_UNAUTHENTICATED : CLOSE_TRY_AGAIN_LATER,
          unauthenticated ? 'Unauthorized' : 'Authentication unavailable',
        );
        return false;
      }
      // The socket may have gone while a JWKS fetch was pending; nothing must be armed for it.
      if (socket.readyState !== socket.OPEN) return false;
      if (principal.scopes.size === 0) {
        socket.close(CLOSE_FORBIDDEN, 'Forbidden');
        return false;
      }
      ctx.extra.principal = principal;
      // graphql-ws keeps the HTTP upgrade request for the socket's whole life; nothing reads it
      // after the handshake, and an idle bot connection would otherwise hold its headers forever.
      delete (ctx.extra as { request?: unknown }).request;
      live.set(socket, { principal });
      expire(socket, principal);
      return true;
    },

    onClose(ctx: WsContext): void {
      const entry = live.get(ctx.extra.socket);
      if (entry?.timer) clearTimeout(entry.timer);
      live.delete(ctx.extra.socket);
    },

    close(): void {
      stopWatching();
      for (const entry of live.values()) if (entry.timer) clearTimeout(entry.timer);
      live.clear();
    },
  };
}
