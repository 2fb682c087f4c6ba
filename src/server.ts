import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { auditLogger } from './auth/audit.js';
import { createAuthenticator } from './auth/authenticator.js';
import { authenticateHttp, principalOf } from './auth/http.js';
import { bodyErrors } from './limits/http.js';
import { admissionPlugin } from './admission/apollo.js';
import { documentParseOptions } from './admission/parse.js';
import { BoundedDocumentStore, forgetRefusedDocuments } from './limits/document-store.js';
import { RateLimiter } from './limits/rate-limit.js';
import { CachingNetworkFirewallApi } from './aws/caching-api.js';
import { SdkNetworkFirewallApi } from './aws/network-firewall-api.js';
import { loadAccountsFile } from './aws/accounts.js';
import { Router } from './aws/routing.js';
import { routeArns } from './auth/targets.js';
import { ObservedNetworkFirewallApi } from './aws/observed-api.js';
import { ReconcilingNetworkFirewallApi } from './aws/start-reconciler.js';
import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import { ConfigError } from './config.js';
import type { GatewayConfig } from './config.js';
import { createContextFactory } from './context.js';
import { GlobalIdCodec } from './global-id.js';
import type { GatewayContext } from './context.js';
import { CursorCodec } from './cursor.js';
import { formatError } from './errors.js';
import { trackHttpDrain } from './lifecycle/http-drain.js';
import { InFlightMutations } from './lifecycle/in-flight.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { requestMetricsPlugin } from './metrics/apollo-plugin.js';
import { GatewayMetrics } from './metrics/registry.js';
import { startMetricsServer } from './metrics/server.js';
import { assignRequestId } from './observability/request-context.js';
import { within } from './lifecycle/within.js';
import { mountPlayground } from './playground/index.js';
import { readiness } from './readiness.js';
import { reportedErrorsPlugin } from './reported-errors.js';
import { buildSchema } from './schema.js';
import { buildSubgraphSchema } from './federation/subgraph-schema.js';
import { subgraphPlugins } from './federation/plugins.js';
import { attachWebSocketServer } from './ws/server.js';
import { clientAddress } from './net/client-address.js';
import { listen } from './net/listen.js';
import { MemoryApqCache, RedisApqCache } from './documents/apq-store.js';
import type { ApqCache } from './documents/apq-store.js';
import { persistedDocumentsHttp } from './documents/http.js';
import { terminalGetCaching } from './documents/http-cache.js';
import { responseCache } from './documents/response-cache.js';
import { PersistedDocuments } from './documents/persisted.js';
import { PinnedDocumentStore } from './documents/pinned-store.js';
import { TrustedDocuments } from './documents/trusted.js';
import type { GatewayWebSocketServer, WebSocketDependencies } from './ws/server.js';
import { createSimulator } from './simulator/index.js';
import type { Simulator } from './simulator/index.js';
import { createLoaders } from './loaders/index.js';
import { LocalCoordinator } from './subscriptions/coordinator.js';
import type { Coordinator } from './subscriptions/coordinator.js';
import { RedisCoordinator } from './subscriptions/redis-coordinator.js';
import { Multiplexer } from './subscriptions/multiplexer.js';
import { graphqlOperationSpan, graphqlOperationSpanPlugin } from './telemetry/graphql-operation.js';

