import type { ErrorRequestHandler, Response } from 'express';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * A GraphQL-shaped error answered before GraphQL runs (authentication, rate limit, body), so a
 * client reads every refusal the same way: `errors[0].extensions.code`.
 */
export function sendGraphQLError(
  res: Response,
  status: number,
  message: string,
  code: string,
  extensions: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] }));
}

/**
 * express.json's failures as JSON: without it Express answers with an HTML page that carries a
 * stack trace, and an unexpected error as a bare 500.
 */
export function bodyErrors(bodyLimitBytes: number, logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const e = (error ?? {}) as { type?: unknown; status?: unknown; message?: unknown };
    const status = typeof e.status === 'number' ? e.status : 500;
    if (e.type === 'entity.too.large') {
      return sendGraphQLError(
        res,
        413,
        `The request body is larger than BODY_LIMIT (${bodyLimitBytes} bytes)`,
        'BAD_REQUEST',
      );
    }
    if (e.type === 'entity.parse.failed') {
      return sendGraphQLError(res, 400, 'The request body is not valid JSON', 'BAD_REQUEST');
    }
    if (status >= 400 && status < 500) {
      return sendGraphQLError(
        res,
        status,
        `The request body could not be read (${typeof e.type === 'string' ? e.type : status})`,
        'BAD_REQUEST',
      );
    }
    logger.error({ err: error }, 'unexpected error before GraphQL');
    sendGraphQLError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
  };
}
