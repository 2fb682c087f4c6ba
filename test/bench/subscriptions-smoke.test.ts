import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatResults,
  parseOptions,
  runSubscriptionBenchmark,
} from '../../bench/subscriptions.js';

// Proves bench:subscriptions end to end on a small run, on both websocket servers; the memory and
// latency figures belong to BENCHMARKS.md, not to assertions.
describe('subscription benchmark smoke run', () => {
  it('tells every subscriber on both servers, polling once per operation per tick', async () => {
    const options = {
      ...parseOptions(['--subscribers', '60', '--operations', '3', '--interval', '300']),
      replicas: [1],
      ticks: 4,
    };
    assert.deepEqual(options.servers, ['gateway', 'graphql-ws']);
    const results = await runSubscriptionBenchmark(options);
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.equal(r.latency.told, 60, `${r.server}: every subscriber saw COMPLETED`);
      // Each operation's own rate, so only the ±10% jitter of the interval shows.
      assert.ok(
        Math.abs(r.pollsPerTick - options.operations) <= options.operations * 0.15,
        `${r.server}: ${r.pollsPerTick} polls per tick for ${options.operations} operations`,
      );
      // The latency's two parts: every operation's poll after the change was found (a missing
      // one would leave its subscribers out), and no subscriber heard before its poll.
      assert.ok(r.pollWaitMaxMs >= 0 && r.pollWaitMaxMs <= r.latency.max, `${r.server}: wait`);
      assert.ok(r.afterPoll.p50 >= 0 && r.afterPoll.max <= r.latency.max, `${r.server}: after`);
      // No operation was polled twice in one interval (jitter allows 0.9 intervals).
      assert.ok(
        r.closestPollsMs >= options.intervalMs * 0.8,
        `${r.server}: ${r.closestPollsMs} ms`,
      );
    }
    const table = formatResults(options, results);
    assert.match(table, /gateway \(src\/ws\)/);
    assert.match(table, /baseline: graphql-ws useServer/);
  });

  it('refuses an unknown server name', () => {
    assert.throws(() => parseOptions(['--servers', 'nope']), /unknown server "nope"/);
  });
});
