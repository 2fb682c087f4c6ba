// Writes the schema the gateway serves as artifacts for frontend teams, so client codegen
// (GraphQL Code Generator, Apollo tooling) runs without a live gateway:
//   build/schema.graphql      SDL with every description
//   build/introspection.json  the standard introspection result ({ "__schema": ... })
// Usage: npm run schema:print [-- --out-dir <dir>] [-- --stdout] [-- --subgraph]
// --stdout prints the SDL and writes nothing.
// --subgraph writes build/subgraph.graphql instead: the Federation 2 subgraph SDL that
// FEDERATION=true serves as `_service { sdl }`, for a schema registry or `rover supergraph
// compose` (docs/federation.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printSubgraphSchema } from '@apollo/subgraph';
import { introspectionFromSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSubgraphSchema } from '../src/federation/subgraph-schema.js';
import { buildSchema } from '../src/schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    stdout: { type: 'boolean', default: false },
    subgraph: { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: join(root, 'build') },
  },
});

if (values.subgraph) {
  // Exactly the `_service.sdl` text (federation directives and `extend` as written), unsorted:
  // registries compare it with what the running subgraph reports.
  const sdl = `${printSubgraphSchema(buildSubgraphSchema())}\n`;
  if (values.stdout) {
    process.stdout.write(sdl);
  } else {
    const dir = resolve(values['out-dir']);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'subgraph.graphql'), sdl);
    console.log(`schema:print: wrote ${relative(process.cwd(), dir) || '.'}/subgraph.graphql`);
  }
  process.exit(0);
}

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
