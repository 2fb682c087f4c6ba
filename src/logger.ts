import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config.js';
import { limitLineLength } from './observability/line-limit.js';
import { currentRequestId } from './observability/request-context.js';
import { traceLogFields } from './telemetry/log-fields.js';

export type { Logger };

/**
 * Structured JSON lines on stdout (or `destination`): what log shippers and `jq` expect. Every line
 * written while serving a request carries its `requestId`, AWS call logs included. No line exceeds
 * 8 KB (src/observability/line-limit.ts), whatever a caller managed to get into it. With tracing
 * on, a line written inside a span carries its `trace_id` and `span_id`.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'nfw-flow-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      const trace = traceLogFields();
      return requestId === undefined ? trace : { requestId, ...trace };
    },
  };
  // pino.destination(1) is what pino writes to by default (stdout, flushed on exit).
  return pino(options, limitLineLength(destination ?? pino.destination(1)));
}
