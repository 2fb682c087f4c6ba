#!/usr/bin/env node
// Node 20's test runner takes no globs, so the file list is collected here; the
// runner's own spec reporter prints the totals CI reads.
//
// Test files run concurrently (each in its own process, every server on port 0, every Redis its
// own), TEST_CONCURRENCY at a time (default 4 on the 2-core CI machine: most of a file's time is
// waiting on sockets, child processes and poll intervals, and at 2 the suite used 0.86 of the
// two cores; at 4 it used 1.54 and took 336 s instead of 514 s on the same machine). Files that need the machine to themselves run
// afterwards, one at a time: the benchmark smoke tests (they load the CPU on purpose) and the
// browser tests (Chromium's start-up alone takes a core). No test bounds the CPU time of parsing
// hostile input with a clock any more: test/limits/redos.test.ts, test/errors.test.ts and
// test/aws/exact-integers.test.ts count the work done instead (test/helpers/linear-work.ts), so
// they share the machine like any other file.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
const EXCLUSIVE = ['test/bench/', 'test/playground/'];
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 4);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

let files = collect(join(root, 'test'));
if (filter.length > 0) files = files.filter((f) => filter.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// Tests start the gateway as a child process from dist/ when it is current (test/helpers/entry.ts):
// built here first if a source changed (a no-op in CI, which has just built it).
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const exclusive = (f) => EXCLUSIVE.some((prefix) => f.startsWith(prefix));
const run = (group, perGroup) =>
  group.length === 0
    ? 0
    : (spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-reporter=spec',
          `--test-concurrency=${perGroup}`,
          ...group,
        ],
        {
          cwd: root,
          stdio: 'inherit',
          env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' },
        },
      ).status ?? 1);

const shared = run(
  files.filter((f) => !exclusive(f)),
  concurrency,
);
const alone = run(files.filter(exclusive), 1);
process.exit(shared || alone);
