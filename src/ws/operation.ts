import { createHash } from 'node:crypto';
import { GraphQLError, Kind } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
  ParseOptions,
  SelectionNode,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Principal } from '../auth/principal.js';
import { canonicalJson } from '../canonical-json.js';
import { checkOperation } from '../admission/check.js';
import type { OperationLimits } from '../admission/check.js';
import type { Complexity } from '../admission/complexity.js';
import { documentParseOptions, parseDocument } from '../admission/parse.js';
import { resolveOperation, validateDocument } from '../admission/validate.js';
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

/**
 * A subscribe message's document, admitted by the same steps and code as an HTTP request
 * (src/admission/): parse with MAX_QUERY_TOKENS, validation, the operation, then variable depth,
 * depth and cost. A document that passes is kept and not parsed or validated again: bots send the
 * same few thousands of times. A refused one is not kept (see DocumentCache).
 */
export class OperationPreparer {
  private readonly documents: DocumentCache;
  private readonly parseOptions: ParseOptions;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: OperationLimits & { maxQueryTokens: number },
    documentCacheBytes: number,
  ) {
    this.documents = new DocumentCache(documentCacheBytes);
    this.parseOptions = documentParseOptions(limits);
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
    const known = pinned ?? this.documents.get(payload.query);
    let document = known;
    if (!document) {
      const parsed = parseDocument(payload.query, this.parseOptions);
      if (parsed instanceof GraphQLError) return { kind: 'refused', errors: [parsed] };
      const invalid = validateDocument(this.schema, parsed);
      if (invalid.length > 0) return { kind: 'refused', errors: invalid };
      document = parsed;
    }
    const operation = resolveOperation(document, payload.operationName);
    if (operation instanceof GraphQLError) return { kind: 'refused', errors: [operation] };
    // Checked per operation, cached document or not: the cost depends on the variables.
    const checked = checkOperation(
      {
        schema: this.schema,
        document,
        operationName: payload.operationName,
        variables: payload.variables,
      },
      this.limits,
    );
    if (!checked.ok) return { kind: 'refused', errors: [checked.error] };
    // Valid, within limits with these variables, and naming an operation: worth keeping.
    if (!known) this.documents.remember(payload.query, document);
    return { kind: 'ready', document, operation, complexity: checked.complexity };
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
