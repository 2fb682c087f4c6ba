import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Principal } from '../auth/principal.js';

/** Whose budget a request takes from: the key or token subject, or the client address without one. */
export function rateKey(principal: Principal, address: string): string {
  return principal.kind === 'anonymous' ? `ip:${address}` : `${principal.kind}:${principal.id}`;
}

/** The budget of failed or not yet proven credentials: guessing keys is rate limited too. */
export function addressKey(address: string): string {
  return `ip:${address}`;
}

export type RateDecision =
  | {
      ok: true;
      /** Points left in this minute's window. */
      remaining: number;
      /** When the window ends (epoch ms): a refund after it would credit the next one. */
      windowEndsAt: number;
    }
  | { ok: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /** Points per minute per key. */
  perMinute: number;
  /** Keeps each limit's counters apart in a shared store: `requests`, `upstream`, … */
  name: string;
  /**
   * Cluster mode: counters live in Redis, so every replica draws from the same budget. While Redis
   * is away each replica falls back to a budget of its own (the same fallback as subscriptions).
   */
  redis?: Redis;
  /** REDIS_PREFIX, so several gateways can share one Redis. */
  prefix?: string;
}

const WINDOW_SECONDS = 60;

/**
 * The project's words over rate-limiter-flexible: `perMinute` points per key in a fixed window of
 * one minute that starts with the key's first point (the library's model; the hand-written token
 * bucket before it refilled continuously). Counters expire with their window, so memory and Redis
 * keys follow active callers only.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;
  readonly perMinute: number;

  constructor(options: RateLimiterOptions) {
    this.perMinute = options.perMinute;
    const common = { points: options.perMinute, duration: WINDOW_SECONDS };
    const local = new RateLimiterMemory({ ...common, keyPrefix: options.name });
    this.limiter = options.redis
      ? new RateLimiterRedis({
          ...common,
          storeClient: options.redis,
          keyPrefix: `${options.prefix ?? 'nfw:'}rate:${options.name}`,
          // Fail over at once rather than wait for a reconnect: a request is never held by Redis.
          rejectIfRedisNotReady: true,
          insuranceLimiter: local,
        })
      : local;
  }

  /** Takes `points` (1 for a request, the operation's cost for the upstream budget) from `key`. */
  async take(key: string, points = 1): Promise<RateDecision> {
    try {
      const res = await this.limiter.consume(key, points);
      return {
        ok: true,
        remaining: res.remainingPoints,
        windowEndsAt: Date.now() + res.msBeforeNext,
      };
    } catch (error) {
      // Only a store error with no insurance reaches here as an Error; both stores are insured.
      if (!(error instanceof RateLimiterRes)) throw error;
      // The library counts a refused charge too; give a large one back, so that a cheaper
      // operation may still fit in what is left. One point (a request) is not worth a round trip.
      if (points > 1) await this.limiter.reward(key, points).catch(() => undefined);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
  }

  /**
   * Settles a charge against what was really spent: points not spent are given back, points spent
   * beyond the charge are taken (never refused: they are spent already). A refund only within
   * the charge's window, as it would otherwise credit the next window with points never charged.
   * Answers the points left, when known.
   */
  async settle(
    key: string,
    charged: number,
    spent: number,
    decision: RateDecision,
  ): Promise<number | undefined> {
    if (!decision.ok) return undefined;
    if (spent === charged) return decision.remaining;
    if (spent < charged && Date.now() >= decision.windowEndsAt) return undefined;
    try {
      const res =
        spent < charged
          ? await this.limiter.reward(key, charged - spent)
          : await this.limiter.penalty(key, spent - charged);
      return res.remainingPoints;
    } catch {
      // Redis went away between charge and settlement: only this settlement is lost.
      return undefined;
    }
  }
}
