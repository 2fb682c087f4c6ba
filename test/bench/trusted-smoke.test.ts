import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResults, parseOptions, runTrustedBenchmark } from '../../bench/trusted-documents.js';

// Proves bench:trusted end to end on a short run: every form answers the same result without a
// failure. The request rates belong to BENCHMARKS.md.
describe('trusted documents benchmark smoke run', () => {
  it('runs the operation as text and as a trusted hash', async () => {
    const options = parseOptions(['--duration', '1', '--connections', '2']);
    const results = await runTrustedBenchmark(options);
    assert.deepEqual(
      results.map((r) => r.form),
      ['text, document cache on', 'text, document cache off', 'trusted hash'],
    );
    for (const r of results) {
      assert.equal(r.failures, 0, r.form);
      assert.ok(r.rps > 0, r.form);
    }
    assert.match(formatResults(options, results), /\| trusted hash \| \d+ \|/);
  });
});
