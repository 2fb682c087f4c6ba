import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Loaders } from '../../src/loaders/index.js';
import { NotFoundError, ThrottledError } from '../../src/errors.js';
import type { Coordinator, CoordinatorMessage } from '../../src/subscriptions/coordinator.js';
import { LocalCoordinator } from '../../src/subscriptions/coordinator.js';
import { Multiplexer } from '../../src/subscriptions/multiplexer.js';
import type { Topic } from '../../src/subscriptions/multiplexer.js';
import { waitFor } from '../helpers/gateway.js';

/** A topic over an in-memory value: unit tests only; integration tests poll the simulator. */
function counterTopic(
  id: string,
  source: { value: number | Error; polls: number },
): Topic<number, number> {
  return {
    id,
    poll: async () => {
      source.polls++;
      if (source.value instanceof Error) throw source.value;
      return source.value;
    },
    diff: (prev, next) => (prev === next ? [] : [next]),
    kind: 'state',
    isFinal: (state) => state >= 100,
    decode: (raw) => raw as number,
  };
}

function mux(coordinator: Coordinator = new LocalCoordinator(), intervalMs = 40, maxFailures = 3) {
  return new Multiplexer({
    intervalMs,
    maxFailures,
    jitter: 0,
    createLoaders: () => ({}) as Loaders,
    coordinator,
  });
}

async function take<T>(it: AsyncIterableIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('Multiplexer', () => {
  // The poll timer is unref'd so that it never keeps a process alive; here nothing else would.
  let keepAlive: NodeJS.Timeout;
  before(() => {
    keepAlive = setInterval(() => {}, 1000);
  });
  after(() => clearInterval(keepAlive));

  it('shares one poll per interval among subscribers and pushes changes once', async () => {
    const source = { value: 1 as number | Error, polls: 0 };
    const m = mux();
    const subs = await Promise.all(
      Array.from({ length: 25 }, () => m.subscribe(counterTopic('t', source))),
    );
    assert.equal(m.watchCount, 1);
    assert.equal(m.subscriberCount, 25);
    for (const s of subs) assert.deepEqual(await take(s, 1), [1]);
    // Five polls of the one watch, unchanged: nothing pushed (the next value each gets is 2).
    await waitFor(() => source.polls >= 5 || undefined);
    source.value = 2;
    for (const s of subs) assert.deepEqual(await take(s, 1), [2]);
    source.value = 100;
    for (const s of subs) {
      assert.deepEqual(await take(s, 5), [100], 'final state, then the stream ends');
    }
    assert.equal(m.watchCount, 0, 'the watch ends with its final state');
    await m.close();
  });

  it('gives a late subscriber the current state without a poll, and stops polling when all leave', async () => {
    const source = { value: 7 as number | Error, polls: 0 };
    const m = mux(new LocalCoordinator(), 1000);
    const first = await m.subscribe(counterTopic('t', source));
    assert.equal(source.polls, 1);
    const late = await m.subscribe(counterTopic('t', source));
    assert.deepEqual(await take(late, 1), [7]);
    assert.equal(source.polls, 1, 'no extra poll for the late subscriber');
    await first.return?.();
    await late.return?.();
    assert.equal(m.watchCount, 0);
    await m.close();
  });

  it('rejects subscribe for a topic whose first poll fails for good', async () => {
    const m = mux();
    await assert.rejects(
      m.subscribe(counterTopic('t', { value: new NotFoundError('gone'), polls: 0 })),
      (e: unknown) => e instanceof NotFoundError,
    );
    assert.equal(m.watchCount, 0);
    await m.close();
  });

  it('retries transient failures with backoff, then fails subscribers with UPSTREAM_ERROR', async () => {
    const source = { value: 1 as number | Error, polls: 0 };
    const m = mux(new LocalCoordinator(), 20, 3);
    const sub = await m.subscribe(counterTopic('t', source));
    assert.deepEqual(await take(sub, 1), [1]);
    source.value = new ThrottledError('slow down');
    await assert.rejects(
      sub.next(),
      (e: unknown) =>
        (e as { extensions?: { code?: string } }).extensions?.code === 'UPSTREAM_ERROR',
    );
    assert.equal(source.polls, 4, 'the first poll, then three failures');
    await m.close();
  });

  it('polls only topics whose lease it holds, and feeds the rest from peer messages', async () => {
    let deliver!: (topic: string, message: CoordinatorMessage) => void;
    let asked = 0;
    const coordinator: Coordinator = {
      mode: 'shared',
      acquire: async (topics) => {
        if (topics.includes('theirs')) asked++;
        return new Set(topics.filter((t) => t === 'mine'));
      },
      release: async () => {},
      join: async (topic) =>
        topic === 'theirs' ? { kind: 'state', state: 5, at: Date.now() } : undefined,
      leave: async () => {},
      publish: async () => {},
      onMessage: (handler) => {
        deliver = handler;
      },
      onReconnect: () => {},
      close: async () => {},
    };
    const m = mux(coordinator);
    const theirs = { value: 5 as number | Error, polls: 0 };
    const sub = await m.subscribe(counterTopic('theirs', theirs));
    assert.deepEqual(await take(sub, 1), [5], 'the stored state, at once');
    // Three ticks asked for its lease, and were refused each time.
    await waitFor(() => asked >= 3 || undefined);
    assert.equal(theirs.polls, 0, 'never polled: a peer holds the lease');
    deliver('theirs', { kind: 'state', state: 6, at: Date.now() });
    assert.deepEqual(await take(sub, 1), [6]);
    deliver('theirs', { kind: 'error', code: 'NOT_FOUND', message: 'gone', extensions: {} });
    await assert.rejects(
      sub.next(),
      (e: unknown) => (e as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND',
    );
    await m.close();
  });
});
