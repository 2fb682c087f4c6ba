import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';

/** The attribute telling how many HTTP attempts one AWS call took (the SDK's own retries). */
const ATTEMPTS_ATTRIBUTE = 'aws.request.attempts';

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
    redactAwsError(span, error);
  },
};

/**
 * The instrumentation records an AWS failure's message and stack as the span's status and an
 * `exception` event. AWS echoes request fields in its messages ("FlowOperationId '…' is not a
 * valid…"), and those are the caller's variables: only the error's name stays in the trace. The
 * message itself is in the gateway's log line, clipped, with the same trace_id. The hook runs
 * before the span ends, so its event is still the SDK span's own (mutable) record.
 */
function redactAwsError(span: Span, error: unknown): void {
  const name = (error as { name?: unknown } | null)?.name;
  const type = typeof name === 'string' ? name : 'Error';
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  const events = (span as unknown as { events?: { name: string; attributes?: Attributes }[] })
    .events;
  if (!Array.isArray(events)) return;
  for (const event of events) {
    if (event.name !== 'exception' || !event.attributes) continue;
    delete event.attributes['exception.message'];
    delete event.attributes['exception.stacktrace'];
  }
}
