interface Bucket {
  tokens: number;
  at: number;
}

import type { Principal } from '../auth/principal.js';

/** Whose bucket a request takes from: the key or token subject, or the client address without one. */
export function rateKey(principal: Principal, address: string): string {
  return principal.kind === 'anonymous' ? `ip:${address}` : `${principal.kind}:${principal.id}`;
}

/** The bucket of failed or not yet proven credentials: guessing keys is rate limited too. */
export function addressKey(address: string): string {
  return `ip:${address}`;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A token bucket per caller: `perMinute` requests in a burst, refilled continuously at
 * `perMinute` per minute. Full buckets are forgotten, so memory follows active callers only.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)),
    };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute)
        this.buckets.delete(key);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
