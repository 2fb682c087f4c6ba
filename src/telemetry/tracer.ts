import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Link, SpanContext } from '@opentelemetry/api';

/**
 * The gateway's own spans. Without the SDK started (src/telemetry/bootstrap.ts) this is the
 * API's no-op tracer: each span is a shared non-recording object, and no attribute is kept.
 */
export const tracer = trace.getTracer('nfw-flow-gateway');

/** Links kept on one span (a tick linked to 10 000 subscribers would be a huge span). */
const MAX_LINKS = 32;

/**
 * The span context of the current span, ended or not (a subscription's resolver may reach the
 * poller after its subscribe span has ended; the link still holds). Undefined with tracing off.
 */
export function currentSpanContext(): SpanContext | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context : undefined;
}

/** At most MAX_LINKS links, to the first span contexts given. */
export function linksTo(contexts: Iterable<SpanContext | undefined>): Link[] {
  const links: Link[] = [];
  for (const context of contexts) {
    if (links.length >= MAX_LINKS) break;
    if (context) links.push({ context });
  }
  return links;
}
