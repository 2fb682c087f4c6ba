#!/usr/bin/env node
// Compiles the Relay example (examples/relay) with relay-compiler against the schema the gateway
// serves, in a scratch directory, so nothing is written into the repository and no artifacts
// are committed that a schema change would make stale. relay-compiler's validator is the real
// check that the schema suits Relay: connections and pageInfo as `@connection` needs them,
// `@refetchable` pagination fragments, `@prependNode` edge types. Then the components are
// typechecked against the types relay-compiler wrote, with the example's own tsconfig.json.
//   npm run examples:relay [-- --schema <file>] [-- --example <dir>] [-- --out <dir>]
// --schema   compile against this SDL instead of the one `npm run schema:print` writes
// --example  compile another copy of the example (the tests use a broken one)
// --out      compile there and keep the artifacts, instead of in a temporary directory
// Fragments under src/node/ are refetched through `Query.node(id:)`: they are compiled only when
// the schema has the Node interface, and skipped (with a notice) when it has not.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSchema, isInterfaceType } from 'graphql';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    schema: { type: 'string' },
    example: { type: 'string', default: join(root, 'examples/relay') },
    out: { type: 'string' },
  },
});

const example = resolve(values.example);
const work = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), 'nfw-relay-'));
mkdirSync(work, { recursive: true });
const schemaFile = join(work, 'schema.graphql');

function fail(message) {
  console.error(`examples:relay: ${message}`);
  if (!values.out) rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

if (values.schema) {
  copyFileSync(resolve(values.schema), schemaFile);
} else {
  const printed = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/print-schema.ts', '--out-dir', work],
    { cwd: root, encoding: 'utf8' },
  );
  if (printed.status !== 0) fail(`schema:print failed\n${printed.stderr}`);
}

const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
const hasNode =
  isInterfaceType(schema.getType('Node')) && Boolean(schema.getQueryType()?.getFields().node);

rmSync(join(work, 'src'), { recursive: true, force: true });
cpSync(join(example, 'src'), join(work, 'src'), {
  recursive: true,
  filter: (path) => !path.includes('__generated__'),
});
mkdirSync(join(work, 'src/__generated__'), { recursive: true });
const config = JSON.parse(readFileSync(join(example, 'relay.config.json'), 'utf8'));
config.schema = './schema.graphql';
config.artifactDirectory = './src/__generated__';
// relay-compiler's default excludes, plus the Node-based fragments when the schema cannot serve them.
config.excludes = ['**/node_modules/**', '**/__mocks__/**', '**/__generated__/**'];
if (!hasNode) config.excludes.push('**/node/**');
writeFileSync(join(work, 'relay.config.json'), `${JSON.stringify(config, null, 2)}\n`);

const cli = createRequire(import.meta.url).resolve('relay-compiler/cli.js');
const compiled = spawnSync(process.execPath, [cli, '--output', 'quiet-with-errors'], {
  cwd: work,
  stdio: 'inherit',
});
if (compiled.status !== 0)
  fail(`relay-compiler failed (exit ${compiled.status ?? compiled.signal})`);

// The scratch copy resolves react, react-relay and their types from the gateway's node_modules.
rmSync(join(work, 'node_modules'), { force: true });
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
const tsconfig = JSON.parse(
  readFileSync(join(example, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
);
if (!hasNode) tsconfig.exclude = ['src/node'];
writeFileSync(join(work, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(work, 'tsconfig.json')],
  { cwd: work, stdio: 'inherit' },
);
if (tsc.status !== 0) fail(`the example does not typecheck (exit ${tsc.status ?? tsc.signal})`);

if (!hasNode) {
  console.log(
    'examples:relay: src/node/ skipped: the schema has no Node interface with Query.node',
  );
}
console.log(
  `examples:relay: relay-compiler compiled and tsc checked examples/relay against the ${values.schema ? 'given' : 'printed'} schema${values.out ? ` into ${work}` : ''}`,
);
if (!values.out) rmSync(work, { recursive: true, force: true });
