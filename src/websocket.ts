import type { Server as HttpServer } from 'node:http';
import type { GraphQLFormattedError, GraphQLSchema, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from './auth/authenticator.js';
import type { Principal } from './auth/principal.js';
import { websocketAuth } from './auth/websocket.js';
import type { SocketExtra } from './auth/websocket.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { UnauthenticatedError } from './errors.js';
import { complexityError, measureComplexity, tokenLimitError } from './limits/query-cost.js';
import type { Logger } from './logger.js';
import { DocumentCache } from './subscriptions/document-cache.js';
import { subscriptionLimit } from './subscriptions/limits.js';

export interface WebSocketDependencies {
  httpServer: HttpServer;
  schema: GraphQLSchema;
  config: GatewayConfig;
  authenticator: Authenticator;
  contextFactory: (principal: Principal) => GatewayContext;
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  logger: Logger;
}

export interface GatewayWebSocketServer {
  /** Open sockets, for the metrics gauge. */
  readonly connections: () => number;
  /** Closes every socket with 1001 (Going Away) and stops accepting. */
  dispose(): Promise<void>;
}

/**
 * The graphql-ws adapter: the `graphql-transport-ws` protocol on the HTTP server's `/graphql`,
 * with the same schema, context factory and error formatting as HTTP, authentication in
 * `connection_init`, and the per-socket and per-operation limits applied before execution.
 */
export function attachWebSocketServer(deps: WebSocketDependencies): GatewayWebSocketServer {
  const { config, schema, format } = deps;
  const documents = new DocumentCache();
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    // Subscribe messages are small; a large frame is a mistake or an attack, refused by ws itself.
    maxPayload: config.wsMaxPayloadBytes,
  });
  const auth = websocketAuth(deps.authenticator, deps.logger);
  const cleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: auth.onConnect,
      onClose: auth.onClose,
      context: (ctx): GatewayContext => {
        // onConnect acknowledges only with a principal; without one, fail closed.
        if (!ctx.extra.principal) throw new UnauthenticatedError();
        return deps.contextFactory(ctx.extra.principal);
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => format(e.toJSON())) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON())),
      onSubscribe: (ctx, _id, payload) => {
        const limited = subscriptionLimit(ctx, config.wsMaxSubscriptions);
        if (limited) return limited;
        const tooLong = tokenLimitError(payload.query, config.limits.maxQueryTokens);
        if (tooLong) return [tooLong];
        let document;
        try {
          document = documents.parse(payload.query);
        } catch {
          return undefined; // graphql-ws reports the syntax error itself.
        }
        const complex = complexityError(
          measureComplexity(schema, document, payload.operationName, payload.variables),
          config.limits,
        );
        return complex ? [complex] : undefined;
      },
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      // Bots subscribe with the same few documents: parse and validate each text once.
      parse: documents.parse as typeof parse,
      validate: documents.validate as typeof validate,
    },
    wsServer,
    config.wsKeepAliveMs,
  );
  return {
    connections: () => wsServer.clients.size,
    async dispose() {
      await cleanup.dispose();
      auth.close();
    },
  };
}
