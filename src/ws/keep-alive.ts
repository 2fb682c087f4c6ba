import type { WebSocket } from 'ws';

export interface KeepAliveTarget {
  readonly socket: WebSocket;
  /** Set whenever the peer is heard from (a pong or any message); cleared by each sweep. */
  alive: boolean;
}

/**
 * Websocket keep-alive with one timer for every socket: each sweep terminates the sockets that
 * have not answered the previous sweep's ping, then pings the rest. A timer per socket (as the
 * graphql-ws adapter keeps) costs memory on every idle bot; a sweep costs none.
 */
export function startKeepAlive(
  targets: () => Iterable<KeepAliveTarget>,
  intervalMs: number,
): () => void {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return () => {};
  const timer = setInterval(() => {
    for (const target of targets()) {
      const { socket } = target;
      if (socket.readyState !== socket.OPEN) continue;
      if (!target.alive) {
        // A half-open TCP connection never closes by itself; this frees its subscriptions.
        socket.terminate();
        continue;
      }
      target.alive = false;
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
