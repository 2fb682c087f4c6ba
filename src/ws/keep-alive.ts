import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';

export interface KeepAliveTarget {
  readonly socket: WebSocket;
  /** Set whenever the peer is heard from (a pong or any message); cleared by each sweep. */
  alive: boolean;
  /** When the sweep last pinged it (whole ms of `performance.now()`, a small integer). */
  pingedAt: number;
}

/**
 * Sockets a sweep visits per event-loop turn. One synchronous pass over 20,000 sockets held the
 * loop for 105-182 ms (issue 16), delaying every poll and push behind it; slices of this size
 * cost well under a millisecond each, and the sweep still ends a few turns after it started.
 */
export const KEEPALIVE_SLICE = 256;

/**
 * Websocket keep-alive with one timer for every socket: each sweep terminates the sockets that
 * have not answered a ping written at least one interval ago, then pings the rest. Measured from
 * the ping, not from the previous sweep: a sweep slowed by a storm of connections reached its
 * last sockets 1.3-2.6 s after it started, and the next, faster sweep reached them again a
 * fraction of an interval after their ping, cutting 10,000 live peers of a 19,000-subscriber
 * benchmark whose pongs were merely on their way (issue 16). An unanswered socket pinged too
 * recently is left for the next sweep: every peer gets between one and two intervals. A timer per socket (as the
 * graphql-ws adapter keeps) costs memory on every idle bot; a sweep costs none. The sweep walks
 * the live set in slices of `slice` sockets, one slice per turn (setImmediate lets I/O and timers
 * run in between), so its work per turn is bounded whatever the number of sockets. A Set's
 * iterator survives deletions and sees additions, so sockets closing mid-sweep are fine.
 */
export function startKeepAlive(
  targets: () => Iterable<KeepAliveTarget>,
  intervalMs: number,
  slice = KEEPALIVE_SLICE,
  clock: () => number = () => Math.floor(performance.now()),
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
      visit(next.value, clock, intervalMs);
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

function visit(target: KeepAliveTarget, clock: () => number, intervalMs: number): void {
  const { socket } = target;
  if (socket.readyState !== socket.OPEN) return;
  const now = clock();
  if (!target.alive) {
    // A half-open TCP connection never closes by itself; this frees its subscriptions.
    if (now - target.pingedAt >= intervalMs) socket.terminate();
    return;
  }
  target.alive = false;
  target.pingedAt = now;
  socket.ping();
}
