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
import type { Logger } from '../logger.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { ClientAddress } from '../net/client-address.js';
import { CohortRegistry } from './cohorts.js';
import { Connection } from './connection.js';
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
  /** The client's address from the upgrade request (TRUST_PROXY). */
  clientAddress: ClientAddress;
  /** Subscription root fields whose events are whole states, replayed to late cohort joiners. */
  stateSubscriptions: ReadonlySet<string>;
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
  /** Closes every socket with 1001 (Going Away) and stops accepting. */
  dispose(): Promise<void>;
}

/**
 * The websocket endpoint: `graphql-transport-ws` on the HTTP server's `/graphql`, with the same
 * schema, context factory, limits and error formatting as HTTP, and authentication in
 * `connection_init`. Everything a socket needs besides its own state is shared here, once.
 */
export function attachWebSocketServer(deps: WebSocketDependencies): GatewayWebSocketServer {
  const { config, logger } = deps;
  const live = new Set<Connection>();
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
    cohorts,
    contextFactory: deps.contextFactory,
    format: deps.format,
    maxSubscriptions: config.wsMaxSubscriptions,
    limiter: deps.limiter,
    stateSubscriptions: deps.stateSubscriptions,
  };

  function onMessage(this: WebSocket, data: RawData): void {
    const connection = bySocket.get(this);
    if (!connection) return;
    // binaryType stays 'nodebuffer', so data is one Buffer; text and binary frames alike.
    connection.receive(String(data)).catch((error: unknown) => {
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
    connection.closed();
  }
  function onSocketError(this: WebSocket, error: Error): void {
    // ws closes the socket itself (1009 for an oversized frame, 1002 for a bad one).
    logger.debug({ err: error }, 'websocket error');
  }

  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const address = deps.clientAddress(request);
    const connection = new Connection(socket, address, services, config.wsInitTimeoutMs);
    bySocket.set(socket, connection);
    live.add(connection);
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    socket.on('error', onSocketError);
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
    documentCacheBytes: () => services.preparer.cachedBytes,
    async dispose() {
      stopKeepAlive();
      for (const connection of live) connection.close(1001, 'Going away');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await cohorts.close();
      auth.close();
    },
  };
}
