import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, responsePathAsArray } from 'graphql';
import type { ExecutionResult, GraphQLFormattedError, GraphQLResolveInfo } from 'graphql';
import type { GatewayError } from './errors.js';

/**
 * Errors a resolver reports while still returning its data: `firewalls` returns the firewalls of
 * the sources that answered and reports each source that failed. graphql-js gives a resolver no
 * way to do both (a throw nulls the field), so they are collected per request and appended to
 * the response's top-level `errors`, with the field's path, where clients look for them.
 */
export interface ErrorReporter {
  reportError(error: GraphQLError): void;
  /** The reported errors, once: they are cleared as they are taken. */
  takeReportedErrors(): GraphQLError[];
}

type Format = (error: GraphQLFormattedError) => GraphQLFormattedError;

/** Over HTTP: appends what the request's resolvers reported, formatted as Apollo formats its own. */
export function reportedErrorsPlugin<C extends ErrorReporter>(
  format: Format,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const reported = contextValue.takeReportedErrors();
          if (reported.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...reported.map((e) => format(e.toJSON()))];
        },
      };
    },
  };
}

/** Over websockets (graphql-js `execute`, no Apollo): the same errors, added to the result. */
export function withReportedErrors(
  result: ExecutionResult,
  reporter: ErrorReporter,
): ExecutionResult {
  const reported = reporter.takeReportedErrors();
  if (reported.length === 0) return result;
  return { ...result, errors: [...(result.errors ?? []), ...reported] };
}

/**
 * One source of a merged list (a region and account of `firewalls`, a zone of
 * `Firewall.flowOperations`) failed: an error at the list's path, beside the others' items.
 */
export function partialListError(
  info: GraphQLResolveInfo,
  /** e.g. "The firewalls of account 1 in eu-west-1"; the gateway's words, never caller text. */
  what: string,
  others: string,
  cause: GatewayError,
  extensions: Record<string, unknown>,
): GraphQLError {
  return new GraphQLError(
    `${what} could not be listed; the list holds ${others}. ${cause.message}`,
    { path: responsePathAsArray(info.path), extensions: { ...cause.extensions, ...extensions } },
  );
}
