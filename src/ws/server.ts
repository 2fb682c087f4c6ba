import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { CloseCode, handleProtocols } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { WebSocketAuth } from '../auth/websocket.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { PersistedDocuments } from '../documents/persisted.js';
import type { Logger } from '../logger.js';
import { Ceiling } from '../limits/ceiling.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { ClientAddress } from '../net/client-address.js';
import { within } from '../lifecycle/within.js';
import { CohortRegistry } from './cohorts.js';
import { CLOSE_GOING_AWAY, Connection } from './connection.js';
import { readFdLimit } from '../net/fd-limit.js';
import { connectionLimit, retryAdvice } from './connection-limit.js';
import { startKeepAlive } from './keep-alive.js';
import { OperationPreparer } from './operation.js';

export interface WebSocketDependencies {
  httpServer: HttpServer;
  schema: GraphQLSchema;
  config: GatewayConfig;
  authenticator: Authenticator;
  contextFactory: (principal: Principal) => GatewayContext;
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  logger: Logger;
  /** RATE_LIMIT_PER_MINUTE's buckets, shared with HTTP; undefined when off. */
  limiter: RateLimiter | undefined;
  /** UPSTREAM_CALLS_PER_MINUTE's budgets, shared with HTTP; undefined when off. */
  budget?: RateLimiter | undefined;
  /** The client's address from the upgrade request (TRUST_PROXY). */
  clientAddress: ClientAddress;
  /** Trusted documents and APQ, shared with HTTP. */
  documents?: PersistedDocuments | undefined;
}

export interface GatewayWebSocketServer {
  /** Open sockets, for the metrics gauge. */
  connections(): number;
  /** Client operations (mostly subscriptions) open on all sockets, for the metrics gauge. */
  operations(): number;
  /** Shared subscription executions, for the metrics gauge. */
  cohorts(): number;
  /** Bytes held by the websocket document cache (DOCUMENT_CACHE_BYTES); absent on other adapters. */
  documentCacheBytes?(): number;
  /**
   * Shutdown: stops accepting sockets and `subscribe` messages, completes every subscription, and
   * closes each socket with 1001 once the queries and mutations it runs have delivered their
   * results. Resolves when no socket runs anything: a peer that never answers the close frame
   * holds no work, and dispose() cuts it after a short linger.
   */
  drain(): Promise<void>;
  /** Closes every socket with 1001 (Going Away) at once and stops accepting. */
  dispose(): Promise<void>;
}

/** RFC 6455's Try Again Later: the client may come back, not now and not with more sockets. */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** How long dispose() waits for peers to answer its close frames before dropping their sockets. */
const CLOSE_LINGER_MS = 1000;

/**
 * The websocket endpoint: `graphql-transport-ws` on the HTTP server's `/graphql`, with the same
 * schema, context factory, limits and error formatting as HTTP, and authentication in
 * `connection_init`. Everything a socket needs besides its own state is shared here, once.
 */
