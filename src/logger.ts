import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Structured JSON lines on stdout: what log shippers and `jq` expect. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'nfw-flow-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
