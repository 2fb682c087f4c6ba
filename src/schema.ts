import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLScalarType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** The package root holds `schema/`; it is found by walking up, so src/ and dist/src/ both work. */
export function schemaDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the schema/ directory above ' + import.meta.url);
    dir = parent;
  }
}

export function loadTypeDefs(dir = schemaDirectory()): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

/**
 * A scalar's description and `@specifiedBy` live in the SDL; graphql-tools copies every property
 * of a GraphQLScalarType resolver over them, undefined ones included. Only the behaviour is passed.
 */
function scalarBehaviour(value: unknown): unknown {
  if (!(value instanceof GraphQLScalarType)) return value;
  return {
    __serialize: value.serialize,
    __parseValue: value.parseValue,
    __parseLiteral: value.parseLiteral,
  };
}

/** The resolvers with scalars reduced to their behaviour; the subgraph schema uses them too. */
export function schemaResolvers(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resolvers).map(([name, value]) => [name, scalarBehaviour(value)]),
  );
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    // Typed against the generated Resolvers; graphql-tools wants its own looser shape.
    resolvers: schemaResolvers() as Parameters<typeof makeExecutableSchema>[0]['resolvers'],
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
