import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, parse } from 'graphql';
import type { DocumentNode, ParseOptions } from 'graphql';

/**
 * graphql-js's parse options for both transports: Apollo parses HTTP documents with these
 * (`parseOptions`), websockets through parseDocument below. `maxTokens` (MAX_QUERY_TOKENS) makes
 * graphql-js stop lexing past the limit, so a huge document costs at most that many tokens.
 */
export function documentParseOptions(limits: { maxQueryTokens: number }): ParseOptions {
  return { maxTokens: limits.maxQueryTokens };
}

/**
 * A websocket document parsed as Apollo parses an HTTP one: graphql-js's own syntax error, with
 * Apollo's code (GRAPHQL_PARSE_FAILED), so both transports answer the same text the same way.
 */
export function parseDocument(text: string, options: ParseOptions): DocumentNode | GraphQLError {
  try {
    return parse(text, options);
  } catch (error) {
    const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return new GraphQLError(syntax.message, {
      nodes: syntax.nodes ?? null,
      source: syntax.source ?? null,
      positions: syntax.positions ?? null,
      extensions: { ...syntax.extensions, code: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED },
    });
  }
}
