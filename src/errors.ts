import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { clip } from './observability/clip.js';

/**
 * The stable `extensions.code` values of this gateway's errors. Clients switch on these, so a
 * value is never renamed once published; see docs/errors.md for what each one asks of a caller.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  THROTTLED = 'THROTTLED',
  RATE_LIMITED = 'RATE_LIMITED',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** TRUSTED_DOCUMENTS=enforce: a document not in the manifest, from a caller without `explore`. */
  PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export interface GatewayErrorExtensions {
  [key: string]: unknown;
  /** The AWS request id of the call that failed, for AWS support cases and CloudTrail. */
  awsRequestId?: string;
  /** The AWS error name, e.g. `InvalidRequestException`. */
  awsErrorName?: string;
  /** The input path at fault, e.g. `input.flowFilters[3].destinationPort`. */
  argumentPath?: string;
}

export abstract class GatewayError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, extensions: GatewayErrorExtensions = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends GatewayError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.BAD_USER_INPUT, extensions);
  }
}

export class NotFoundError extends GatewayError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.NOT_FOUND, extensions);
  }
}

export class UnauthenticatedError extends GatewayError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'Authentication required', extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.UNAUTHENTICATED, extensions);
  }
}

export class ForbiddenError extends GatewayError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.FORBIDDEN, extensions);
  }
}

export class ThrottledError extends GatewayError {
  readonly code = ErrorCode.THROTTLED;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.THROTTLED, extensions);
  }
}

export class LimitExceededError extends GatewayError {
  readonly code = ErrorCode.LIMIT_EXCEEDED;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.LIMIT_EXCEEDED, extensions);
  }
}

