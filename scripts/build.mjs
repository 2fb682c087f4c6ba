#!/usr/bin/env node
// The build: TypeScript to dist/, then the playground's assets compressed to dist/playground/.
// `--if-stale` (npm start, npm run simulator, prepare) builds only when a source is newer than
// the last build, so a start with nothing changed goes straight to node.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { STAMP, buildIsCurrent } from './build-state.mjs';

const root = new URL('..', import.meta.url).pathname;
const ifStale = process.argv.includes('--if-stale');

if (ifStale && buildIsCurrent(root)) process.exit(0);

// An install must not fail for want of a build: `npm ci --omit=dev` installs no compiler, and a
// compile error is typecheck's to report (CI runs it next). No stamp is written, so the next
// `npm start` builds and fails there, where the error belongs.
const installing = process.env.npm_lifecycle_event === 'prepare';
function fail(message) {
  console.error(installing ? `${message}; npm start will build` : message);
  process.exit(installing ? 0 : 1);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  fail('cannot build: TypeScript is not installed (a production-only install?)');
}

// Dated from here: a source saved while the build runs makes the next start build again.
const started = new Date();
if (ifStale) console.error('Building dist/ (none yet, or a source changed since the last build)…');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) fail('the TypeScript build failed (above)');

const { precompressPlayground } = await import(
  new URL('../dist/src/playground/precompress.js', import.meta.url).href
);
await precompressPlayground();

mkdirSync(join(root, 'dist'), { recursive: true });
closeSync(openSync(join(root, STAMP), 'w'));
utimesSync(join(root, STAMP), started, started);
