import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

type Done = Parameters<InMemorySpanExporter['export']>[1];

/**
 * The SDK's in-memory exporter, told of each export, so that a test waits for the span it expects
 * (spans end after the response is written: the HTTP span, a poll tick) instead of sleeping.
 */
export class SpanRecorder extends InMemorySpanExporter {
  private readonly waiters = new Set<() => void>();

  override export(spans: ReadableSpan[], done: Done): void {
    super.export(spans, done);
    for (const wake of this.waiters) wake();
  }

  /** The first finished span matching `match`, now or when it is exported. */
  waitFor(match: (span: ReadableSpan) => boolean, timeoutMs = 10_000): Promise<ReadableSpan> {
    const found = this.getFinishedSpans().find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const span = this.getFinishedSpans().find(match);
        if (!span) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(span);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        const names = this.getFinishedSpans().map((s) => s.name);
        reject(new Error(`no matching span within ${timeoutMs} ms; have: ${names.join(', ')}`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** The finished children of `parent`. */
  childrenOf(parent: ReadableSpan): ReadableSpan[] {
    const { spanId, traceId } = parent.spanContext();
    return this.getFinishedSpans().filter(
      (s) => s.parentSpanContext?.spanId === spanId && s.spanContext().traceId === traceId,
    );
  }
}
