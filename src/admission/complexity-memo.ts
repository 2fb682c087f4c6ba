import type { DocumentNode, GraphQLSchema } from 'graphql';
import { canonicalJson } from '../canonical-json.js';
import { measureComplexity } from './complexity.js';
import type { Complexity } from './complexity.js';

/** Variable sets remembered per document: a dashboard's few pages, not a caller's every id. */
export const MAX_VARIANTS_PER_DOCUMENT = 16;
/** Longer operation name and variables are measured per request, not remembered. */
export const MAX_VARIANT_KEY_CHARS = 2048;

// Keyed by the schema and the parsed document objects themselves: the document caches (Apollo's
// store, the websocket one, the trusted manifest) hand a repeat the same object and bound how many
// are alive; a document they evicted takes its entries with it.
const memo = new WeakMap<
  GraphQLSchema,
  WeakMap<DocumentNode, Map<string, Complexity | undefined>>
>();

function variantKey(
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string | undefined {
  try {
    const key = `${operationName ?? ''}\n${canonicalJson(variables ?? {})}`;
    return key.length <= MAX_VARIANT_KEY_CHARS ? key : undefined;
  } catch {
    // Variables too deep to key: measured (and refused) as before.
    return undefined;
  }
}

/**
 * measureComplexity, remembered per (schema, document, operation name, variables): a repeated
 * read (the finished-capture page that the response cache answers) walked its whole selection for
 * depth and cost on every request, 8% of a cached answer's CPU (BENCHMARKS.md). Bounded and not a
 * caller's to fill: at most MAX_VARIANTS_PER_DOCUMENT keys of at most MAX_VARIANT_KEY_CHARS per
 * live document, the oldest dropped first, so a caller cycling ids costs what it did before.
 */
export function memoizedComplexity(
  ...op: Parameters<typeof measureComplexity>
): Complexity | undefined {
  const [schema, document, operationName, variables] = op;
  const key = variantKey(operationName, variables);
  if (key === undefined) return measureComplexity(...op);
  let documents = memo.get(schema);
  if (!documents) memo.set(schema, (documents = new WeakMap()));
  let variants = documents.get(document);
  if (!variants) documents.set(document, (variants = new Map<string, Complexity | undefined>()));
  if (variants.has(key)) return variants.get(key);
  const complexity = measureComplexity(...op);
  if (variants.size >= MAX_VARIANTS_PER_DOCUMENT) variants.delete(variants.keys().next().value!);
  // Frozen: one object answers many requests, none may change it for the others.
  variants.set(key, complexity && Object.freeze(complexity));
  return complexity;
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
  const complexity = memoizedComplexity(
    op.schema,
    op.document,
    op.operationName,
    op.request.variables,
  );
  measuredRequests.set(op.request, complexity);
  return complexity;
}
