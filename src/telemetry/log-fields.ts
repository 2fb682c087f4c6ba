import { trace } from '@opentelemetry/api';

/**
 * `trace_id` and `span_id` of the span current where a line is logged, so that a log search and
 * a trace view find each other. Nothing without a recording span: tracing off costs a lookup.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