export interface GatewayServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`; the websocket URL is the same with ws:. */
  url: string;
  /** Where Prometheus scrapes: METRICS_PORT's own server, or `/metrics` beside `url` without one. */
  metricsUrl: string;
  /** The embedded simulator when `backend` is `simulator`, for tests and demos. */
  simulator: Simulator | undefined;
  logger: Logger;
  /**
   * Stops accepting, lets queries and mutations in flight finish and deliver (SHUTDOWN_TIMEOUT_MS),
   * completes subscriptions, closes websockets with 1001, frees everything.
   */
  close(): Promise<ShutdownReport>;
  /** Estimated bytes held by each transport's document cache (each bounded by DOCUMENT_CACHE_BYTES). */
  documentCacheBytes(): { http: number; websocket: number };
}

export interface ShutdownReport {
  /** Everything in flight finished before SHUTDOWN_TIMEOUT_MS. */
  drained: boolean;
  /** Mutations still running at the deadline, audited with outcome `unknown`. */
  abandoned: number;
}

export interface CreateServerOptions {
  /** Replaces the SDK-backed upstream (unit tests only; integration tests use the simulator). */
  api?: NetworkFirewallApi;
  logger?: Logger;
  /** Static credentials with `backend: 'aws'`, e.g. for a standalone simulator; else the SDK chain. */
  awsCredentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * The websocket adapter; `src/ws/` unless replaced. The subscription benchmark passes the stock
   * graphql-ws adapter here, to measure both on the same gateway in one run.
   */
  attachWebSocket?: (deps: WebSocketDependencies) => GatewayWebSocketServer;
}

/**
 * How long /readyz waits for Redis's PING before saying `down`: Redis answers in well under a
 * millisecond, and a probe's own timeout (Kubernetes: 1 s) must not be spent waiting for it.
 */
const REDIS_READY_DEADLINE_MS = 250;

/** Node's headersTimeout: a client has this long for its request line and headers. */
const HEADERS_TIMEOUT_MS = 10_000;

/** Where each call goes (region and account by firewall ARN), from NFW_REGIONS and NFW_ACCOUNTS_FILE. */
function createRouter(config: GatewayConfig): Router {
  return new Router({
    regions: config.regions,
    accounts: config.accountsFile ? loadAccountsFile(config.accountsFile) : [],
    defaultAccountId: config.defaultAccountId,
    defaultRegion: config.awsRegion,
  });
}

async function createUpstream(
  config: GatewayConfig,
  logger: Logger,
  credentials?: CreateServerOptions['awsCredentials'],
): Promise<{ api: NetworkFirewallApi; simulator: Simulator | undefined }> {
  const common = {
    maxAttempts: config.awsMaxAttempts,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    startTimeoutMs: config.awsStartTimeoutMs,
    connectTimeoutMs: config.awsConnectTimeoutMs,
    maxSockets: 50,
  };
  if (config.backend === 'simulator') {
    const simulator = await createSimulator({
      seed: config.simulator.seed,
      operationDelayMs: config.simulator.operationDelayMs,
      port: config.simulator.port,
      host: config.simulator.host,
      logger: (line) => logger.debug({ component: 'simulator' }, line),
    });
    // The real SDK client, over HTTP, signed like any AWS call: the simulator is only an endpoint.
    const api = new SdkNetworkFirewallApi({
      ...common,
      region: config.awsRegion,
      endpoint: simulator.url,
      // The simulator is also the STS that account roles are assumed through.
      stsEndpoint: simulator.url,
      credentials: { accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator' },
    });
    return { api, simulator };
  }
  const api = new SdkNetworkFirewallApi({
    ...common,
    region: config.awsRegion,
    endpoint: config.awsEndpoint,
    credentials,
  });
  return { api, simulator: undefined };
}

/** TRUSTED_DOCUMENTS_FILE, read and prepared before anything listens: a bad one stops the start. */
function createTrustedDocuments(
  config: GatewayConfig,
  schema: GraphQLSchema,
  logger: Logger,
): TrustedDocuments | undefined {
  const { mode, files, pollMs } = config.documents;
  if (mode === 'off' || files.length === 0) return undefined;
  try {
    const trusted = new TrustedDocuments({
      files,
      schema,
      maxQueryTokens: config.limits.maxQueryTokens,
      pollMs,
      logger,
    });
    logger.info({ mode, documents: trusted.size }, 'Trusted documents loaded');
    return trusted;
  } catch (error) {
    throw new ConfigError('TRUSTED_DOCUMENTS_FILE', (error as Error).message);
  }
}

/**
 * APQ registrations: in cluster mode in Redis, shared by every replica, else in this process;
 * bounded either way (entry size and TTL in Redis, DOCUMENT_CACHE_BYTES here).
 */
function createApqCache(config: GatewayConfig, coordinator: Coordinator, logger: Logger): ApqCache {
  if (coordinator instanceof RedisCoordinator) {
    return new RedisApqCache({
      redis: coordinator.client,
      prefix: config.redisPrefix,
      ttlSeconds: config.documents.apqTtlSeconds,
      // A registered text ran through the same body limit; MAX_QUERY_TOKENS keeps real ones far below.
      maxEntryChars: Math.min(config.bodyLimitBytes, 256 * 1024),
      logger,
    });
  }
  return new MemoryApqCache(config.documentCacheBytes);
}

async function createCoordinator(config: GatewayConfig, logger: Logger): Promise<Coordinator> {
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

/**
 * RATE_LIMIT_PER_MINUTE (requests and failed authentications) and UPSTREAM_CALLS_PER_MINUTE. In
 * cluster mode their counters live in Redis, on the coordinator's command connection, so N
 * replicas allow the limit once, not N times; while Redis is away each replica counts alone.
 */
function createLimiters(
  config: GatewayConfig,
  coordinator: Coordinator,
): { limiter: RateLimiter | undefined; budget: RateLimiter | undefined } {
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

export async function createServer(
  config: GatewayConfig,
  options: CreateServerOptions = {},
): Promise<GatewayServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // First: a bad keys file must stop the start before anything listens or holds resources.
  const authenticator = createAuthenticator(config.auth, logger);
  const schema = config.federation ? buildSubgraphSchema() : buildSchema();
  // So is a bad manifest: the documents are parsed and validated now, once.
  let trusted: TrustedDocuments | undefined;
  try {
    trusted = createTrustedDocuments(config, schema, logger);
  } catch (error) {
    authenticator.close();
    throw error;
  }
  const router = createRouter(config);
  const upstream = options.api
    ? { api: options.api, simulator: undefined }
    : await createUpstream(config, logger, options.awsCredentials);
  const { simulator } = upstream;
  // Gauges read these at scrape time, by which point all of them exist.
  const metrics: GatewayMetrics = new GatewayMetrics({
    openWebsockets: () => websockets.connections(),
    subscriptions: () => ({
      watchCount: subscriptions.watchCount,
      leaseCount: subscriptions.leaseCount,
      subscriberCount: websockets.operations(),
      executionCount: websockets.cohorts(),
    }),
    cacheEntries: () => cache.cacheSize,
    inflightReads: () => cache.inflightCount,
  });
  // One instance for queries and subscription polls alike, so that they share calls and cache.
  const cache: CachingNetworkFirewallApi = new CachingNetworkFirewallApi(
    // Below the cache: a start whose answer was lost is looked for with fresh reads from AWS.
    new ReconcilingNetworkFirewallApi(
      new ObservedNetworkFirewallApi(upstream.api, logger, metrics),
      {
        logger,
      },
    ),
    { ...config.cache, onLookup: metrics.onLookup },
  );
  const api: NetworkFirewallApi = cache;
  if (upstream.api instanceof SdkNetworkFirewallApi) upstream.api.onAttempts = metrics.onAttempts;
  const exposeDetails = config.nodeEnv === 'development';

  const coordinator = await createCoordinator(config, logger);
  const { limiter, budget } = createLimiters(config, coordinator);
  const subscriptions = new Multiplexer({
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

  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId);
  // A client trickling its headers or body holds a connection and a parser: it gets 408 instead.
  // Node checks these every connectionsCheckingInterval (30 s by default, too coarse for them).
  const httpServer = createHttpServer(
    {
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, config.httpRequestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, config.httpRequestTimeoutMs),
    },
    app,
  );
  const http = trackHttpDrain(httpServer);

  const format = (e: GraphQLFormattedError) => formatError(e, exposeDetails);
  // APQ is for everyone else: under enforce only the manifest names documents.
  const apqCache =
    config.documents.mode === 'enforce' ? undefined : createApqCache(config, coordinator, logger);
  const documents = new PersistedDocuments({
    mode: config.documents.mode,
    trusted,
    apq: apqCache,
    metrics,
  });
  const addressOf = clientAddress(config.trustProxy);
  const websockets = (options.attachWebSocket ?? attachWebSocketServer)({
    httpServer,
    schema,
    config,
    authenticator,
    contextFactory,
    format,
    logger,
    limiter,
    budget,
    clientAddress: addressOf,
    documents,
  });

  // Bounded by bytes, as the websocket cache is; 0 turns it off (every request parses).
  const documentStore =
    config.documentCacheBytes > 0 ? new BoundedDocumentStore(config.documentCacheBytes) : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    // Trusted documents in front: parsed and validated once, at load, never evicted.
    documentStore: trusted
      ? new PinnedDocumentStore(trusted, documentStore)
      : (documentStore ?? null),
    persistedQueries: apqCache ? { cache: apqCache, ttl: config.documents.apqTtlSeconds } : false,
    formatError: format,
    includeStacktraceInErrorResponses: exposeDetails,
    // graphql-js stops parsing past this many tokens, so a huge document costs little to refuse.
    parseOptions: documentParseOptions(config.limits),
    // main.ts owns SIGTERM/SIGINT: one orderly shutdown of websockets, pollers, leases and HTTP.
    // Apollo's own handler would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Introspection feeds the playground and client codegen; the schema holds no secrets.
    introspection: true,
    // HTTP is drained by close() below (src/lifecycle/http-drain.ts), together with websockets.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints in the schema: terminalGetCaching sets Cache-Control, and Apollo's plugin
      // (installed unless disabled) cost 6.8% of a cached read's CPU walking every field (issue 16).
      ApolloServerPluginCacheControlDisabled(),
      terminalGetCaching<GatewayContext>(config.cache.terminalTtlMs),
      requestMetricsPlugin<GatewayContext>(metrics, logger),
      graphqlOperationSpanPlugin<GatewayContext>(),
      // Variable depth, depth, cost and AWS call budget: the checks websockets make (src/admission).
      admissionPlugin<GatewayContext>(config.limits, budget),
      ...(documentStore ? [forgetRefusedDocuments<GatewayContext>(documentStore)] : []),
      reportedErrorsPlugin<GatewayContext>(format),
      ...subgraphPlugins<GatewayContext>(config.federation),
      // Last: it keeps an answer only once every other plugin has added its errors.
      responseCache<GatewayContext>({
        ...config.responseCache,
        // Off with the terminal cache (CACHE_MAX_ENTRIES=0): it is made of what that cache keeps.
        ttlMs: config.cache.maxEntries > 0 ? config.cache.terminalTtlMs : 0,
        registry: metrics.registry,
      }),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  let shuttingDown = false;
  // One authentication for /graphql and the credentials a /readyz probe may present.
  const authenticate = authenticateHttp({
    authenticator,
    limiter,
    logger,
    clientAddress: addressOf,
  });
  app.get(
    '/readyz',
    ...readiness({
      api,
      logger,
      redis: async () => {
        if (!config.redisUrl) return undefined;
        // Asked, not assumed from the connection's state: a stalled Redis stays connected.
        if (coordinator instanceof RedisCoordinator) {
          return (await coordinator.answers(REDIS_READY_DEADLINE_MS)) ? 'up' : 'down';
        }
        return coordinator.mode === 'shared' ? 'up' : 'down';
      },
      shuttingDown: () => shuttingDown,
      authenticate,
    }),
  );

  // With credentials required, /metrics moves off the public port (src/metrics/server.ts).
  if (config.metricsPort === undefined) {
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }

  // Before Apollo: browsers asking for text/html get the playground, all else falls through.
  mountPlayground(app, config, { logger });

  app.use(
    '/graphql',
    cors(config.corsOrigins === '*' ? {} : { origin: config.corsOrigins }),
    authenticate,
    express.json({ limit: config.bodyLimitBytes }),
    persistedDocumentsHttp({ resolve: documents.resolve, metrics, format }),
    graphqlOperationSpan,
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFactory(principalOf(res)),
    }),
  );
  app.use('/graphql', bodyErrors(config.bodyLimitBytes, logger));

  await listen(httpServer, {
    port: config.port,
    host: config.host,
    portSetting: 'PORT',
    hostSetting: 'HOST',
    backlog: config.httpBacklog,
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/graphql`;
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await startMetricsServer(metrics, config.host, config.metricsPort);
  const metricsUrl = metricsServer?.url ?? url.replace(/\/graphql$/, '/metrics');

  let closing: Promise<ShutdownReport> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
        const started = Date.now();
        const result = await run();
        logger.debug({ step: name, ms: Date.now() - started }, 'shutdown step done');
        return result;
      };
      shuttingDown = true;
      // A start sent to AWS must reach its caller: work in flight finishes and is delivered, on
      // HTTP and websockets alike, while nothing new is accepted. Work, not connections: a
      // mutation whose caller left still runs and is audited, and a client that sends nothing
      // more (a silent socket, a trickled body) is not waited for; dispose() and abort() cut it.
      const drained = await step('drain', () =>
        within(
          config.shutdownTimeoutMs,
          Promise.all([http.drain(), websockets.drain(), inFlight.idle()]),
        ),
      );
      let abandoned = 0;
      if (!drained) {
        // What still runs may have run at AWS: the audit trail says so before anything is cut.
        abandoned = inFlight.abandon('shutdown');
        logger.warn(
          { abandoned, shutdownTimeoutMs: config.shutdownTimeoutMs },
          'Shutdown deadline reached; closing what is still open',
        );
      }
      // Every socket left is closed with 1001 (Going Away), so clients reconnect elsewhere.
      await step('websockets', () => websockets.dispose());
      http.abort();
      authenticator.close();
      trusted?.close();
      await step('subscriptions', () => subscriptions.close());
      await step('coordinator', () => coordinator.close());
      await step('http', () => apollo.stop());
      await step('metrics', () => metricsServer?.close());
      api.destroy();
      await step('simulator', () => simulator?.close());
      return { drained, abandoned };
    })());

  const documentCacheBytes = () => ({
    http: documentStore?.bytes ?? 0,
    websocket: websockets.documentCacheBytes?.() ?? 0,
  });
  return { url, metricsUrl, simulator, logger, close, documentCacheBytes };
}
