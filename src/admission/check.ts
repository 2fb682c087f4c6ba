import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { BadUserInputError, QueryTooComplexError } from '../errors.js';
import { variableDepthError } from '../limits/depth.js';
import { complexityError, measureComplexity } from './complexity.js';
import type { Complexity, ComplexityLimits } from './complexity.js';

export interface OperationLimits extends ComplexityLimits {
  maxVariableDepth: number;
}

/** What an operation's checks found: its measure to charge, or the refusal to answer. */
export type OperationCheck =
  | { ok: true; complexity: Complexity | undefined }
  | { ok: false; error: BadUserInputError | QueryTooComplexError };

/**
 * The checks of a parsed, valid operation with its variables, in the order both transports apply
 * them: variable depth first (before anything walks the variables: the cost measure coerces them),
 * then depth, expanded size and cost. `measure` is how the caller obtains the measure, so that
 * Apollo's per-request memo (requestComplexity) is the one used over HTTP.
 */
export function checkOperation(
  op: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName: string | null | undefined;
    variables: Readonly<Record<string, unknown>> | null | undefined;
  },
  limits: OperationLimits,
  measure: () => Complexity | undefined = () =>
    measureComplexity(op.schema, op.document, op.operationName, op.variables),
): OperationCheck {
  const tooDeep = variableDepthError(op.variables, limits.maxVariableDepth);
  if (tooDeep) return { ok: false, error: tooDeep };
  const complexity = measure();
  const tooComplex = complexityError(complexity, limits);
  if (tooComplex) return { ok: false, error: tooComplex };
  return { ok: true, complexity };
}
