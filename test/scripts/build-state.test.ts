import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAMP, buildIsCurrent } from '../../scripts/build-state.mjs';

/** A project tree whose every input is dated two minutes ago, built a minute ago. */
function builtProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'nfw-build-state-'));
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  const files = ['src/main.ts', 'src/playground/static/init.js', 'tsconfig.json', 'package.json'];
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }
  for (const path of [...files, 'src/playground/static', 'src/playground', 'src']) {
    utimesSync(join(root, path), twoMinutesAgo, twoMinutesAgo);
  }
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, STAMP), '');
  const oneMinuteAgo = new Date(Date.now() - 60_000);
  utimesSync(join(root, STAMP), oneMinuteAgo, oneMinuteAgo);
  return root;
}

describe('whether npm start must build first', () => {
  it('not when the build started after the last change to every input', () => {
    const root = builtProject();
    assert.equal(buildIsCurrent(root), true);
    rmSync(root, { recursive: true });
  });

  it('when there is no build', () => {
    const root = builtProject();
    rmSync(join(root, STAMP));
    assert.equal(buildIsCurrent(root), false);
    rmSync(root, { recursive: true });
  });

  it('when a source, a playground file or a setting was saved since', () => {
    for (const changed of ['src/main.ts', 'src/playground/static/init.js', 'tsconfig.json']) {
      const root = builtProject();
      const now = new Date();
      utimesSync(join(root, changed), now, now);
      assert.equal(buildIsCurrent(root), false, changed);
      rmSync(root, { recursive: true });
    }
  });

  it('when a source was deleted since (its directory is newer)', () => {
    const root = builtProject();
    rmSync(join(root, 'src/playground/static/init.js'));
    assert.equal(buildIsCurrent(root), false);
    rmSync(root, { recursive: true });
  });
});
