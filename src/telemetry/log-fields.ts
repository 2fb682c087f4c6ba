import { currentSpanContext } from './tracer.js';

/**
 * `trace_id` and `span_id` of the span current where a line is logged, so that a log search and
 * a trace view find each other. Nothing with tracing off, at the cost of one lookup.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const context = currentSpanContext();
  return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
