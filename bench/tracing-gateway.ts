/**
 * One gateway of the tracing benchmark (bench/tracing.ts), in a process of its own: tracing is
 * process-wide (the SDK patches modules as they load), so "off" and "on" cannot share one.
 * `node --import tsx bench/tracing-gateway.ts <simulator url> off|on|sampled`; prints its URL.
 */
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '../src/telemetry/bootstrap.js';

const [simulatorUrl, mode] = process.argv.slice(2);
if (!simulatorUrl || (mode !== 'off' && mode !== 'on' && mode !== 'sampled')) {
  throw new Error('usage: tracing-gateway.ts <simulator url> off|on|sampled');
}
// What docs/operations.md advises under load: one trace in ten recorded, read by the SDK itself.
if (mode === 'sampled') {
  process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
  process.env.OTEL_TRACES_SAMPLER_ARG = '0.1';
}

// Every span is recorded, batched and handed to an exporter, which drops it: the cost of tracing
// in the gateway's process without a collector's network and serialization in the figure.
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
const telemetry =
  mode !== 'off'
    ? await startTelemetry({ spanProcessors: [new BatchSpanProcessor(discard)] })
    : undefined;
const { CREDENTIALS, gatewayConfig } = await import('./harness.js');
const { createServer } = await import('../src/server.js');
const { createLogger } = await import('../src/logger.js');

const server = await createServer(gatewayConfig(simulatorUrl, {}), {
  logger: createLogger('silent'),
  awsCredentials: CREDENTIALS,
});
console.log(JSON.stringify({ url: server.url, tracing: telemetry?.enabled ?? false }));
process.on('SIGTERM', () => {
  void server
    .close()
    .then(() => telemetry?.shutdown())
    .finally(() => process.exit(0));
});
