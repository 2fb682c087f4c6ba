import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { schemaDirectory } from '../schema.js';

/** A file the playground serves under `<endpoint>/playground/<fingerprint>/<name>`. */
export interface Asset {
  file: string;
  type: string;
  /** Workers get a CSP of their own: a worker's policy comes from its script's response. */
  csp?: string;
}

const JS = 'text/javascript; charset=utf-8';
/** Monaco workers compute (parse, validate, complete) and talk to the page by postMessage only. */
const WORKER_CSP = "default-src 'none'";

/** The project's root: the directory holding package.json and schema/, from src/ or dist/src/. */
function projectRoot(): string {
  return dirname(schemaDirectory());
}

/** Source files live under src/ in both layouts (tsx from src/, node from dist/src/). */
export function staticDirectory(): string {
  return join(projectRoot(), 'src', 'playground', 'static');
}

/** Where the build writes the compressed assets, one directory per fingerprint. */
export function prebuiltRoot(): string {
  return join(projectRoot(), 'dist', 'playground');
}

function graphiqlDistribution(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@graphql-yoga/graphiql/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: join(dirname(manifest), 'dist'), version };
}

export function loadAssets(): Record<string, Asset> {
  const { dir } = graphiqlDistribution();
  const workers = join(dir, 'monacoeditorwork');
  const workerFile = (name: string): string => {
    // 4.5.0 ships `graphql.worker..bundle.js` (sic); match any number of dots so a fixed
    // release keeps working.
    const pattern = new RegExp(`^${name}\\.worker\\.+bundle\\.js$`);
    const found = readdirSync(workers).find((f) => pattern.test(f));
    if (!found) throw new Error(`@graphql-yoga/graphiql ships no ${name} worker in ${workers}`);
    return join(workers, found);
  };
  return {
    'init.js': { file: join(staticDirectory(), 'init.js'), type: JS },
    'yoga-graphiql.umd.js': { file: join(dir, 'yoga-graphiql.umd.js'), type: JS },
    'graphiql.css': { file: join(dir, 'graphiql.css'), type: 'text/css; charset=utf-8' },
    'editor.worker.js': { file: workerFile('editor'), type: JS, csp: WORKER_CSP },
    'json.worker.js': { file: workerFile('json'), type: JS, csp: WORKER_CSP },
    'graphql.worker.js': { file: workerFile('graphql'), type: JS, csp: WORKER_CSP },
  };
}

/**
 * Names one set of asset contents. Versioned URLs let browsers cache assets for a year: a new
 * GraphiQL release or a change to init.js yields new URLs, and the build's compressed copies sit
 * under the same name, so a copy is used only with the contents it was made from. Hashing only
 * the small files keeps startup fast.
 */
export function assetFingerprint(assets: Record<string, Asset>): string {
  return createHash('sha256')
    .update(graphiqlDistribution().version)
    .update(readFileSync(assets['init.js']!.file))
    .digest('hex')
    .slice(0, 12);
}
