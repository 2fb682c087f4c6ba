import type { RequestHandler, Response } from 'express';
import { ErrorCode, GatewayError, RateLimitedError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendGraphQLError } from '../limits/http.js';
import { addressKey, rateKey } from '../limits/rate-limit.js';
import { requestContext } from '../observability/request-context.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { ClientAddress } from '../net/client-address.js';
import type { Authenticator } from './authenticator.js';
import { credentialFromHeaders } from './credentials.js';
import type { Principal } from './principal.js';

const REALM = 'Bearer realm="nfw-flow-gateway"';

function tooMany(res: Response, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  const error = RateLimitedError.after(retryAfterSeconds);
  sendGraphQLError(res, 429, error.message, error.code, error.extensions);
}

/**
 * Runs before the body is even read: an unauthenticated or rate-limited caller costs the gateway
 * no parsing, and never reaches a resolver, a cache or AWS. On success the principal is left in
 * `res.locals.principal` for the context factory.
 */
export function authenticateHttp(options: {
  authenticator: Authenticator;
  limiter: RateLimiter | undefined;
  logger: Logger;
  clientAddress: ClientAddress;
}): RequestHandler {
  const { authenticator, limiter, logger, clientAddress } = options;
  return async (req, res, next) => {
    const credential = credentialFromHeaders(req.headers);
    let principal: Principal;
    try {
      principal = await authenticator.authenticate(credential);
    } catch (error) {
      // Failed attempts count against the client address, so guessing keys is rate limited too.
      const decision = await limiter?.take(addressKey(clientAddress(req)));
      if (decision && !decision.ok) return tooMany(res, decision.retryAfterSeconds);
      if (error instanceof UnauthenticatedError) {
        logger.warn(
          {
            reason: error.message,
            client: clientAddress(req),
            presented: credential !== undefined,
          },
          'authentication failed',
        );
        res.setHeader(
          'WWW-Authenticate',
          credential === undefined ? REALM : `${REALM}, error="invalid_token"`,
        );
        return sendGraphQLError(res, 401, error.message, ErrorCode.UNAUTHENTICATED);
      }
      if (error instanceof GatewayError) {
        logger.error({ err: error.message }, 'authentication unavailable');
        return sendGraphQLError(res, 503, error.message, error.code);
      }
      return next(error);
    }
    const caller = rateKey(principal, clientAddress(req));
    const decision = await limiter?.take(caller);
    if (decision && !decision.ok) return tooMany(res, decision.retryAfterSeconds);
    // A credential without any scope may do nothing at all, not even introspection: refused here
    // as websockets refuse it at connection_init (4403), before the body is read.
    if (principal.scopes.size === 0) {
      return sendGraphQLError(
        res,
        403,
        `${principal.id} has no scope: the credential allows nothing`,
        ErrorCode.FORBIDDEN,
      );
    }
    res.locals.principal = principal;
    // Whose budgets the rest of the request draws from (the AWS call budget, upstream-budget.ts).
    const store = requestContext.getStore();
    if (store) store.caller = caller;
    next();
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  // Only reachable if the middleware order changes: fail closed.
  if (!principal) throw new UnauthenticatedError();
  return principal;
}
