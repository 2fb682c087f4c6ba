import type { GraphQLFormattedError } from 'graphql';
import { createAuthenticator } from './auth/authenticator.js';
import type { Authenticator } from './auth/authenticator.js';
import { authenticateHttp } from './auth/http.js';
import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import { createApollo } from './compose/apollo.js';
import { redisReadiness } from './compose/coordination.js';
import { createCore } from './compose/core.js';
import type { GatewayCore } from './compose/core.js';
import { createApqCache, createTrustedDocuments } from './compose/documents.js';
import { createHttpApp, graphqlUrl } from './compose/http-server.js';
import { mountHttpRoutes } from './compose/http-routes.js';
import { orderedShutdown } from './compose/shutdown.js';
import type { ShutdownReport } from './compose/shutdown.js';
import { createRouter, createUpstream } from './compose/upstream.js';
import type { AwsCredentials } from './compose/upstream.js';
import type { GatewayConfig } from './config.js';
import { PersistedDocuments } from './documents/persisted.js';
import type { TrustedDocuments } from './documents/trusted.js';
import { formatError } from './errors.js';
import { trackHttpDrain } from './lifecycle/http-drain.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { startMetricsServer } from './metrics/server.js';
import { clientAddress } from './net/client-address.js';
import { listen } from './net/listen.js';
import { buildSchema } from './schema.js';
import { buildSubgraphSchema } from './federation/subgraph-schema.js';
import type { Simulator } from './simulator/index.js';
import { attachWebSocketServer } from './ws/server.js';
import type { GatewayWebSocketServer, WebSocketDependencies } from './ws/server.js';

export type { ShutdownReport } from './compose/shutdown.js';

