// Watches started together poll out of step from their second poll on (src/subscriptions/
// multiplexer.ts, secondDue): on a mocked clock and a scripted Math.random, so the times are exact.
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { Loaders } from '../../src/loaders/index.js';
import { LocalCoordinator } from '../../src/subscriptions/coordinator.js';
import { Multiplexer } from '../../src/subscriptions/multiplexer.js';
import type { Topic } from '../../src/subscriptions/multiplexer.js';

const INTERVAL = 1000;
const WATCHES = 20;

/** A topic that never changes and records the (mocked) time of each of its polls. */
function recordingTopic(id: string, polls: number[]): Topic<number, number> {
  return {
    id,
    poll: () => {
      polls.push(Date.now());
      return Promise.resolve(1);
    },
    diff: () => [],
    kind: 'state',
    isFinal: () => false,
    decode: (raw) => raw as number,
  };
}

/** Lets the multiplexer's promise chains (lease, poll, schedule) run between timer steps. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('poll phases of watches started together', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });

  it('spreads their second polls over the interval, and they keep those phases', async () => {
    // Math.random as the i-th watch's second poll reads it: 0, 1/20, ..., 19/20.
    let draw = 0;
    mock.method(Math, 'random', () => (draw++ % WATCHES) / WATCHES);
    const m = new Multiplexer({
      intervalMs: INTERVAL,
      maxFailures: 3,
      jitter: 0,
      createLoaders: () => ({}) as Loaders,
      coordinator: new LocalCoordinator(),
    });
    const polls = Array.from({ length: WATCHES }, () => [] as number[]);
    const subs = await Promise.all(
      polls.map((times, i) => m.subscribe(recordingTopic(`t${i}`, times))),
    );
    // Three intervals of the mocked clock, 10 ms at a time.
    for (let t = 0; t < 3 * INTERVAL; t += 10) {
      mock.timers.tick(10);
      await settle();
    }
    for (const times of polls) assert.equal(times[0], 0, 'every first poll at once');
    const second = polls.map((times) => times[1]!);
    // From a tenth of an interval to a whole one after the first: 1000 - 900 * i / 20.
    assert.ok(Math.max(...second) - Math.min(...second) >= 0.8 * INTERVAL, `${second.join(' ')}`);
    assert.equal(new Set(second).size, WATCHES, 'no two in step');
    for (const times of polls) {
      for (let k = 2; k < times.length; k++) {
        assert.ok(times[k]! - times[k - 1]! >= INTERVAL, 'then one poll per interval');
      }
    }
    for (const sub of subs) await sub.return?.();
    await m.close();
  });
});
