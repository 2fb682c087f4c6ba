import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../../scripts/build-state.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The node arguments that run one of the gateway's entry points (`main` is the gateway,
 * `simulator/main` is `npm run simulator`) in a child process: the compiled file in dist/ when
 * it was built from the sources as they are now (what `npm start` runs; `npm test` builds it
 * first when stale), the TypeScript source through tsx otherwise. tsx compiles the gateway's
 * graph on every start: 4-5 s against 2-3 s from dist/ on the CI machine, for each of the
 * suite's few dozen spawned gateways.
 */
export function entryArgs(name: 'main' | 'simulator/main'): string[] {
  return buildIsCurrent(ROOT)
    ? [`${ROOT}dist/src/${name}.js`]
    : ['--import', 'tsx', `${ROOT}src/${name}.ts`];
}
