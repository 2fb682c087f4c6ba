import { backoffDelay, sleep } from './backoff.js';
import { describeError, silentLogger } from './log.js';
import type { Logger } from './log.js';

export interface WebhookPosterOptions {
  /** A Slack-compatible incoming webhook: POST `{"text": "..."}` as JSON. */
  url: string;
  /** Attempts per message, the first included. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  baseDelayMs?: number;
  /** Longest backoff delay of our own. */
  maxDelayMs?: number;
  /** Longest wait the receiver's `Retry-After` may impose; later messages queue behind it. */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout, so a hung receiver cannot stall the queue. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

export interface WebhookPoster {
  /**
   * Queues a message behind the ones before it. Resolves `true` once delivered, `false` when it
   * was given up (attempts exhausted, a 4xx other than 429, or the poster closed). Never rejects.
   */
  post(text: string): Promise<boolean>;
  /** Resolves when every queued message has been delivered or given up. */
  idle(): Promise<void>;
  /**
   * Stops taking messages, gives the queue up to `drainMs` to deliver, then abandons the rest
   * (aborting the request in flight and any backoff wait).
   */
  close(drainMs?: number): Promise<void>;
}

/** Seconds or an HTTP date, per RFC 9110; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function createWebhookPoster(options: WebhookPosterOptions): WebhookPoster {
  const {
    url,
    maxAttempts = 4,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    maxRetryAfterMs = 60_000,
    timeoutMs = 10_000,
    logger = silentLogger,
  } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const abort = new AbortController();
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function deliver(text: string): Promise<boolean> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (abort.signal.aborted) return false;
      let waitMs: number;
      try {
        const res = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
          signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
        });
        // Read the body either way so the connection goes back to the pool.
        const body = await res.text().catch(() => '');
        if (res.ok) return true;
        if (!isRetryableStatus(res.status)) {
          logger.error('webhook refused the message; not retrying', {
            status: res.status,
            body: body.slice(0, 200),
            text,
          });
          return false;
        }
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        waitMs =
          retryAfter !== undefined
            ? Math.min(retryAfter, maxRetryAfterMs)
            : backoffDelay(attempt - 1, baseDelayMs, maxDelayMs);
        logger.warn('webhook post failed', { status: res.status, attempt, retryInMs: waitMs });
      } catch (error) {
        if (abort.signal.aborted) return false;
        waitMs = backoffDelay(attempt - 1, baseDelayMs, maxDelayMs);
        logger.warn('webhook post failed', {
          error: describeError(error),
          attempt,
          retryInMs: waitMs,
        });
      }
      if (attempt < maxAttempts) await sleep(waitMs, abort.signal);
    }
    logger.error('webhook post given up', { attempts: maxAttempts, text });
    return false;
  }

  return {
    post(text) {
      if (closed) return Promise.resolve(false);
      // A plain promise chain keeps the order: each message starts after the previous settled.
      const result = tail
        .then(() => deliver(text))
        .catch((error: unknown) => {
          logger.error('webhook post crashed', { error: describeError(error) });
          return false;
        });
      tail = result;
      return result;
    },
    async idle() {
      await tail;
    },
    async close(drainMs = 5000) {
      closed = true;
      const drained = tail.then(() => true);
      const timeout = new AbortController();
      const timedOut = sleep(drainMs, timeout.signal).then(() => false);
      const inTime = await Promise.race([drained, timedOut]);
      timeout.abort();
      if (!inTime) {
        logger.warn('webhook queue not drained in time; dropping the rest', { drainMs });
        abort.abort();
        await tail;
      }
    },
  };
}
