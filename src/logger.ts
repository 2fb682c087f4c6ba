import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config.js';
import { currentRequestId } from './observability/request-context.js';

export type { Logger };

/**
 * Structured JSON lines on stdout (or `destination`): what log shippers and `jq` expect. Every line
 * written while serving a request carries its `requestId`, AWS call logs included.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'nfw-flow-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
