// Whether dist/ was built from the sources as they are now, so that `npm start` can skip a build
// (tens of seconds on a busy machine) and still never run stale code.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written by scripts/build.mjs after a build, dated when that build started. */
export const STAMP = join('dist', '.build-stamp');

/**
 * What a build reads: the TypeScript sources and the playground's files (src/), the compiler's
 * settings, and the installed packages (npm rewrites node_modules/.package-lock.json on every
 * install; the playground's assets come from one of them).
 */
const INPUTS = [
  'src',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  join('node_modules', '.package-lock.json'),
];

/** The newest modification time under `path`, directories included (a deleted file dates its directory). */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  let latest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** True when `root`'s build exists and started after the last change to any of its inputs. */
export function buildIsCurrent(root) {
  let built;
  try {
    built = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return false;
  }
  return INPUTS.every((input) => newest(join(root, input)) < built);
}