export function attachWebSocketServer(deps: WebSocketDependencies): GatewayWebSocketServer {
  const { config, logger } = deps;
  const live = new Set<Connection>();
  // WS_MAX_CONNECTIONS, or what the fd limit leaves: refused with 1013 before accept() and AWS
  // sockets fail with EMFILE, which takes /healthz, /metrics and polls down with them.
  const fdLimit = readFdLimit();
  const limit = connectionLimit(config.wsMaxConnections, fdLimit);
  logger.info(
    { maxConnections: limit.max, from: limit.from, fdLimit: fdLimit?.soft },
    'websocket connection limit',
  );
  if (limit.warning) logger.warn({ fdLimit: fdLimit?.soft, safe: limit.safe }, limit.warning);
  // WS_MAX_CONNECTIONS_PER_ADDRESS: sockets held by each client address, handshaken or not.
  const perAddress = new Ceiling(config.wsMaxConnectionsPerAddress);
  // Who waits for the last socket to close (drain, then perhaps dispose).
  const emptied: (() => void)[] = [];
  const allClosed = () =>
    live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => emptied.push(resolve));
  // Who waits for the last operation to end (drain).
  let idled: (() => void)[] = [];
  const busy = () => {
    for (const connection of live) if (connection.operationCount > 0) return true;
    return false;
  };
  // Called whenever an operation ends: a scan of every socket only while a drain waits for it.
  const wakeIfIdle = () => {
    if (idled.length === 0 || busy()) return;
    const waiting = idled;
    idled = [];
    for (const resolve of waiting) resolve();
  };
  const allIdle = () =>
    busy() ? new Promise<void>((resolve) => idled.push(resolve)) : Promise.resolve();
  // ws calls listeners with the socket as `this`: one function per server serves every socket,
  // where closures would cost an allocation per socket and listener.
  const bySocket = new WeakMap<WebSocket, Connection>();

  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    // Subscribe messages are small; a large frame is a mistake or an attack, refused by ws itself.
    maxPayload: config.wsMaxPayloadBytes,
    handleProtocols,
    clientTracking: false,
  });
  const auth = new WebSocketAuth(deps.authenticator, logger, () => live, deps.limiter);
  const cohorts = new CohortRegistry(deps.format);
  const services = {
    schema: deps.schema,
    auth,
    preparer: new OperationPreparer(deps.schema, config.limits, config.documentCacheBytes),
    documents: deps.documents,
    cohorts,
    contextFactory: deps.contextFactory,
    format: deps.format,
    maxSubscriptions: config.wsMaxSubscriptions,
    limiter: deps.limiter,
    budget: deps.budget,
    perCaller: new Ceiling(config.maxSubscriptionsPerCaller),
    draining: false,
    idle: wakeIfIdle,
  };

  function onMessage(this: WebSocket, data: RawData): void {
    const connection = bySocket.get(this);
    if (!connection) return;
    // binaryType stays 'nodebuffer', so data is one Buffer; text and binary frames alike.
    connection.receive((data as Buffer).toString('utf8')).catch((error: unknown) => {
      logger.error({ err: error }, 'websocket message handling failed');
      connection.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }
  function onPong(this: WebSocket): void {
    const connection = bySocket.get(this);
    if (connection) connection.alive = true;
  }
  function onClose(this: WebSocket): void {
    const connection = bySocket.get(this);
    if (!connection) return;
    bySocket.delete(this);
    live.delete(connection);
    perAddress.release(connection.address);
    connection.closed();
    if (live.size === 0) for (const resolve of emptied.splice(0)) resolve();
    if (services.draining) wakeIfIdle();
  }
  function onSocketError(this: WebSocket, error: Error): void {
    // ws closes the socket itself (1009 for an oversized frame, 1002 for a bad one).
    logger.debug({ err: error }, 'websocket error');
  }

  // A refused socket is closed with 1013 and cut after CLOSE_LINGER_MS: ws would otherwise wait
  // 30 s for a peer that never answers the close frame, holding its fd all that time.
  let refusing = 0;
  function refuse(socket: WebSocket, why: string): void {
    refusing++;
    const cut = setTimeout(() => socket.terminate(), CLOSE_LINGER_MS);
    cut.unref();
    socket.once('close', () => {
      refusing--;
      clearTimeout(cut);
    });
    socket.close(CLOSE_TRY_AGAIN_LATER, retryAdvice(why));
  }

  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const address = deps.clientAddress(request);
    socket.on('error', onSocketError);
    // Sockets being refused hold an fd until closed too, so they count against the limit.
    if (live.size + refusing >= limit.max) {
      logger.debug({ client: address, max: limit.max }, 'websocket refused: connection limit');
      refuse(socket, 'Server at its connection limit');
      return;
    }
    if (!perAddress.take(address)) {
      // Refused before it holds anything: a socket that never sends connection_init still costs.
      logger.debug({ client: address }, 'websocket refused: too many connections from the address');
      refuse(socket, 'Too many connections from this address');
      return;
    }
    const connection = new Connection(socket, address, services, config.wsInitTimeoutMs);
    bySocket.set(socket, connection);
    live.add(connection);
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    socket.once('close', onClose);
  });
  wsServer.on('error', (error) => logger.error({ err: error }, 'websocket server error'));
  const stopKeepAlive = startKeepAlive(() => live, config.wsKeepAliveMs);

  return {
    connections: () => live.size,
    operations() {
      let n = 0;
      for (const connection of live) n += connection.operationCount;
      return n;
    },
    cohorts: () => cohorts.size,
    async drain() {
      services.draining = true;
      // ws answers no upgrade once closed; sockets already open are left to the steps below.
      const stopped = new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await cohorts.drain();
      for (const connection of live) connection.drain();
      await stopped;
      await allIdle();
    },
    documentCacheBytes: () => services.preparer.cachedBytes,
    async dispose() {
      services.draining = true;
      stopKeepAlive();
      for (const connection of live) connection.close(CLOSE_GOING_AWAY, 'Going away');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await cohorts.close();
      auth.close();
      // The close frames go out before the process may exit; a peer that does not answer is cut.
      await within(CLOSE_LINGER_MS, allClosed());
      for (const connection of live) connection.socket.terminate();
    },
  };
}
