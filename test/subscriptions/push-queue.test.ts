import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PushQueue } from '../../src/subscriptions/push-queue.js';

/** Settles `promise` within a few macrotask turns, or reports that it is still pending. */
async function state<T>(
  promise: Promise<T>,
): Promise<
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; reason: unknown }
  | { status: 'pending' }
> {
  let result:
    { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | undefined;
  promise.then(
    (value) => (result = { status: 'fulfilled', value }),
    (reason: unknown) => (result = { status: 'rejected', reason }),
  );
  await tick();
  await tick();
  return result ?? { status: 'pending' };
}

function counter() {
  const c = { calls: 0, fn: () => void c.calls++ };
  return c;
}

describe('PushQueue', () => {
  it('delivers values pushed before next()', async () => {
    const q = new PushQueue<number>();
    q.push(1);
    q.push(2);
    assert.equal(q.size, 2);
    assert.deepEqual(await q.next(), { value: 1, done: false });
    assert.deepEqual(await q.next(), { value: 2, done: false });
    assert.equal(q.size, 0);
  });

  it('delivers a value pushed after next() to the waiting call', async () => {
    const q = new PushQueue<string>();
    const pending = q.next();
    assert.deepEqual(await state(pending), { status: 'pending' });
    q.push('a');
    assert.deepEqual(await pending, { value: 'a', done: false });
    assert.equal(q.size, 0, 'a value handed to a waiter must not also be buffered');
  });

  it('keeps push order for any interleaving of push and next', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 60 }), async (ops) => {
        const q = new PushQueue<number>();
        const received: number[] = [];
        let pushed = 0;
        let waiting: Promise<IteratorResult<number>> | undefined;
        for (const isPush of ops) {
          if (isPush) q.push(pushed++);
          else if (!waiting) waiting = q.next();
          if (waiting) {
            const s = await state(waiting);
            if (s.status === 'fulfilled') {
              assert.equal(s.value.done, false);
              received.push(s.value.value);
              waiting = undefined;
            }
          }
        }
        q.end();
        if (waiting) {
          const last = await waiting;
          if (!last.done) received.push(last.value);
        }
        for (let r = await q.next(); !r.done; r = await q.next()) received.push(r.value);
        assert.deepEqual(
          received,
          Array.from({ length: pushed }, (_, i) => i),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('end() lets buffered values be read, then reports done, and stays done', async () => {
    const q = new PushQueue<number>();
    q.push(1);
    q.push(2);
    q.end();
    q.push(3); // ignored after end
    assert.deepEqual(await q.next(), { value: 1, done: false });
    assert.deepEqual(await q.next(), { value: 2, done: false });
    assert.deepEqual(await q.next(), { value: undefined, done: true });
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('end() completes a waiting next()', async () => {
    const q = new PushQueue<number>();
    const pending = q.next();
    q.end();
    assert.deepEqual(await pending, { value: undefined, done: true });
  });

  it('fail() delivers buffered values first, then rejects once, then is done', async () => {
    const q = new PushQueue<number>();
    const boom = new Error('boom');
    q.push(1);
    q.push(2);
    q.fail(boom);
    q.push(3); // ignored after fail
    assert.deepEqual(await q.next(), { value: 1, done: false });
    assert.deepEqual(await q.next(), { value: 2, done: false });
    await assert.rejects(q.next(), (e) => e === boom);
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('fail() rejects a next() that is already waiting, then is done', async () => {
    const q = new PushQueue<number>();
    const boom = new Error('boom');
    const pending = q.next();
    q.fail(boom);
    assert.deepEqual(await state(pending), { status: 'rejected', reason: boom });
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('fail() after end() changes nothing', async () => {
    const q = new PushQueue<number>();
    q.push(1);
    q.end();
    q.fail(new Error('late'));
    assert.deepEqual(await q.next(), { value: 1, done: false });
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('return() drops buffered values, completes, calls onClose exactly once and ignores later pushes', async () => {
    const closed = counter();
    const q = new PushQueue<number>(closed.fn);
    q.push(1);
    q.push(2);
    assert.deepEqual(await q.return(), { value: undefined, done: true });
    assert.equal(closed.calls, 1);
    q.push(3);
    assert.equal(q.size, 0);
    assert.deepEqual(await q.next(), { value: undefined, done: true });
    await q.return();
    q.end();
    q.fail(new Error('x'));
    assert.equal(closed.calls, 1);
  });

  it('return() completes a waiting next()', async () => {
    const closed = counter();
    const q = new PushQueue<number>(closed.fn);
    const pending = q.next();
    await q.return();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.equal(closed.calls, 1);
  });

  it('return() discards a pending failure', async () => {
    const q = new PushQueue<number>();
    q.push(1);
    q.fail(new Error('boom'));
    await q.return();
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('onClose runs once when the stream ends by end() or fail() too', async () => {
    for (const finish of [
      (q: PushQueue<number>) => q.end(),
      (q: PushQueue<number>) => q.fail(new Error('x')),
    ]) {
      const closed = counter();
      const q = new PushQueue<number>(closed.fn);
      finish(q);
      assert.equal(closed.calls, 1);
      await q.return();
      q.end();
      assert.equal(closed.calls, 1);
    }
  });

  it('throw() closes the queue and rejects with the given error', async () => {
    const closed = counter();
    const q = new PushQueue<number>(closed.fn);
    q.push(1);
    const err = new Error('consumer gave up');
    await assert.rejects(q.throw(err), (e) => e === err);
    assert.equal(closed.calls, 1);
    assert.deepEqual(await q.next(), { value: undefined, done: true });
  });

  it('is its own async iterator', () => {
    const q = new PushQueue<number>();
    assert.equal(q[Symbol.asyncIterator](), q);
  });

  it('works with for await, ending normally', async () => {
    const q = new PushQueue<number>();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const v of q) seen.push(v);
    })();
    q.push(1);
    await tick();
    q.push(2);
    q.push(3);
    q.end();
    await consumer;
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('with for await, break calls return() and so onClose once', async () => {
    const closed = counter();
    const q = new PushQueue<number>(closed.fn);
    q.push(1);
    q.push(2);
    q.push(3);
    const seen: number[] = [];
    for await (const v of q) {
      seen.push(v);
      if (v === 2) break;
    }
    assert.deepEqual(seen, [1, 2]);
    assert.equal(closed.calls, 1);
    assert.equal(q.size, 0);
    q.push(4);
    assert.equal(q.size, 0);
  });

  it('with for await, fail() of a buffered queue throws after the buffered values', async () => {
    const q = new PushQueue<number>();
    const boom = new Error('upstream failed');
    q.push(1);
    q.fail(boom);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const v of q) seen.push(v);
      })(),
      (e) => e === boom,
    );
    assert.deepEqual(seen, [1]);
  });

  it('with for await, fail() while the loop waits throws out of the loop', async () => {
    const q = new PushQueue<number>();
    const boom = new Error('upstream failed');
    const consumer = (async () => {
      for await (const _ of q) {
        // nothing
      }
    })();
    await tick();
    q.fail(boom);
    assert.deepEqual(await state(consumer), { status: 'rejected', reason: boom });
  });
});
