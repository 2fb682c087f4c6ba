import type { WebSocket } from 'ws';

export interface KeepAliveTarget {
  readonly socket: WebSocket;
  /** Set whenever the peer is heard from (a pong or any message); cleared by each sweep. */
  alive: boolean;
}

/**
 * Sockets a sweep visits per event-loop turn. One synchronous pass over 20,000 sockets held the
 * loop for 105-182 ms (issue 16), delaying every poll and push behind it; slices of this size
 * cost well under a millisecond each, and the sweep still ends a few turns after it started.
 */
export const KEEPALIVE_SLICE = 256;

/**
 * Websocket keep-alive with one timer for every socket: each sweep terminates the sockets that
 * have not answered the previous sweep's ping, then pings the rest. A timer per socket (as the
 * graphql-ws adapter keeps) costs memory on every idle bot; a sweep costs none. The sweep walks
 * the live set in slices of `slice` sockets, one slice per turn (setImmediate lets I/O and timers
 * run in between), so its work per turn is bounded whatever the number of sockets. A Set's
 * iterator survives deletions and sees additions, so sockets closing mid-sweep are fine.
 */
export function startKeepAlive(
  targets: () => Iterable<KeepAliveTarget>,
  intervalMs: number,
  slice = KEEPALIVE_SLICE,
): () => void {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return () => {};
  let sweep: Iterator<KeepAliveTarget> | undefined;
  let pending: NodeJS.Immediate | undefined;
  const step = () => {
    pending = undefined;
    if (!sweep) return;
    for (let n = 0; n < slice; n++) {
      const next = sweep.next();
      if (next.done) {
        sweep = undefined;
        return;
      }
      visit(next.value);
    }
    pending = setImmediate(step);
  };
  const timer = setInterval(() => {
    // A sweep still running a whole interval later (not expected: slices are fast) is let finish
    // rather than restarted, so no socket is skipped and none is pinged twice in one sweep.
    if (sweep) return;
    sweep = targets()[Symbol.iterator]();
    step();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (pending) clearImmediate(pending);
    sweep = undefined;
  };
}

function visit(target: KeepAliveTarget): void {
  const { socket } = target;
  if (socket.readyState !== socket.OPEN) return;
  if (!target.alive) {
    // A half-open TCP connection never closes by itself; this frees its subscriptions.
    socket.terminate();
    return;
  }
  target.alive = false;
  socket.ping();
}
