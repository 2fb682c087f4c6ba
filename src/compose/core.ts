import { auditLogger } from '../auth/audit.js';
import type { Router } from '../aws/routing.js';
import type { CachingNetworkFirewallApi } from '../aws/caching-api.js';
import type { GatewayConfig } from '../config.js';
import { createContextFactory } from '../context.js';
import type { GatewayContext } from '../context.js';
import type { Principal } from '../auth/principal.js';
import { CursorCodec } from '../cursor.js';
import { GlobalIdCodec } from '../global-id.js';
import { InFlightMutations } from '../lifecycle/in-flight.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import { createLoaders } from '../loaders/index.js';
import { routeArns } from '../auth/targets.js';
import type { Logger } from '../logger.js';
import { GatewayMetrics } from '../metrics/registry.js';
import type { Coordinator } from '../subscriptions/coordinator.js';
import { Multiplexer } from '../subscriptions/multiplexer.js';
import type { GatewayWebSocketServer } from '../ws/server.js';
import { createCoordinator, createLimiters } from './coordination.js';
import { createCachedApi } from './upstream.js';
import type { Upstream } from './upstream.js';

/** What both transports share: the cached API, coordination, limits, pollers and contexts. */
export interface GatewayCore {
  metrics: GatewayMetrics;
  api: CachingNetworkFirewallApi;
  coordinator: Coordinator;
  limiter: RateLimiter | undefined;
  budget: RateLimiter | undefined;
  subscriptions: Multiplexer;
  inFlight: InFlightMutations;
  contextFactory: (principal: Principal) => GatewayContext;
  /** The websocket server, once attached: the gauges read it at scrape time. */
  attach(websockets: GatewayWebSocketServer): void;
}

export async function createCore(
  config: GatewayConfig,
  upstream: Upstream,
  router: Router,
  logger: Logger,
): Promise<GatewayCore> {
  let websockets: GatewayWebSocketServer | undefined;
  // Gauges read these at scrape time, by which point all of them exist.
  const metrics: GatewayMetrics = new GatewayMetrics({
    openWebsockets: () => websockets?.connections() ?? 0,
    subscriptions: () => ({
      watchCount: subscriptions.watchCount,
      leaseCount: subscriptions.leaseCount,
      subscriberCount: websockets?.operations() ?? 0,
      executionCount: websockets?.cohorts() ?? 0,
    }),
    cacheEntries: () => api.cacheSize,
    inflightReads: () => api.inflightCount,
  });
  const api = createCachedApi(config, upstream, logger, metrics);
  const coordinator = await createCoordinator(config, logger);
  const subscriptions: Multiplexer = new Multiplexer({
    intervalMs: config.pollIntervalMs,
    maxFailures: config.pollMaxFailures,
    createLoaders: () =>
      createLoaders(api, config.awsMaxConcurrency, routeArns(router), metrics.onBatch),
    coordinator,
    onPollLag: metrics.onPollLag,
  });
  const inFlight = new InFlightMutations();
  const contextFactory = createContextFactory({
    api,
    subscriptions,
    config,
    cursors: new CursorCodec(config.cursorSecret),
    ids: new GlobalIdCodec(config.cursorSecret),
    router,
    audit: auditLogger(logger),
    inFlight,
    onBatch: metrics.onBatch,
  });
  return {
    metrics,
    api,
    coordinator,
    ...createLimiters(config, coordinator),
    subscriptions,
    inFlight,
    contextFactory,
    attach: (attached) => {
      websockets = attached;
    },
  };
}
