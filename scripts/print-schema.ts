// Writes the schema the gateway serves as artifacts for frontend teams, so client codegen
// (GraphQL Code Generator, Apollo tooling) runs without a live gateway:
//   build/schema.graphql      SDL with every description
//   build/introspection.json  the standard introspection result ({ "__schema": ... })
// Usage: npm run schema:print [-- --out-dir <dir>] [-- --stdout]
// --stdout prints the SDL and writes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { introspectionFromSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from '../src/schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    stdout: { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: join(root, 'build') },
  },
});

// The executable schema, resolvers and all, so the artifacts are exactly what the gateway serves;
// sorted, so splitting or reordering schema/*.graphql does not churn consumers' diffs.
const schema = lexicographicSortSchema(buildSchema());
const sdl = `${printSchema(schema)}\n`;

if (values.stdout) {
  process.stdout.write(sdl);
} else {
  const dir = resolve(values['out-dir']);
  mkdirSync(dir, { recursive: true });
  const introspection = introspectionFromSchema(schema, {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    inputValueDeprecation: true,
  });
  writeFileSync(join(dir, 'schema.graphql'), sdl);
  writeFileSync(join(dir, 'introspection.json'), `${JSON.stringify(introspection, null, 2)}\n`);
  const shown = relative(process.cwd(), dir) || '.';
  console.log(`schema:print: wrote ${shown}/schema.graphql and ${shown}/introspection.json`);
}
