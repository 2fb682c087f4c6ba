import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const BENCH = fileURLToPath(new URL('../../bench/attacks.ts', import.meta.url));

// Proves bench:attacks end to end on its quick attacks: the gateway process starts with keys, every
// attack is answered and each row meets its target (the script exits non-zero otherwise). The slow
// flushes take 6 to 30 s by design and are left to the full run.
describe('attack benchmark smoke run', () => {
  it('runs the ARN, text and budget attacks and meets their targets', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', BENCH, '--quick', '--only=arn,text,budget'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const rows = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| attack'));
    assert.equal(rows.filter((r) => r.endsWith('| yes |')).length, 5, run.stdout);
  });
});
