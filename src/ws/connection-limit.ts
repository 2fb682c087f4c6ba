import type { FdLimit } from '../net/fd-limit.js';

/** Websockets a process holds when its fd limit is unknown (no /proc) and none is configured. */
const UNKNOWN_FD_DEFAULT = 10_000;

/**
 * File descriptors kept free of websockets: AWS sockets (AWS_MAX_CONCURRENCY per client), Redis,
 * HTTP requests (/healthz, /metrics, queries), log and config files. At 20,000 websockets on a
 * 20,000 limit, /healthz, /metrics and AWS polls failed (issue 16); 5% of the limit, at least 256,
 * leaves them room.
 */
export function fdReserve(soft: number): number {
  return Math.max(256, Math.ceil(soft * 0.05));
}

export interface ConnectionLimit {
  /** Open websockets beyond which a new one is closed with 1013. */
  max: number;
  /** What `max` came from, for the start-up log. */
  from: 'WS_MAX_CONNECTIONS' | 'fd limit' | 'default';
  /** The fd limit minus its reserve, when known. */
  safe: number | undefined;
  /** Set when WS_MAX_CONNECTIONS exceeds what the fd limit leaves for websockets. */
  warning?: string;
}

/**
 * WS_MAX_CONNECTIONS, or else what the fd soft limit leaves after its reserve. A configured value
 * beyond that is kept (the operator may raise the limit later, or run beside nothing else) but
 * warned about: past it, accept() and every outgoing socket fail with EMFILE, health checks too.
 */
export function connectionLimit(
  configured: number | undefined,
  fd: FdLimit | undefined,
): ConnectionLimit {
  const safe =
    fd && Number.isFinite(fd.soft) ? Math.max(1, fd.soft - fdReserve(fd.soft)) : undefined;
  if (configured !== undefined) {
    const limit: ConnectionLimit = { max: configured, from: 'WS_MAX_CONNECTIONS', safe };
    if (safe !== undefined && configured > safe) {
      limit.warning =
        `WS_MAX_CONNECTIONS=${configured} exceeds the ${safe} websockets the open-file limit ` +
        `(${fd?.soft}, less ${fdReserve(fd?.soft ?? 0)} kept for AWS, Redis and HTTP) allows: raise ` +
        `the limit (LimitNOFILE, ulimit -n) or lower WS_MAX_CONNECTIONS (docs/operations.md)`;
    }
    return limit;
  }
  if (safe !== undefined) return { max: safe, from: 'fd limit', safe };
  return { max: UNKNOWN_FD_DEFAULT, from: 'default', safe };
}

/**
 * The close reason of a refused socket: when to come back, jittered over 1-10 s so that clients
 * refused together (a replica's clients reconnecting after it died) do not return together.
 * RFC 6455 close reasons are at most 123 bytes; this stays well under.
 */
export function retryAdvice(why: string, random: () => number = Math.random): string {
  const seconds = 1 + Math.floor(random() * 90) / 10;
  return `${why}; retry in ${seconds.toFixed(1)} s`;
}