export class RateLimitedError extends GatewayError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.RATE_LIMITED, extensions);
  }

  /** The refusal of a caller whose bucket is empty, over HTTP and websockets alike. */
  static after(retryAfterSeconds: number): RateLimitedError {
    return new RateLimitedError(`Too many requests; retry after ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

export class QueryTooComplexError extends GatewayError {
  readonly code = ErrorCode.QUERY_TOO_COMPLEX;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.QUERY_TOO_COMPLEX, extensions);
  }
}

export class UpstreamError extends GatewayError {
  readonly code = ErrorCode.UPSTREAM_ERROR;
  constructor(message: string, extensions?: GatewayErrorExtensions) {
    super(message, ErrorCode.UPSTREAM_ERROR, extensions);
  }
}

/**
 * A start whose answer was lost (timeout, connection lost after sending, 5xx): AWS may have
 * started the operation. Never a failure: the caller must look before starting it again.
 * `extensions.requestedAt` is when the gateway sent it (ISO 8601).
 */
export class OutcomeUnknownError extends GatewayError {
  readonly code = ErrorCode.OUTCOME_UNKNOWN;
  constructor(message: string, extensions: GatewayErrorExtensions & { requestedAt: string }) {
    super(message, ErrorCode.OUTCOME_UNKNOWN, extensions);
  }
}

/** Thrown by exhaustive switches, so that a new enum member is a compile error, not a silent fallthrough. */
/** Any thrown value as a GraphQLError, keeping the original for logs and formatError. */
export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original });
}

export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}

interface AwsLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $retryable?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

// AWS's words about the gateway's own identity: who it is (role ARN, account id, instance id) and
// what it may not do. None of that is the caller's business, and a caller can do nothing about it.
const CREDENTIAL_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied', // STS, through the SDK's temporary-credentials provider
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError', // the SDK's default chain found no credentials
  'RegionDisabledException',
]);

// Errors thrown while the SDK resolved credentials (an AssumeRole call, say): marked where the
// provider is wrapped (src/aws/network-firewall-api.ts), since STS errors carry no common name.
const credentialFailures = new WeakSet<object>();

/** Marks an error thrown by a credentials provider, so that mapAwsError blames the gateway's identity. */
export function markCredentialsFailure(error: unknown): unknown {
  if (isObject(error)) credentialFailures.add(error);
  return error;
}

/** Whether the call failed while its credentials were resolved, before anything was sent. */
export function isCredentialsFailure(error: unknown): boolean {
  return isObject(error) && credentialFailures.has(error);
}

// What AWS said, for the gateway's logs only: never in a response (see awsMessageOf).
const awsMessages = new WeakMap<GatewayError, string>();

/** AWS's own text for an error mapped by mapAwsError, for log lines; responses carry the gateway's words. */
export function awsMessageOf(error: unknown): string | undefined {
  return error instanceof GatewayError ? awsMessages.get(error) : undefined;
}

/**
 * AWS's text about a caller's request is worth relaying (which zone, which filter), but it may
 * name resources and accounts the caller never sent: ARNs and 12-digit account ids are replaced.
 * One character class per pattern, so the scrub stays linear on any input.
 */
export function scrubAwsText(text: string): string {
  return text.replace(/\barn:[^\s"'<>,;]*/g, '<arn>').replace(/(?<!\d)\d{12}(?!\d)/g, '<account>');
}

/**
 * The one place AWS SDK errors become GraphQL errors. `what` names the call for the message
 * (e.g. "DescribeFlowOperation"), so a caller sees which upstream step failed without SDK internals.
 * AWS's own text reaches the caller only for errors about the caller's request, scrubbed of ARNs
 * and account ids; it is kept for logs (awsMessageOf).
 */
export function mapAwsError(error: unknown, what: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const mapped = mapUnmapped(error, what);
  const e: AwsLikeError = isObject(error) ? error : {};
  if (typeof e.message === 'string' && e.message !== '') awsMessages.set(mapped, e.message);
  return mapped;
}

function mapUnmapped(error: unknown, what: string): GatewayError {
  const e: AwsLikeError = isObject(error) ? error : {};
  const name = typeof e.name === 'string' ? e.name : 'Error';
  // AWS's messages may quote the request (an ARN, a filter): scrubbed of ARNs and accounts, and
  // bounded like caller text.
  const awsMessage = clip(typeof e.message === 'string' ? scrubAwsText(e.message) : '');
  const requestId = e.$metadata?.requestId;
  const ext: GatewayErrorExtensions = { awsErrorName: name };
  if (requestId) ext.awsRequestId = requestId;

  if (isCredentialsFailure(error)) {
    // STS refused or could not be reached: either way the gateway has no identity for that account.
    return new UpstreamError(
      `The gateway could not obtain its AWS credentials for ${what} (${name}); the operator should check the gateway's IAM role, its trust policies and logs`,
      ext,
    );
  }
  if (CREDENTIAL_ERRORS.has(name) || e.$metadata?.httpStatusCode === 403) {
    // The caller is fine; the gateway's own AWS identity is not, so this is the operator's problem.
    return new UpstreamError(
      `AWS refused the gateway's own credentials for ${what} (${name}); the operator should check the gateway's IAM role and logs`,
      ext,
    );
  }
  switch (name) {
    case 'InvalidRequestException':
    case 'ValidationException':
      return new BadUserInputError(`${what} rejected the request: ${awsMessage}`, ext);
    case 'ResourceNotFoundException':
      return new NotFoundError(awsMessage || `${what}: resource not found`, ext);
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new ThrottledError(
        `AWS throttled ${what} after ${e.$metadata?.attempts ?? 1} attempt(s); retry later`,
        ext,
      );
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'AbortError':
      return new UpstreamError(`AWS did not answer ${what} in time`, ext);
    default:
      break;
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && NETWORK_ERROR_CODES.has(code)) {
    return new UpstreamError(`Could not reach AWS for ${what} (${code})`, ext);
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new UpstreamError(`AWS failed ${what} (${name})`, ext);
  }
  if (e.$fault === 'client') {
    return new BadUserInputError(`${what} rejected the request: ${awsMessage || name}`, ext);
  }
  return new UpstreamError(`${what} failed (${name})`, ext);
}

/** Characters of an error message in a response. */
const MAX_MESSAGE_LENGTH = 1024;

// INTERNAL_SERVER_ERROR is left out: Apollo gives that code to unexpected throws, whose message must be masked.
const PUBLIC_CODES = new Set<string>(
  Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
);
// Apollo Server's own codes for malformed operations carry no internals; its INTERNAL_SERVER_ERROR
// is the one for unexpected throws, masked like ours.
const APOLLO_CODES = new Set<string>(
  Object.values(ApolloServerErrorCode).filter(
    (c) => c !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
  ),
);

/**
 * Apollo's `formatError`: known codes pass through (minus stack traces unless `exposeDetails`);
 * anything else is a bug or an unexpected throw, and is masked so that no internals leak.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  exposeDetails: boolean,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const known = typeof code === 'string' && (PUBLIC_CODES.has(code) || APOLLO_CODES.has(code));
  if (exposeDetails) return formatted;
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  // The last guard on caller text in responses: graphql-js's own messages (variable coercion)
  // quote values whole, and a request may be 1 MB.
  if (known)
    return { ...formatted, message: clip(formatted.message, MAX_MESSAGE_LENGTH), extensions };
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