export interface GatewayServer {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`; the websocket URL is the same with ws:. */
  url: string;
  /** Where Prometheus scrapes: METRICS_PORT's own server, or `/metrics` beside `url` without one. */
  metricsUrl: string;
  /** The embedded simulator when `backend` is `simulator`, for tests and demos. */
  simulator: Simulator | undefined;
  logger: Logger;
  /**
   * Re-reads the API keys file and the trusted-document manifests now (main.ts calls it on
   * SIGHUP); a file that fails to load keeps its previous contents.
   */
  reload(): void;
  /**
   * Stops accepting, lets queries and mutations in flight finish and deliver (SHUTDOWN_TIMEOUT_MS),
   * completes subscriptions, closes websockets with 1001, frees everything.
   */
  close(): Promise<ShutdownReport>;
  /** Estimated bytes held by each transport's document cache (each bounded by DOCUMENT_CACHE_BYTES). */
  documentCacheBytes(): { http: number; websocket: number };
}

export interface CreateServerOptions {
  /** Replaces the SDK-backed upstream (unit tests only; integration tests use the simulator). */
  api?: NetworkFirewallApi;
  logger?: Logger;
  /** Static credentials with `backend: 'aws'`, e.g. for a standalone simulator; else the SDK chain. */
  awsCredentials?: AwsCredentials;
  /**
   * The websocket adapter; `src/ws/` unless replaced. The subscription benchmark passes the stock
   * graphql-ws adapter here, to measure both on the same gateway in one run.
   */
  attachWebSocket?: (deps: WebSocketDependencies) => GatewayWebSocketServer;
}

/** The files that must be valid before anything listens or holds resources: a bad one stops the start. */
function loadFiles(config: GatewayConfig, logger: Logger) {
  const authenticator: Authenticator = createAuthenticator(config.auth, logger);
  const schema = config.federation ? buildSubgraphSchema() : buildSchema();
  // The trusted documents are parsed and validated now, once.
  try {
    const trusted: TrustedDocuments | undefined = createTrustedDocuments(config, schema, logger);
    return { authenticator, schema, trusted };
  } catch (error) {
    authenticator.close();
    throw error;
  }
}

type LoadedFiles = ReturnType<typeof loadFiles>;

/** HTTP (express + Apollo) and websockets on one Node server, not yet listening. */
async function createTransports(
  config: GatewayConfig,
  options: CreateServerOptions,
  files: LoadedFiles,
  core: GatewayCore,
  logger: Logger,
) {
  const { authenticator, schema, trusted } = files;
  const { metrics, api, coordinator, limiter, budget, contextFactory } = core;
  const format = (e: GraphQLFormattedError) => formatError(e, config.nodeEnv === 'development');
  const apqCache = createApqCache(config, coordinator, logger);
  const { mode } = config.documents;
  const documents = new PersistedDocuments({ mode, trusted, apq: apqCache, metrics });
  const { app, httpServer } = createHttpApp(config);
  const addressOf = clientAddress(config.trustProxy);
  const websockets = (options.attachWebSocket ?? attachWebSocketServer)({
    ...{ httpServer, schema, config, authenticator, contextFactory, format, logger },
    ...{ limiter, budget, documents },
    clientAddress: addressOf,
  });
  core.attach(websockets);
  const deps = { config, schema, logger, metrics, format, trusted, apqCache, budget };
  const { apollo, documentStore } = await createApollo(deps);
  let shuttingDown = false;
  mountHttpRoutes(app, {
    ...{ config, logger, api, metrics, apollo, documents, format, contextFactory },
    authenticate: authenticateHttp({ authenticator, limiter, logger, clientAddress: addressOf }),
    redis: redisReadiness(config, coordinator),
    shuttingDown: () => shuttingDown,
  });
  const stopAccepting = () => {
    shuttingDown = true;
  };
  return {
    httpServer,
    http: trackHttpDrain(httpServer),
    websockets,
    apollo,
    documentStore,
    stopAccepting,
  };
}

export async function createServer(
  config: GatewayConfig,
  options: CreateServerOptions = {},
): Promise<GatewayServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const files = loadFiles(config, logger);
  const { authenticator, trusted } = files;
  const router = createRouter(config);
  const upstream = options.api
    ? { api: options.api, simulator: undefined }
    : await createUpstream(config, logger, options.awsCredentials);
  const core = await createCore(config, upstream, router, logger);
  const transports = await createTransports(config, options, files, core, logger);
  const { httpServer, http, websockets, apollo, documentStore } = transports;
  const { host, port } = config;
  await listen(httpServer, {
    ...{ port, host, portSetting: 'PORT', hostSetting: 'HOST' },
    backlog: config.httpBacklog,
  });
  const url = graphqlUrl(config, httpServer);
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await startMetricsServer(core.metrics, config.host, config.metricsPort);
  const shutdown = orderedShutdown({
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    drain: () => Promise.all([http.drain(), websockets.drain(), core.inFlight.idle()]),
    abandon: () => core.inFlight.abandon('shutdown'),
    steps: [
      // Every socket left is closed with 1001 (Going Away), so clients reconnect elsewhere.
      ['websockets', () => websockets.dispose()],
      ['http-abort', () => http.abort()],
      ['files', () => [authenticator.close(), trusted?.close()]],
      ['subscriptions', () => core.subscriptions.close()],
      ['coordinator', () => core.coordinator.close()],
      ['http', () => apollo.stop()],
      ['metrics', () => metricsServer?.close()],
      ['aws', () => core.api.destroy()],
      ['simulator', () => upstream.simulator?.close()],
    ],
  });
  return {
    url,
    metricsUrl: metricsServer?.url ?? url.replace(/\/graphql$/, '/metrics'),
    simulator: upstream.simulator,
    logger,
    reload: () => {
      authenticator.reload();
      trusted?.reload();
    },
    close: () => {
      // /readyz says not ready from the first moment, so that balancers stop sending.
      transports.stopAccepting();
      return shutdown();
    },
    documentCacheBytes: () => ({
      http: documentStore?.bytes ?? 0,
      websocket: websockets.documentCacheBytes?.() ?? 0,
    }),
  };
}
