import type { Span } from '@opentelemetry/api';

/** The attribute telling how many HTTP attempts one AWS call took (the SDK's own retries). */
export const ATTEMPTS_ATTRIBUTE = 'aws.request.attempts';

function attemptsOf(value: unknown): number | undefined {
  const metadata = (value as { $metadata?: { attempts?: unknown } } | null | undefined)?.$metadata;
  return typeof metadata?.attempts === 'number' ? metadata.attempts : undefined;
}

/**
 * The AWS SDK instrumentation's hooks, adding the attempt count it does not record. Starts go
 * out with maxAttempts 1 and are retried by the gateway's own loop (src/aws/start-attempts.ts):
 * each of those attempts is a span of its own, a sibling under the same parent.
 */
export const awsAttemptHooks = {
  responseHook(span: Span, info: { response: { data?: unknown } }): void {
    const attempts = attemptsOf(info.response.data);
    if (attempts !== undefined) span.setAttribute(ATTEMPTS_ATTRIBUTE, attempts);
  },
  exceptionHook(span: Span, _request: unknown, error: unknown): void {
    const attempts = attemptsOf(error);
    if (attempts !== undefined) span.setAttribute(ATTEMPTS_ATTRIBUTE, attempts);
    // SDK v3 errors carry the request id in $metadata, where the instrumentation does not look.
    const requestId = (error as { $metadata?: { requestId?: unknown } } | null)?.$metadata
      ?.requestId;
    if (typeof requestId === 'string') span.setAttribute('aws.request.id', requestId);
  },
};
