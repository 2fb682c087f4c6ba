/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of
 * many bots spread out after a gateway restart but none retries almost at once.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return capped / 2 + Math.random() * (capped / 2);
}

/**
 * Waits `ms`, or less when `signal` aborts. It resolves rather than rejects on abort: callers are
 * retry loops (some inside graphql-ws, where a rejection would go unhandled) that check for
 * shutdown themselves after waking up.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
