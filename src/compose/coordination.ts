import type { GatewayConfig } from '../config.js';
import { RateLimiter } from '../limits/rate-limit.js';
import type { Logger } from '../logger.js';
import { LocalCoordinator } from '../subscriptions/coordinator.js';
import type { Coordinator } from '../subscriptions/coordinator.js';
import { RedisCoordinator } from '../subscriptions/redis-coordinator.js';

/** How this replica shares subscription polling: alone, or through Redis (REDIS_URL). */
export async function createCoordinator(
  config: GatewayConfig,
  logger: Logger,
): Promise<Coordinator> {
  if (!config.redisUrl) return new LocalCoordinator();
  const coordinator = new RedisCoordinator({
    url: config.redisUrl,
    intervalMs: config.pollIntervalMs,
    prefix: config.redisPrefix,
    logger,
  });
  try {
    await coordinator.ready();
    logger.info('Cluster mode: subscriptions share polling through Redis');
  } catch (error) {
    // Subscriptions still work, polled by this replica alone, and go shared once Redis answers.
    logger.warn(
      { err: (error as Error).message },
      'Redis is not reachable; polling locally for now',
    );
  }
  return coordinator;
}

export interface Limiters {
  limiter: RateLimiter | undefined;
  budget: RateLimiter | undefined;
}

/**
 * RATE_LIMIT_PER_MINUTE (requests and failed authentications) and UPSTREAM_CALLS_PER_MINUTE. In
 * cluster mode their counters live in Redis, on the coordinator's command connection, so N
 * replicas allow the limit once, not N times; while Redis is away each replica counts alone.
 */
export function createLimiters(config: GatewayConfig, coordinator: Coordinator): Limiters {
  const shared = {
    redis: coordinator instanceof RedisCoordinator ? coordinator.client : undefined,
    prefix: config.redisPrefix,
  };
  const { rateLimitPerMinute, upstreamCallsPerMinute } = config.limits;
  return {
    limiter:
      rateLimitPerMinute > 0
        ? new RateLimiter({ ...shared, name: 'requests', perMinute: rateLimitPerMinute })
        : undefined,
    budget:
      upstreamCallsPerMinute > 0
        ? new RateLimiter({ ...shared, name: 'upstream', perMinute: upstreamCallsPerMinute })
        : undefined,
  };
}

/**
 * How long /readyz waits for Redis's PING before saying `down`: Redis answers in well under a
 * millisecond, and a probe's own timeout (Kubernetes: 1 s) must not be spent waiting for it.
 */
const REDIS_READY_DEADLINE_MS = 250;

/** Redis's state for /readyz: undefined without REDIS_URL. */
export function redisReadiness(
  config: GatewayConfig,
  coordinator: Coordinator,
): () => Promise<'up' | 'down' | undefined> {
  return async () => {
    if (!config.redisUrl) return undefined;
    // Asked, not assumed from the connection's state: a stalled Redis stays connected.
    if (coordinator instanceof RedisCoordinator) {
      return (await coordinator.answers(REDIS_READY_DEADLINE_MS)) ? 'up' : 'down';
    }
    return coordinator.mode === 'shared' ? 'up' : 'down';
  };
}
