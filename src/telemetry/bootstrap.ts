import { register } from 'node:module';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** What main.ts holds on to: flushing the spans still buffered is part of shutting down. */
export interface Telemetry {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { enabled: false, shutdown: async () => {} };

/**
 * Tracing is on when an OTLP endpoint is configured and OTEL_SDK_DISABLED is not `true`: the
 * standard variables, nothing of the gateway's own. Off, the SDK is never even imported, and the
 * @opentelemetry/api calls in the code run against its no-op tracer.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface StartOptions {
  /** Replaces the OTLP exporter the OTEL_* variables describe (the in-memory exporter of tests). */
  spanProcessors?: SpanProcessor[];
}

/**
 * Must run before the gateway's modules are imported: the instrumentations patch Node's HTTP
 * server, Express and the AWS SDK as they load. ESM imports are not seen by require hooks, so
 * import-in-the-middle's loader hook is registered first (OpenTelemetry's documented way).
 */
export async function startTelemetry(options: StartOptions = {}): Promise<Telemetry> {
  if (!options.spanProcessors && !tracingConfigured()) return OFF;
  // Only what an instrumentation patches and the gateway imports as ESM (Express; Node's HTTP is
  // also required by CommonJS dependencies, the AWS SDK is CommonJS): every other module loads
  // untouched, without a wrapper or its cost.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['express', 'http', 'https', 'node:http', 'node:https'] },
  });
  const { startSdk } = await import('./sdk.js');
  return startSdk(options.spanProcessors);
}
