// The keep-alive sweep in slices: unit tests over fake sockets (the wire behaviour, a silent peer
// cut after an unanswered ping, is test/ws/connection.test.ts's against a real gateway).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { KEEPALIVE_SLICE, startKeepAlive } from '../../src/ws/keep-alive.js';
import type { KeepAliveTarget } from '../../src/ws/keep-alive.js';

/**
 * Fake sockets that count pings per event-loop turn: the first ping of a turn queues a microtask,
 * which runs when the turn's synchronous work ends and closes that turn's tally.
 */
function fleet(n: number) {
  const perTurn: number[] = [];
  let current = 0;
  let total = 0;
  const terminated: number[] = [];
  let reached: (() => void) | undefined;
  let goal = Infinity;
  const ping = () => {
    if (current === 0) {
      queueMicrotask(() => {
        perTurn.push(current);
        current = 0;
      });
    }
    current++;
    total++;
    if (total >= goal) reached?.();
  };
  const targets: KeepAliveTarget[] = Array.from({ length: n }, (_, i) => {
    const socket = {
      OPEN: 1,
      readyState: 1,
      ping,
      terminate: () => {
        socket.readyState = 3; // CLOSED, as ws sets it
        terminated.push(i);
        ping(); // counted as work of the turn, like a ping
      },
    };
    return { alive: true, pingedAt: 0, socket: socket as unknown as WebSocket };
  });
  return {
    targets,
    perTurn,
    terminated,
    /** Resolves once `count` sockets in all were pinged or cut, counting from the start. */
    until(count: number): Promise<void> {
      goal = count;
      return total >= count ? Promise.resolve() : new Promise((resolve) => (reached = resolve));
    },
  };
}

describe('keep-alive sweep', () => {
  // The sweep's timer is unref'd (it must not hold a gateway open); this holds the test's loop.
  let hold: NodeJS.Timeout;
  before(() => (hold = setInterval(() => {}, 1000)));
  after(() => clearInterval(hold));

  it('pings every socket once per sweep, at most one slice per event-loop turn', async () => {
    const n = 10_000;
    const f = fleet(n);
    const stop = startKeepAlive(() => f.targets, 5);
    await f.until(n);
    stop();
    // The tally of the last turn is closed by its microtask, which has run by now.
    await Promise.resolve();
    assert.equal(
      f.perTurn.reduce((a, b) => a + b, 0),
      n,
    );
    assert.ok(Math.max(...f.perTurn) <= KEEPALIVE_SLICE, `max per turn ${Math.max(...f.perTurn)}`);
    assert.ok(f.perTurn.length >= Math.ceil(n / KEEPALIVE_SLICE));
    assert.ok(
      f.targets.every((t) => !t.alive),
      'each pinged socket awaits its pong',
    );
  });

  it('cuts the sockets that did not answer the previous sweep and pings the others', async () => {
    const f = fleet(1000);
    // A clock a second ahead at every reading: each ping is a whole interval old by the next sweep.
    let now = 0;
    const stop = startKeepAlive(
      () => f.targets,
      5,
      100,
      () => (now += 1000),
    );
    await f.until(1000);
    // Every socket answers but two.
    f.targets.forEach((t, i) => (t.alive = i !== 3 && i !== 777));
    await f.until(2000);
    stop();
    assert.deepEqual(f.terminated, [3, 777]);
    assert.ok(Math.max(...f.perTurn) <= 100);
  });

  it('gives a socket pinged late in a slow sweep a whole interval before it is cut', async () => {
    const f = fleet(2);
    // The clock (ms) as each visit of an open socket reads it, the interval 5 ms. Sweep 1 is
    // slow: socket 0 is pinged at 0, socket 1 at 4. Sweep 2 is fast: socket 0 at 5 (its ping
    // 5 ms old: cut), socket 1 at 6 (its ping 2 ms old: left, where the previous sweep's rule
    // cut it). Sweep 3: socket 1 at 10, its ping 6 ms old: cut.
    const readings = [0, 4, 5, 6, 10];
    let read = 0;
    const cutAt: [number, number | undefined][] = [];
    for (const [i, t] of f.targets.entries()) {
      const terminate = t.socket.terminate.bind(t.socket);
      (t.socket as { terminate: () => void }).terminate = () => {
        cutAt.push([i, readings[read - 1]]);
        terminate();
      };
    }
    const stop = startKeepAlive(
      () => f.targets,
      5,
      1,
      () => readings[read++] ?? Infinity,
    );
    await f.until(4); // two pings, two cuts
    stop();
    assert.deepEqual(cutAt, [
      [0, 5],
      [1, 10],
    ]);
  });

  it('skips sockets no longer open and stops mid-sweep when stopped', async () => {
    const f = fleet(1000);
    for (const t of f.targets.slice(0, 10)) (t.socket as { readyState: number }).readyState = 3;
    const firstSlice = f.until(90);
    const stop = startKeepAlive(() => f.targets, 5, 100);
    await firstSlice;
    stop();
    // The next slice was scheduled as an immediate; stopping cancelled it.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(
      f.perTurn.reduce((a, b) => a + b, 0),
      90,
    );
    assert.equal(f.targets[0]?.alive, true, 'a closed socket is not pinged');
    assert.equal(f.targets[10]?.alive, false);
  });

  it('is off when the interval is 0', () => {
    const f = fleet(1);
    const stop = startKeepAlive(() => f.targets, 0);
    stop();
    assert.equal(f.perTurn.length, 0);
  });
});
