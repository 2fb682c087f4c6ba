import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContext {
  requestId: string;
  /** Whose budgets the request draws from (`rateKey`), once its caller is known. */
  caller?: string;
  /**
   * Calls of this request that reached AWS (src/aws/observed-api.ts), to settle its charge on the
   * upstream budget. Calls it joined or read from cache were made, and counted, by another.
   */
  awsCalls?: number;
}

/** One more call of the current request reached AWS. */
export function countAwsCall(): void {
  const store = requestContext.getStore();
  if (store) store.awsCalls = (store.awsCalls ?? 0) + 1;
}

/**
 * The request a piece of work belongs to, without threading it through every call: the logger
 * reads it for every line, so an AWS call logged deep in a DataLoader batch names its request.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

// A caller's id is echoed into logs and headers, so only a short, plain token is trusted.
const ACCEPTED_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTED_ID.test(value) ? value : randomUUID();
}

/** First middleware: assigns the id, echoes it in the response and opens the context. */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.locals.requestId = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  requestContext.run({ requestId }, next);
}
