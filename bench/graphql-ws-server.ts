import type { GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../src/auth/principal.js';
import { credentialFromConnectionParams } from '../src/auth/credentials.js';
import type { GatewayWebSocketServer, WebSocketDependencies } from '../src/ws/server.js';

/**
 * The baseline of bench:subscriptions: the stock graphql-ws adapter (`useServer`) as its
 * documentation sets it up, on the same schema, context factory and authenticator as the gateway.
 * Every subscription is its own execution with its own parse and validation; every socket has its
 * own keep-alive timer.
 */
export function attachGraphqlWsServer(deps: WebSocketDependencies): GatewayWebSocketServer {
  const wsServer = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    maxPayload: deps.config.wsMaxPayloadBytes,
  });
  let operations = 0;
  const format = (e: GraphQLFormattedError) => deps.format(e);
  const cleanup = useServer<Record<string, unknown>, { principal?: Principal }>(
    {
      schema: deps.schema,
      onConnect: async (ctx) => {
        ctx.extra.principal = await deps.authenticator.authenticate(
          credentialFromConnectionParams(ctx.connectionParams),
        );
        return true;
      },
      context: (ctx) => deps.contextFactory(ctx.extra.principal!),
      onSubscribe: () => void operations++,
      onComplete: () => void operations--,
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => format(e.toJSON())) }
          : undefined,
      connectionInitWaitTimeout: deps.config.wsInitTimeoutMs,
    },
    wsServer,
    deps.config.wsKeepAliveMs,
  );
  return {
    connections: () => wsServer.clients.size,
    operations: () => operations,
    cohorts: () => operations,
    // The stock adapter cannot let operations finish: it closes every socket at once.
    async drain() {
      await cleanup.dispose();
    },
    async dispose() {
      await cleanup.dispose();
    },
  };
}
