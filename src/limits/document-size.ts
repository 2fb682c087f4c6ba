import type { DocumentNode } from 'graphql';

/**
 * Heap held by one token of a parsed document: its Token (kept in the document's token list) and
 * its share of AST nodes, Locations and argument and directive arrays. Measured on Node 20 and
 * graphql-js 16 (`bench/refused-documents.ts --factor`, BENCHMARKS.md): 265 to 510 bytes a token,
 * depending on the shape (long arguments are cheapest per token, bare fields dearest). Counting
 * tokens rather than characters keeps the estimate within 2x for every shape; a per-character
 * factor ranged from 35 to 170 bytes. The upper end is used so that the bound holds.
 */
export const DOCUMENT_BYTES_PER_TOKEN = 512;

/**
 * The heap a parsed document holds, estimated from its token list (walked, not re-lexed) plus its
 * source text. The sizes of the document caches on both transports (DOCUMENT_CACHE_BYTES).
 */
export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  // Parsed without locations: no token list to count, so Apollo's own measure (its JSON).
  if (!loc) return Buffer.byteLength(JSON.stringify(document), 'utf8');
  let tokens = 0;
  for (let token = loc.startToken.next; token; token = token.next) tokens++;
  return tokens * DOCUMENT_BYTES_PER_TOKEN + loc.source.body.length;
}
