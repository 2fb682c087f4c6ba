import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { Express, RequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { principalOf } from '../auth/http.js';
import type { NetworkFirewallApi } from '../aws/network-firewall-api.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { Principal } from '../auth/principal.js';
import { persistedDocumentsHttp } from '../documents/http.js';
import { graphqlOperationSpan } from '../telemetry/graphql-operation.js';
import type { PersistedDocuments } from '../documents/persisted.js';
import { bodyErrors } from '../limits/http.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import { mountPlayground } from '../playground/index.js';
import { readiness } from '../readiness.js';

export interface HttpRouteDependencies {
  config: GatewayConfig;
  logger: Logger;
  api: NetworkFirewallApi;
  metrics: GatewayMetrics;
  apollo: ApolloServer<GatewayContext>;
  documents: PersistedDocuments;
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  contextFactory: (principal: Principal) => GatewayContext;
  /** One authentication for /graphql and the credentials a /readyz probe may present. */
  authenticate: RequestHandler;
  redis: () => Promise<'up' | 'down' | undefined>;
  shuttingDown: () => boolean;
}

/** /healthz, /readyz, /metrics (without METRICS_PORT), the playground and /graphql. */
export function mountHttpRoutes(app: Express, deps: HttpRouteDependencies): void {
  const { config, logger, metrics, authenticate } = deps;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    ...readiness({
      api: deps.api,
      logger,
      redis: deps.redis,
      shuttingDown: deps.shuttingDown,
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
    persistedDocumentsHttp({ resolve: deps.documents.resolve, metrics, format: deps.format }),
    graphqlOperationSpan,
    expressMiddleware(deps.apollo, {
      context: async ({ res }) => deps.contextFactory(principalOf(res)),
    }),
  );
  app.use('/graphql', bodyErrors(config.bodyLimitBytes, logger));
}
