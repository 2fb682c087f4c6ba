import { Kind, getOperationAST } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { QueryTooComplexError } from '../errors.js';
import { costError, measureCost } from '../limits/query-cost.js';
import { MAX_EXPANDED_SELECTIONS, measureShape, shapeError } from '../limits/query-shape.js';

export interface ComplexityLimits {
  maxQueryCost: number;
  maxQueryDepth: number;
}

export interface Complexity {
  /** AWS calls the operation may make (query-cost.ts); Infinity when too large to measure. */
  cost: number;
  /** Nesting depth of fields, introspection left out. */
  depth: number;
  /** Selections once fragments are expanded (query-shape.ts). */
  selections: number;
}

/**
 * Measures one operation statically, with its variables, before anything runs: its shape first
 * (linear, fragments memoised), then, when that is within bounds, its cost. Undefined when the
 * operation cannot be found or its variables do not coerce (execution refuses both by itself).
 */
export function measureComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): Complexity | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const shape = measureShape(document, operation.selectionSet);
  if (shape.selections > MAX_EXPANDED_SELECTIONS) return { ...shape, cost: Infinity };
  // The operation alone with the fragments: the library would otherwise sum every operation.
  const alone: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      operation,
      ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
  const cost = measureCost(schema, alone, variables, MAX_EXPANDED_SELECTIONS);
  return cost === undefined ? undefined : { ...shape, cost };
}

/** The refusal for an operation over the limits, or undefined when it may run. */
export function complexityError(
  complexity: Complexity | undefined,
  limits: ComplexityLimits,
): QueryTooComplexError | undefined {
  if (!complexity) return undefined;
  return (
    shapeError(complexity, limits.maxQueryDepth) ?? costError(complexity.cost, limits.maxQueryCost)
  );
}

// Per request, for the cost limit and the AWS call budget alike (Apollo hands every hook the same
// request object), and for whatever reads the cost later (traces): measured once.
const measuredRequests = new WeakMap<object, Complexity | undefined>();

/** The complexity of an Apollo request's operation, measured once per request. */
export function requestComplexity(op: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  request: { variables?: Readonly<Record<string, unknown>> | null | undefined };
}): Complexity | undefined {
  if (measuredRequests.has(op.request)) return measuredRequests.get(op.request);
  const complexity = measureComplexity(
    op.schema,
    op.document,
    op.operationName,
    op.request.variables,
  );
  measuredRequests.set(op.request, complexity);
  return complexity;
}
