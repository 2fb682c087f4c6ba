import type { RequestHandler } from 'express';
import { credentialFromHeaders } from './auth/credentials.js';
import type { Principal } from './auth/principal.js';
import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import { GatewayError, awsMessageOf } from './errors.js';
import type { Logger } from './logger.js';

const READY_CACHE_MS = 5000;

interface Check {
  ok: boolean;
  at: number;
  /** For logs and `admin` callers only: the gateway's words, and AWS's own when it answered. */
  detail?: {
    reason: string;
    awsErrorName?: unknown;
    awsRequestId?: unknown;
    awsMessage?: string;
  };
}

export interface ReadinessOptions {
  api: NetworkFirewallApi;
  logger: Logger;
  /** Whether Redis answers right now, in cluster mode; undefined without REDIS_URL. */
  redis: () => Promise<'up' | 'down' | undefined>;
  /** Shutdown has begun: not ready, so that balancers stop sending (new connections are refused by then anyway). */
  shuttingDown: () => boolean;
  /** Authenticates a request that presents a credential (the /graphql middleware). */
  authenticate: RequestHandler;
}

/**
 * `/readyz`, asked by load balancers and probes without a credential: they get `{status}` (and
 * `redis` in cluster mode) and nothing else. Why the backend is unavailable names the gateway's role, account and instance
 * (AWS's AccessDenied says who was denied), so it goes to the logs, and to a caller whose
 * credential has the `admin` scope.
 */
export function readiness(options: ReadinessOptions): RequestHandler[] {
  const { api, logger } = options;
  let last: Check | undefined;
  // Probes come without credentials, so unthrottled: probes arriving while Redis is being asked
  // share that one PING instead of sending one each.
  let redisAsking: Promise<'up' | 'down' | undefined> | undefined;
  const redisState = () =>
    (redisAsking ??= options.redis().finally(() => {
      redisAsking = undefined;
    }));

  const check = async (): Promise<Check> => {
    if (last && Date.now() - last.at <= READY_CACHE_MS) return last;
    const previous = last;
    try {
      await api.listFirewalls({ MaxResults: 1 });
      last = { ok: true, at: Date.now() };
      if (previous && !previous.ok) logger.info('readiness: the backend answers again');
    } catch (error) {
      const extensions = error instanceof GatewayError ? error.extensions : {};
      last = {
        ok: false,
        at: Date.now(),
        detail: {
          reason: (error as Error).message,
          awsErrorName: extensions.awsErrorName,
          awsRequestId: extensions.awsRequestId,
          ...(awsMessageOf(error) ? { awsMessage: awsMessageOf(error) } : {}),
        },
      };
      if (!previous || previous.ok)
        logger.warn(last.detail, 'readiness: the backend is unavailable');
    }
    return last;
  };

  return [
    // Probes send no credential and are not authenticated; a credential presented is checked
    // (and a wrong one refused and rate limited) exactly as on /graphql.
    (req, res, next) => {
      if (credentialFromHeaders(req.headers) === undefined) return next();
      return options.authenticate(req, res, next);
    },
    async (_req, res) => {
      const shuttingDown = () => {
        if (!options.shuttingDown()) return false;
        res.status(503).json({ status: 'unavailable', reason: 'shutting down' });
        return true;
      };
      if (shuttingDown()) return;
      const [result, redis] = await Promise.all([check(), redisState()]);
      // Asked as shutdown begins, or answered after it began.
      if (shuttingDown()) return;
      const status = result.ok ? 'ready' : 'unavailable';
      const principal = res.locals.principal as Principal | undefined;
      // Redis is reported, not required: without it subscriptions fall back to local polling, and
      // failing readiness on every replica at once would turn a degraded cluster into an outage.
      // `up` or `down` says nothing about where Redis is, so probes and dashboards see it too.
      const detail = principal?.scopes.has('admin') ? result.detail : undefined;
      res.status(result.ok ? 200 : 503).json({ status, ...detail, ...(redis ? { redis } : {}) });
    },
  ];
}
