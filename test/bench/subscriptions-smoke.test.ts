import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatResults,
  parseOptions,
  runSubscriptionBenchmark,
} from '../../bench/subscriptions.js';

// Proves bench:subscriptions end to end on a small run, on both websocket servers; the memory,
// latency and poll-rate figures belong to BENCHMARKS.md, not to assertions, which count.
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
      // The latency's two parts: every operation's poll after the change was found (a missing
      // one would leave its subscribers out), and no subscriber heard before its poll.
      assert.ok(r.pollWaitMaxMs >= 0 && r.pollWaitMaxMs <= r.latency.max, `${r.server}: wait`);
      assert.ok(r.afterPoll.p50 >= 0 && r.afterPoll.max <= r.latency.max, `${r.server}: after`);
      // One poller per operation, counted rather than timed: every subscriber heard COMPLETED,
      // which only a poll learns, and no operation was polled more often than one poller can
      // over the window as long as it really lasted (one poll per 0.9 interval, plus one at each
      // edge for a request that arrived late). A slow machine only makes the count smaller or
      // the window longer; a second poller doubles the count.
      const most = Math.floor(r.idleWindowMs / (0.9 * options.intervalMs)) + 2;
      assert.ok(
        r.mostPollsOfOneOperation <= most,
        `${r.server}: ${r.mostPollsOfOneOperation} polls of one operation in ${r.idleWindowMs} ms (at most ${most})`,
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
