import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { awsAttemptHooks } from './aws-attempts.js';
import type { Telemetry } from './bootstrap.js';

const SERVICE_NAME = 'nfw-flow-gateway';
const ATTRIBUTE_VALUE_LIMIT = 1024;

/**
 * The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by
 * default, http/json, grpc), OTEL_TRACES_SAMPLER(_ARG), OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
 * and W3C trace context propagation itself. Only traces: metrics stay with Prometheus (/metrics)
 * and logs with pino, which stamps trace_id and span_id on each line.
 */
export function startSdk(spanProcessors: SpanProcessor[] | undefined): Telemetry {
  const sdk = new NodeSDK({
    ...(process.env.OTEL_SERVICE_NAME ? {} : { serviceName: SERVICE_NAME }),
    ...(spanProcessors ? { spanProcessors } : {}),
    // Left to itself the SDK would also export metrics and logs over OTLP by default.
    metricReaders: [],
    logRecordProcessors: [],
    // Caller text in attributes (a user agent, an operation name) is clipped, unless set otherwise.
    ...(process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT ||
    process.env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT
      ? {}
      : { spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT } }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (req) => {
          // SigV4-signed: the embedded simulator's side of an AWS call, already its client span.
          if (req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) return true;
          const path = req.url?.split('?', 1)[0];
          return path === '/healthz' || path === '/readyz' || path === '/metrics';
        },
        // A GET /graphql carries the caller's document and variables in its query string.
        redactedQueryParamsServer: ['query', 'variables', 'extensions'],
      }),
      // Route names for the HTTP span; a span per middleware (cors, body parser, authentication)
      // would be noise, and would stand between the operation span and what runs under it.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
      }),
      // suppressInternalInstrumentation: the SDK's own HTTP request is not a second span.
      new AwsInstrumentation({ suppressInternalInstrumentation: true, ...awsAttemptHooks }),
    ],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
