import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SCENARIOS,
  formatResults,
  parseOptions,
  runDocumentsBenchmark,
} from '../../bench/refused-documents.js';

// Proves bench:documents end to end on a small run: every scenario's gateway process starts,
// answers every document and still serves. The memory figures belong to BENCHMARKS.md.
describe('refused documents benchmark smoke run', () => {
  it('runs each scenario on its own gateway process', async () => {
    const options = parseOptions(['--count', '10', '--fields', '200']);
    assert.deepEqual(options.scenarios, [...SCENARIOS]);
    const results = await runDocumentsBenchmark(options);
    assert.deepEqual(
      results.map((r) => r.scenario),
      [...SCENARIOS],
    );
    for (const r of results) {
      assert.equal(r.answered, 10, r.scenario);
      assert.equal(r.serving, 'yes', r.scenario);
      assert.ok(r.rssBeforeMb > 0 && r.rssAfterMb > 0, r.scenario);
    }
    assert.match(formatResults(options, results), /refused ~24 KB, websockets \| 10\/10/);
  });

  it('refuses an unknown scenario', () => {
    assert.throws(() => parseOptions(['--scenarios', 'nope']), /unknown scenario "nope"/);
  });
});
