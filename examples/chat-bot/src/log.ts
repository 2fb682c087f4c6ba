export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** JSON lines on stdout, like the gateway's own logs, so one log pipeline reads both. */
export const consoleLogger: Logger = {
  info: (msg, fields) => write('info', msg, fields),
  warn: (msg, fields) => write('warn', msg, fields),
  error: (msg, fields) => write('error', msg, fields),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function write(level: string, msg: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
}

/** A readable description of whatever a socket, fetch or GraphQL call failed with. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  if (Array.isArray(error)) {
    return error.map((e) => (e as { message?: string }).message ?? String(e)).join('; ');
  }
  if (error && typeof error === 'object') {
    const { code, reason, message, error: inner } = error as Record<string, unknown>;
    if (typeof code === 'number')
      return `socket closed ${code}${typeof reason === 'string' && reason ? ` ${reason}` : ''}`;
    if (inner instanceof Error) return describeError(inner);
    if (typeof message === 'string') return message;
  }
  return String(error);
}
