// Composes subgraph SDLs into a supergraph with The Guild's federation-composition, the library
// Hive's registry composes with. A composition error is thrown with every message, so that the
// test that composes the real SDLs (test/federation/) fails CI on it.
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphDefinition {
  name: string;
  /** Where the router reaches the subgraph over HTTP (and, same path, its websocket). */
  url: string;
  /** The subgraph's `_service { sdl }`. */
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Supergraph composition failed:\n${messages.map((m) => `- ${m}`).join('\n')}`);
  }
}

export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}
