import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema as buildApolloSubgraphSchema } from '@apollo/subgraph';
import { concatAST, parse } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { BadUserInputError } from '../errors.js';
import { loadTypeDefs, schemaDirectory, schemaResolvers } from '../schema.js';
import {
  MAX_REPRESENTATIONS,
  resolveFirewallReference,
  resolveFlowOperationReference,
} from './entities.js';

/** The entity types this subgraph resolves references of (schema/federation/entities.graphql). */
const ENTITY_TYPES: ReadonlySet<string> = new Set(['Firewall', 'FlowOperation']);

/**
 * The whole `_entities` argument is checked before any representation runs: its size (each may
 * cost an AWS call) and that each is an object naming one of our entity types. Apollo's resolver
 * would throw a plain Error for an unknown `__typename`, masked as INTERNAL_SERVER_ERROR.
 */
function checkRepresentations(representations: unknown): void {
  if (!Array.isArray(representations)) return;
  if (representations.length > MAX_REPRESENTATIONS) {
    throw new BadUserInputError(
      `representations holds ${representations.length} entities; at most ${MAX_REPRESENTATIONS} are allowed: configure the router to batch fewer (docs/federation.md)`,
      { argumentPath: 'representations' },
    );
  }
  representations.forEach((representation: unknown, i) => {
    const typename =
      representation !== null &&
      typeof representation === 'object' &&
      !Array.isArray(representation)
        ? (representation as Record<string, unknown>).__typename
        : undefined;
    if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
      throw new BadUserInputError(
        `representations[${i}] is not a representation of ${[...ENTITY_TYPES].join(' or ')}`,
        { argumentPath: `representations[${i}]` },
      );
    }
  });
}

/**
 * FEDERATION=true: the same SDL files and resolvers as the standalone schema (src/schema.ts), plus
 * the overlay's `@link` and `@key`s and the reference resolvers, built by `@apollo/subgraph`
 * (docs/federation.md says why that library), which adds `_service { sdl }` and `_entities`.
 */
export function buildSubgraphSchema(): GraphQLSchema {
  const overlay = readFileSync(join(schemaDirectory(), 'federation', 'entities.graphql'), 'utf8');
  const resolvers = schemaResolvers() as Record<string, Record<string, unknown>>;
  const module = {
    typeDefs: concatAST([...loadTypeDefs(), overlay].map((sdl) => parse(sdl))),
    resolvers: {
      ...resolvers,
      Firewall: { ...resolvers.Firewall, __resolveReference: resolveFirewallReference },
      FlowOperation: {
        ...resolvers.FlowOperation,
        __resolveReference: resolveFlowOperationReference,
      },
    },
  };
  // Typed against the generated Resolvers; Apollo's map wants its own looser shape.
  const schema = buildApolloSubgraphSchema([module] as Parameters<
    typeof buildApolloSubgraphSchema
  >[0]);
  const entities = schema.getQueryType()?.getFields()._entities;
  if (!entities?.resolve) throw new Error('@apollo/subgraph built no _entities field');
  const resolve: GraphQLFieldResolver<unknown, GatewayContext> = entities.resolve;
  entities.resolve = (source, args: { representations?: unknown }, ctx: GatewayContext, info) => {
    checkRepresentations(args.representations);
    return resolve(source, args, ctx, info);
  };
  return schema;
}
