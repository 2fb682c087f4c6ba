import { isCredentialsFailure } from '../errors.js';

/**
 * What a failed StartFlowCapture or StartFlowFlush attempt proves about AWS's side. A start is not
 * idempotent (the API takes no client token), so a second attempt is safe only when the first one
 * provably did nothing; everything else must be reconciled, never retried or reported failed.
 *
 * - `retry`: AWS did not act, and a later attempt may pass: AWS answered "slow down" (throttling),
 *   or no connection was ever made, so no byte of the request left the gateway.
 * - `failed`: AWS did not act and will not on a retry: it answered with another 4xx (it read the
 *   request and refused it), or the call failed before any connection (no credentials).
 * - `unknown`: the request may have reached AWS and been acted on: a timeout, a connection reset or
 *   closed after (part of) the request was written, any 5xx, anything unrecognised. A 5xx is here
 *   too, conservatively: AWS documents no promise that an InternalServerError (or a 503 from a
 *   load balancer in front of the service) means the operation was not started, and the start may
 *   have been recorded before the failure.
 */
export type StartAttemptVerdict = 'retry' | 'failed' | 'unknown';

// AWS's throttling error names, as the SDK's own classifier lists them; all are answers (4xx).
const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
]);

// Failures to open a connection: refused by the peer, no route, or no address (DNS). The request
// is written only on an open connection, so none of these can have reached AWS. ECONNRESET, EPIPE
// and ETIMEDOUT are not here: they also happen on a reused keep-alive socket after the request was
// written.
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// Raised by the SDK before it opens a connection: no credentials could be found or refreshed.
const BEFORE_SENDING_NAMES: ReadonlySet<string> = new Set(['CredentialsProviderError']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

export function classifyStartFailure(error: unknown): StartAttemptVerdict {
  // STS failed (its 403, 5xx or timeout alike) while the SDK fetched the role's credentials: the
  // start itself was never signed, let alone sent. The SDK's STS client has retried already.
  if (isCredentialsFailure(error)) return 'failed';
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    // An HTTP answer: AWS read the request. Only a 4xx says it refused to act.
    if (status === 429 || (status >= 400 && status < 500 && THROTTLING_NAMES.has(name))) {
      return 'retry';
    }
    if (status >= 400 && status < 500) return 'failed';
    return 'unknown';
  }
  if (BEFORE_SENDING_NAMES.has(name)) return 'failed';
  const code = typeof e.code === 'string' ? e.code : shape(e.cause).code;
  if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return 'retry';
  return 'unknown';
}

const THROTTLED_BASE_MS = 500;
const NOT_CONNECTED_BASE_MS = 100;
const MAX_DELAY_MS = 20_000;

/** Full-jitter exponential backoff, with the SDK standard mode's bases and cap. */
export function startRetryDelayMs(error: unknown, attempt: number, random = Math.random): number {
  const throttled = typeof shape(error).$metadata?.httpStatusCode === 'number';
  const base = throttled ? THROTTLED_BASE_MS : NOT_CONNECTED_BASE_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
}

/** Why an `unknown` attempt's outcome is unknown, in the gateway's words (never AWS's text). */
export function lostAnswerReason(error: unknown, timeoutMs: number): string {
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return `AWS answered HTTP ${status}${name ? ` ${name}` : ''}`;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
  if (code) return `the connection was lost (${code})`;
  return `the call failed (${name || 'unknown error'})`;
}
