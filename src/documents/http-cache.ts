import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationTypeNode } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { TERMINAL_STATUSES } from '../model.js';

/**
 * Whether a query's answer can no longer change: every root field is `flowOperation`, answered
 * with a terminal status. Such an operation, and its results, are what the gateway itself keeps
 * for CACHE_TERMINAL_TTL_MS (src/aws/caching-api.ts); anything else (a firewall, a list, an
 * operation in progress) may differ on the next request.
 */
export function terminalOnly(
  operation: OperationDefinitionNode,
  data: Record<string, unknown>,
): boolean {
  const fields = operation.selectionSet.selections;
  if (fields.length === 0) return false;
  return fields.every((field) => {
    if (field.kind !== Kind.FIELD || field.name.value !== 'flowOperation') return false;
    const value = data[field.alias?.value ?? field.name.value] as
      { flowOperationStatus?: unknown } | null | undefined;
    return (
      typeof value?.flowOperationStatus === 'string' &&
      TERMINAL_STATUSES.has(value.flowOperationStatus)
    );
  });
}

/**
 * `Cache-Control` for GraphQL over HTTP: a GET query answered with terminal flow operations only
 * (a persisted document's URL is short and stable, so browsers and CDNs can key on it) may be
 * kept `private` for as long as the gateway keeps it; every other answer is `no-store`, as
 * Apollo's own plugin would say without cache hints. `private`, and `Vary` on the credential
 * headers (src/documents/http.ts): an answer depends on who asked. Installed with Apollo's cache
 * control plugin disabled (the schema has no cache hints), so this header is the only one.
 */
export function terminalGetCaching<C extends object>(terminalTtlMs: number): ApolloServerPlugin<C> {
  const maxAge = Math.floor(terminalTtlMs / 1000);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, operation }) {
          const { body } = response;
          const cacheable =
            maxAge > 0 &&
            request.http?.method === 'GET' &&
            operation?.operation === OperationTypeNode.QUERY &&
            body.kind === 'single' &&
            !body.singleResult.errors &&
            body.singleResult.data != null &&
            terminalOnly(operation, body.singleResult.data);
          response.http.headers.set(
            'cache-control',
            cacheable ? `max-age=${maxAge}, private` : 'no-store',
          );
        },
      };
    },
  };
}
