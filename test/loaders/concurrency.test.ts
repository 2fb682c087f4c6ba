import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { settleWithConcurrency } from '../../src/loaders/concurrency.js';

/** Instruments a task function: how many run at once, at most, and in what order they start. */
function instrument<T, R>(fn: (item: T) => Promise<R>) {
  const stats = { inFlight: 0, maxInFlight: 0, started: [] as T[], calls: 0 };
  const wrapped = async (item: T): Promise<R> => {
    stats.calls++;
    stats.started.push(item);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      return await fn(item);
    } finally {
      stats.inFlight--;
    }
  };
  return { stats, wrapped };
}

async function delay(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await tick();
}

describe('settleWithConcurrency', () => {
  it('keeps order and never exceeds the limit, whatever the task durations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        async (durations, limit) => {
          const items = durations.map((d, i) => ({ i, d }));
          const { stats, wrapped } = instrument(async ({ i, d }: { i: number; d: number }) => {
            await delay(d);
            return i * 10;
          });
          const results = await settleWithConcurrency(items, limit, wrapped);
          assert.deepEqual(
            results,
            items.map(({ i }) => i * 10),
          );
          assert.equal(stats.calls, items.length);
          assert.ok(
            stats.maxInFlight <= limit,
            `${stats.maxInFlight} in flight with limit ${limit}`,
          );
          // With enough work it does use the parallelism it is allowed.
          if (items.length > 0) assert.equal(stats.maxInFlight, Math.min(limit, items.length));
          // Items start in input order, each once.
          assert.deepEqual(stats.started, items);
          assert.equal(stats.inFlight, 0);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('starts the next item as soon as a slot frees up, not in waves', async () => {
    const releases = new Map<number, () => void>();
    const { stats, wrapped } = instrument(
      (i: number) =>
        new Promise<number>((resolve) => {
          releases.set(i, () => resolve(i));
        }),
    );
    const done = settleWithConcurrency([0, 1, 2, 3], 2, wrapped);
    await tick();
    assert.deepEqual(stats.started, [0, 1]);
    releases.get(1)?.();
    await tick();
    assert.deepEqual(stats.started, [0, 1, 2]);
    releases.get(2)?.();
    await tick();
    assert.deepEqual(stats.started, [0, 1, 2, 3]);
    releases.get(3)?.();
    releases.get(0)?.();
    assert.deepEqual(await done, [0, 1, 2, 3]);
  });

  it('turns a rejection into an Error in its slot while the others still resolve', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (fails, limit) => {
          const errors = fails.map((_, i) => new RangeError(`item ${i} failed`));
          const results = await settleWithConcurrency(
            fails.map((_, i) => i),
            limit,
            async (i) => {
              await delay(i % 3);
              if (fails[i]) throw errors[i]!;
              return `ok-${i}`;
            },
          );
          assert.equal(results.length, fails.length);
          for (const [i, result] of results.entries()) {
            if (fails[i]) assert.equal(result, errors[i], `slot ${i} should hold its own error`);
            else assert.equal(result, `ok-${i}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('wraps non-Error rejections in an Error', async () => {
    const values: unknown[] = ['a string', 42, null, undefined, { code: 'X' }];
    const results = await settleWithConcurrency(values, 2, async (v) => {
      throw v;
    });
    assert.equal(results.length, values.length);
    for (const [i, result] of results.entries()) {
      assert.ok(result instanceof Error, `slot ${i} is not an Error`);
      assert.equal(result.message, String(values[i]));
    }
  });

  it('catches synchronous throws from fn as well', async () => {
    const results = await settleWithConcurrency([1, 2], 1, (n) => {
      if (n === 1) throw new Error('sync');
      return Promise.resolve(n);
    });
    assert.ok(results[0] instanceof Error);
    assert.equal(results[0].message, 'sync');
    assert.equal(results[1], 2);
  });

  it('resolves [] for no items without calling fn', async () => {
    let calls = 0;
    const results = await settleWithConcurrency([], 4, async () => {
      calls++;
      return 1;
    });
    assert.deepEqual(results, []);
    assert.equal(calls, 0);
  });

  it('a limit larger than the list starts everything at once', async () => {
    const { stats, wrapped } = instrument(async (i: number) => {
      await delay(2);
      return i;
    });
    assert.deepEqual(await settleWithConcurrency([1, 2, 3], 100, wrapped), [1, 2, 3]);
    assert.equal(stats.maxInFlight, 3);
  });

  it('a limit of 1 runs strictly one at a time', async () => {
    const log: string[] = [];
    await settleWithConcurrency(['a', 'b', 'c'], 1, async (s) => {
      log.push(`start ${s}`);
      await delay(2);
      log.push(`end ${s}`);
      return s;
    });
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('returns a dense array (no holes) that DataLoader can consume', async () => {
    const results = await settleWithConcurrency([1, 2, 3, 4, 5], 2, async (n) => {
      if (n % 2 === 0) throw new Error(String(n));
      return n;
    });
    assert.equal(Object.keys(results).length, 5);
  });
});
