import { createHash } from 'node:crypto';
import { GraphQLError, Kind, getOperationAST, parse, validate } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Principal } from '../auth/principal.js';
import { canonicalJson } from '../canonical-json.js';
import type { ComplexityLimits } from '../limits/query-cost.js';
import { complexityError, measureComplexity, tokenLimitError } from '../limits/query-cost.js';
import type { Complexity } from '../limits/query-cost.js';
import { variableDepthError } from '../limits/depth.js';
import { DocumentCache } from './document-cache.js';

export type PreparedOperation =
  | { kind: 'refused'; errors: readonly GraphQLError[] }
  | {
      kind: 'ready';
      document: DocumentNode;
      operation: OperationDefinitionNode;
      /** Measured once here, and charged to the AWS call budget from this. */
      complexity: Complexity | undefined;
    };

export interface OperationLimits extends ComplexityLimits {
  maxQueryTokens: number;
  maxVariableDepth: number;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    extensions: { ...error.extensions, code },
  });
}

/**
 * A subscribe message's document, checked the way HTTP checks one (token limit, parse,
 * depth and cost, validation) with the same error codes, before anything runs. A document that
 * passes is kept and not parsed or validated again: bots send the same few thousands of times.
 * A refused one is not kept (see DocumentCache).
 */
export class OperationPreparer {
  private readonly documents: DocumentCache;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: OperationLimits,
    documentCacheBytes: number,
  ) {
    this.documents = new DocumentCache(documentCacheBytes);
  }

  /** Whether this text was accepted before (preparing it again costs little). */
  knows(query: string): boolean {
    return this.documents.get(query) !== undefined;
  }

  /** Bytes held by accepted documents (DOCUMENT_CACHE_BYTES bounds it). */
  get cachedBytes(): number {
    return this.documents.bytes;
  }

  /**
   * `pinned`: a trusted document, parsed and validated when its manifest was loaded
   * (src/documents/trusted.ts): used as is, and never taking room in this cache.
   */
  prepare(payload: SubscribePayload, pinned?: DocumentNode): PreparedOperation {
    // Before anything walks them: the cost measure, the cohort key and graphql-js's coercion.
    const tooDeep = variableDepthError(payload.variables, this.limits.maxVariableDepth);
    if (tooDeep) return { kind: 'refused', errors: [tooDeep] };
    const known = pinned ?? this.documents.get(payload.query);
    const document = known ?? this.parse(payload.query);
    if (document.kind !== Kind.DOCUMENT) return document;
    // Cost first, as on HTTP: an expensive document is refused for what it is, valid or not.
    // Measured per operation, cached document or not: the cost depends on the variables.
    const complexity = measureComplexity(
      this.schema,
      document,
      payload.operationName,
      payload.variables,
    );
    const complex = complexityError(complexity, this.limits);
    if (complex) return { kind: 'refused', errors: [complex] };
    if (!known) {
      const invalid = validate(this.schema, document);
      if (invalid.length > 0) {
        return {
          kind: 'refused',
          errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')),
        };
      }
    }
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return {
        kind: 'refused',
        errors: [
          new GraphQLError(
            payload.operationName
              ? `Unknown operation named "${payload.operationName}"`
              : 'Must provide operation name if query contains multiple operations',
            { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
          ),
        ],
      };
    }
    // Valid, within cost with these variables, and naming an operation: worth keeping.
    if (!known) this.documents.remember(payload.query, document);
    return { kind: 'ready', document, operation, complexity };
  }

  /** A text not seen (or not accepted) before: token limit, then parse. */
  private parse(query: string): DocumentNode | PreparedOperation {
    // A cached text passed this check already; lexing it again per subscriber is waste.
    const tooLong = tokenLimitError(query, this.limits.maxQueryTokens);
    if (tooLong) return { kind: 'refused', errors: [tooLong] };
    try {
      return parse(query);
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      return { kind: 'refused', errors: [withCode(syntax, 'GRAPHQL_PARSE_FAILED')] };
    }
  }
}

/**
 * Subscriptions that may share one execution: same caller (its identity and what it may do, so
 * that an error message naming the caller is never sent to another), same document and
 * operation, same variables.
 */
export function cohortKey(principal: Principal, payload: SubscribePayload): string {
  const who = JSON.stringify([
    principal.kind,
    principal.id,
    [...principal.scopes].sort(),
    principal.firewalls?.fingerprint ?? null,
    // A rotated key keeps its name: its executions are not the old key's.
    principal.keyDigest ?? null,
  ]);
  // Hashed: the key lives as long as the cohort, and the query text can be long.
  return createHash('sha256')
    .update(who)
    .update('\n')
    .update(payload.operationName ?? '')
    .update('\n')
    .update(canonicalJson(payload.variables ?? {}))
    .update('\n')
    .update(payload.query)
    .digest('base64url');
}

/** The single root field a subscription selects (validation guarantees there is one). */
export function subscriptionField(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string | undefined {
  let selections: readonly SelectionNode[] = operation.selectionSet.selections;
  for (let depth = 0; depth < 32; depth++) {
    const first = selections[0];
    if (!first) return undefined;
    if (first.kind === Kind.FIELD) return first.name.value;
    if (first.kind === Kind.INLINE_FRAGMENT) {
      selections = first.selectionSet.selections;
      continue;
    }
    const name = first.name.value;
    const fragment = document.definitions.find(
      (d): d is FragmentDefinitionNode =>
        d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
    if (!fragment) return undefined;
    selections = fragment.selectionSet.selections;
  }
  return undefined;
}
