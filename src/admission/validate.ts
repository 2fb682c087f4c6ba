import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, getOperationAST, specifiedRules, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/**
 * A websocket document validated as Apollo validates an HTTP one: graphql-js's specified rules,
 * each error with Apollo's code (GRAPHQL_VALIDATION_FAILED).
 */
export function validateDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
): readonly GraphQLError[] {
  return validate(schema, document, specifiedRules).map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes ?? null,
        source: error.source ?? null,
        positions: error.positions ?? null,
        extensions: { ...error.extensions, code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
      }),
  );
}

/**
 * The operation to run, or graphql-js's refusal with Apollo's code (OPERATION_RESOLUTION_FAILURE):
 * over HTTP Apollo resolves it with the same getOperationAST and execute() words the refusal.
 */
export function resolveOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | GraphQLError {
  const operation = getOperationAST(document, operationName);
  if (operation) return operation;
  return new GraphQLError(
    operationName
      ? `Unknown operation named "${operationName}".`
      : 'Must provide operation name if query contains multiple operations.',
    { extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE } },
  );
}
