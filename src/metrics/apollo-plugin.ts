import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../logger.js';
import { requestContext } from '../observability/request-context.js';
import type { GatewayMetrics } from './registry.js';
import { clip } from '../observability/clip.js';

/**
 * Counts, times and logs every GraphQL operation served over HTTP. The outcome is `ok` or the code
 * of the first error, so a dashboard can tell callers' mistakes (BAD_USER_INPUT, NOT_FOUND) from
 * AWS trouble (THROTTLED, UPSTREAM_ERROR) without parsing messages.
 */
export function requestMetricsPlugin<C extends object>(
  metrics: GatewayMetrics,
  logger: Logger,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(rc) {
          const seconds = (performance.now() - started) / 1000;
          // A request that never resolved to an operation (parse or validation error) has no name.
          // Names are labelled per caller's allowance, so one caller's junk cannot evict others'.
          const operationName = metrics.operationLabel(
            rc.operation ? (rc.operationName ?? undefined) : undefined,
            requestContext.getStore()?.caller,
          );
          const operationType = rc.operation?.operation ?? 'unknown';
          const firstCode = rc.errors?.[0]?.extensions?.code;
          const outcome =
            rc.errors && rc.errors.length > 0
              ? typeof firstCode === 'string'
                ? firstCode
                : 'INTERNAL_SERVER_ERROR'
              : 'ok';
          metrics.graphqlRequests.inc({
            operation_name: operationName,
            operation_type: operationType,
            outcome,
          });
          metrics.graphqlDuration.observe(
            { operation_name: operationName, operation_type: operationType },
            seconds,
          );
          logger.info(
            {
              operationName: rc.operationName == null ? null : clip(rc.operationName),
              operationType,
              outcome,
              errors: rc.errors?.length ?? 0,
              durationMs: Math.round(seconds * 10_000) / 10,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
