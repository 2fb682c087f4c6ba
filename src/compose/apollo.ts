import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { admissionPlugin } from '../admission/apollo.js';
import { documentParseOptions } from '../admission/parse.js';
import type { ApqCache } from '../documents/apq-store.js';
import { terminalGetCaching } from '../documents/http-cache.js';
import { responseCache } from '../documents/response-cache.js';
import { PinnedDocumentStore } from '../documents/pinned-store.js';
import type { TrustedDocuments } from '../documents/trusted.js';
import { BoundedDocumentStore, forgetRefusedDocuments } from '../limits/document-store.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { Logger } from '../logger.js';
import { requestMetricsPlugin } from '../metrics/apollo-plugin.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import { reportedErrorsPlugin } from '../reported-errors.js';
import { subgraphPlugins } from '../federation/plugins.js';
import { graphqlOperationSpanPlugin } from '../telemetry/graphql-operation.js';

export interface ApolloDependencies {
  config: GatewayConfig;
  schema: GraphQLSchema;
  logger: Logger;
  metrics: GatewayMetrics;
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  trusted: TrustedDocuments | undefined;
  apqCache: ApqCache | undefined;
  budget: RateLimiter | undefined;
}

export interface GatewayApollo {
  apollo: ApolloServer<GatewayContext>;
  /** The HTTP document cache, bounded by bytes as the websocket one is; none with 0 bytes. */
  documentStore: BoundedDocumentStore | undefined;
}

/** Apollo Server for /graphql over HTTP, started: its document caches, limits and plugins. */
export async function createApollo(deps: ApolloDependencies): Promise<GatewayApollo> {
  const { config, format, trusted, apqCache, budget } = deps;
  const exposeDetails = config.nodeEnv === 'development';
  // Bounded by bytes, as the websocket cache is; 0 turns it off (every request parses).
  const documentStore =
    config.documentCacheBytes > 0 ? new BoundedDocumentStore(config.documentCacheBytes) : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    schema: deps.schema,
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
    // HTTP is drained by the gateway's close() (src/lifecycle/http-drain.ts), with websockets.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints in the schema: terminalGetCaching sets Cache-Control, and Apollo's plugin
      // (installed unless disabled) cost 6.8% of a cached read's CPU walking every field (issue 16).
      ApolloServerPluginCacheControlDisabled(),
      terminalGetCaching<GatewayContext>(config.cache.terminalTtlMs),
      requestMetricsPlugin<GatewayContext>(deps.metrics, deps.logger),
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
        registry: deps.metrics.registry,
      }),
    ],
  });
  await apollo.start();
  return { apollo, documentStore };
}
