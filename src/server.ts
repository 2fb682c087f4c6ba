import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { auditLogger } from './auth/audit.js';
import { createAuthenticator } from './auth/authenticator.js';
import { authenticateHttp, principalOf } from './auth/http.js';
import { bodyErrors } from './limits/http.js';
import { complexityPlugin } from './limits/query-cost.js';
import { RateLimiter } from './limits/rate-limit.js';
import { CachingNetworkFirewallApi } from './aws/caching-api.js';
import { SdkNetworkFirewallApi } from './aws/network-firewall-api.js';
import { loadAccountsFile } from './aws/accounts.js';
import { Router } from './aws/routing.js';
import { ObservedNetworkFirewallApi } from './aws/observed-api.js';
import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import type { GatewayConfig } from './config.js';
import { createContextFactory } from './context.js';
import type { GatewayContext } from './context.js';
import { CursorCodec } from './cursor.js';
import { formatError } from './errors.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { requestMetricsPlugin } from './metrics/apollo-plugin.js';
import { GatewayMetrics } from './metrics/registry.js';
import { assignRequestId } from './observability/request-context.js';
import { mountPlayground } from './playground/index.js';
import { readiness } from './readiness.js';
import { reportedErrorsPlugin } from './reported-errors.js';
import { buildSchema } from './schema.js';
import { attachWebSocketServer } from './ws/server.js';
import { clientAddress } from './net/client-address.js';
import type { GatewayWebSocketServer, WebSocketDependencies } from './ws/server.js';
import { STATE_SUBSCRIPTIONS } from './resolvers/Subscription.js';
import { createSimulator } from './simulator/index.js';
import type { Simulator } from './simulator/index.js';
import { createLoaders } from './loaders/index.js';
import { LocalCoordinator } from './subscriptions/coordinator.js';
import type { Coordinator } from './subscriptions/coordinator.js';
import { RedisCoordinator } from './subscriptions/redis-coordinator.js';
import { Multiplexer } from './subscriptions/multiplexer.js';

export interface GatewayServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`; the websocket URL is the same with ws:. */
  url: string;
  /** The embedded simulator when `backend` is `simulator`, for tests and demos. */
  simulator: Simulator | undefined;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish, closes websockets with 1001, frees everything. */
  close(): Promise<void>;
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
  router: Router,
  logger: Logger,
  credentials?: CreateServerOptions['awsCredentials'],
): Promise<{ api: NetworkFirewallApi; simulator: Simulator | undefined }> {
  const common = {
    maxAttempts: config.awsMaxAttempts,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    connectTimeoutMs: config.awsConnectTimeoutMs,
    maxSockets: 50,
    router,
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

export async function createServer(
  config: GatewayConfig,
  options: CreateServerOptions = {},
): Promise<GatewayServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // First: a bad keys file must stop the start before anything listens or holds resources.
  const authenticator = createAuthenticator(config.auth, logger);
  const limiter =
    config.limits.rateLimitPerMinute > 0
      ? new RateLimiter(config.limits.rateLimitPerMinute)
      : undefined;
  const router = createRouter(config);
  const upstream = options.api
    ? { api: options.api, simulator: undefined }
    : await createUpstream(config, router, logger, options.awsCredentials);
  const { simulator } = upstream;
  // Gauges read these at scrape time, by which point all of them exist.
  const metrics: GatewayMetrics = new GatewayMetrics({
    openWebsockets: () => websockets.connections(),
    subscriptions: () => ({
      watchCount: subscriptions.watchCount,
      subscriberCount: websockets.operations(),
      executionCount: websockets.cohorts(),
    }),
    cacheEntries: () => cache.cacheSize,
    inflightReads: () => cache.inflightCount,
  });
  // One instance for queries and subscription polls alike, so that they share calls and cache.
  const cache: CachingNetworkFirewallApi = new CachingNetworkFirewallApi(
    new ObservedNetworkFirewallApi(upstream.api, logger, metrics),
    { ...config.cache, onLookup: metrics.onLookup },
  );
  const api: NetworkFirewallApi = cache;
  if (upstream.api instanceof SdkNetworkFirewallApi) upstream.api.onAttempts = metrics.onAttempts;
  const exposeDetails = config.nodeEnv === 'development';

  const schema = buildSchema();
  const coordinator = await createCoordinator(config, logger);
  const subscriptions = new Multiplexer({
    intervalMs: config.pollIntervalMs,
    maxFailures: config.pollMaxFailures,
    createLoaders: () => createLoaders(api, config.awsMaxConcurrency, metrics.onBatch),
    coordinator,
    onPollLag: metrics.onPollLag,
  });
  const contextFactory = createContextFactory({
    api,
    subscriptions,
    config,
    cursors: new CursorCodec(config.cursorSecret),
    router,
    audit: auditLogger(logger),
    onBatch: metrics.onBatch,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId);
  const httpServer = createHttpServer(app);

  const format = (e: GraphQLFormattedError) => formatError(e, exposeDetails);
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
    clientAddress: addressOf,
    stateSubscriptions: STATE_SUBSCRIPTIONS,
  });

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError: format,
    includeStacktraceInErrorResponses: exposeDetails,
    // graphql-js stops parsing past this many tokens, so a huge document costs little to refuse.
    parseOptions: { maxTokens: config.limits.maxQueryTokens },
    // main.ts owns SIGTERM/SIGINT: one orderly shutdown of websockets, pollers, leases and HTTP.
    // Apollo's own handler would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Introspection feeds the playground and client codegen; the schema holds no secrets.
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestMetricsPlugin<GatewayContext>(metrics, logger),
      complexityPlugin<GatewayContext>(config.limits),
      reportedErrorsPlugin<GatewayContext>(format),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get(
    '/readyz',
    ...readiness({
      api,
      logger,
      redis: () => (config.redisUrl ? (coordinator.mode === 'shared' ? 'up' : 'down') : undefined),
      authenticate: authenticateHttp({ authenticator, limiter, logger, clientAddress: addressOf }),
    }),
  );

  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });

  // Before Apollo: browsers asking for text/html get the playground, all else falls through.
  mountPlayground(app, config, { logger });

  app.use(
    '/graphql',
    cors(config.corsOrigins === '*' ? {} : { origin: config.corsOrigins }),
    authenticateHttp({ authenticator, limiter, logger, clientAddress: addressOf }),
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, { context: async ({ res }) => contextFactory(principalOf(res)) }),
  );
  app.use('/graphql', bodyErrors(config.bodyLimitBytes, logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/graphql`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Every socket is closed with 1001 (Going Away), so clients know to reconnect elsewhere.
      const step = async (name: string, run: () => unknown) => {
        const started = Date.now();
        await run();
        logger.debug({ step: name, ms: Date.now() - started }, 'shutdown step done');
      };
      await step('websockets', () => websockets.dispose());
      authenticator.close();
      limiter?.close();
      await step('subscriptions', () => subscriptions.close());
      await step('coordinator', () => coordinator.close());
      await step('http', () => apollo.stop());
      api.destroy();
      await step('simulator', () => simulator?.close());
    })());

  return { url, simulator, logger, close };
}
