import type { GraphQLSchema } from 'graphql';
import { ConfigError } from '../config.js';
import type { GatewayConfig } from '../config.js';
import { MemoryApqCache, RedisApqCache } from '../documents/apq-store.js';
import type { ApqCache } from '../documents/apq-store.js';
import { TrustedDocuments } from '../documents/trusted.js';
import type { Logger } from '../logger.js';
import type { Coordinator } from '../subscriptions/coordinator.js';
import { RedisCoordinator } from '../subscriptions/redis-coordinator.js';

/** TRUSTED_DOCUMENTS_FILE, read and prepared before anything listens: a bad one stops the start. */
export function createTrustedDocuments(
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
 * bounded either way (entry size and TTL in Redis, DOCUMENT_CACHE_BYTES here). None under
 * `enforce`: APQ is for everyone else, and there only the manifest names documents.
 */
export function createApqCache(
  config: GatewayConfig,
  coordinator: Coordinator,
  logger: Logger,
): ApqCache | undefined {
  if (config.documents.mode === 'enforce') return undefined;
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
