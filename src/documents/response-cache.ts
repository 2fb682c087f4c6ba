import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Kind, OperationTypeNode } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Principal } from '../auth/principal.js';
import { canonicalJson } from '../canonical-json.js';
import { terminalOnly } from './http-cache.js';

export interface ResponseCacheOptions {
  /** RESPONSE_CACHE_MAX_ENTRIES; 0 turns the cache off. */
  maxEntries: number;
  /** RESPONSE_CACHE_MAX_BYTES: bound on the stored JSON, in UTF-16 code units (about bytes). */
  maxBytes: number;
  /** CACHE_TERMINAL_TTL_MS: as long as the gateway keeps the AWS answers the response was made of. */
  ttlMs: number;
  registry: Registry;
}

/** A kept answer's data, frozen, and the length of its JSON (what RESPONSE_CACHE_MAX_BYTES counts). */
interface Kept {
  data: Record<string, unknown>;
  bytes: number;
}

/**
 * Freezes a JSON value's every object, with an explicit stack rather than recursion: its depth is
 * the document's, and no caller-shaped depth should reach the call stack.
 */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object' || Object.isFrozen(next)) continue;
    Object.freeze(next);
    for (const member of Object.values(next)) stack.push(member);
  }
  return value;
}

/**
 * Only a query whose every root field is `flowOperation` can qualify; whether it does is decided
 * on its answer (terminal statuses only, see terminalOnly). A root fragment or directive is not
 * worth the analysis: such a query is executed as usual.
 */
function candidate(operation: OperationDefinitionNode): boolean {
  const fields = operation.selectionSet.selections;
  return (
    operation.operation === OperationTypeNode.QUERY &&
    fields.length > 0 &&
    fields.every(
      (f) => f.kind === Kind.FIELD && f.name.value === 'flowOperation' && !f.directives?.length,
    )
  );
}

/**
 * Everything authorization reads of a principal (src/auth/authorize.ts: its scopes and firewall
 * patterns), and nothing else: two callers with the same grants would be answered the same, and
 * a caller with narrower grants never shares a key with a wider one.
 */
function grantsOf(principal: Principal): string {
  return `${[...principal.scopes].sort().join(',')}|${principal.firewalls?.fingerprint ?? '*'}`;
}

/**
 * A cache of whole serialized answers to queries about finished flow operations (issue 16): a
 * finished capture's page is the same bytes on every read, and executing its 100 edges again was
 * most of a cached read's CPU. Safe because:
 * - only answers without errors whose every root field is a terminal flow operation are kept,
 *   and such an answer is made only of what can no longer change in AWS (the same rule as the
 *   terminal cache of src/aws/caching-api.ts and the GET Cache-Control of ./http-cache.ts);
 * - the key is a digest of the document's hash, the operation name, the canonical variables and
 *   the principal's grants, so a caller refused a firewall never reaches an answer about it;
 * - it is consulted after parsing, validation and admission (responseForOperation), so limits,
 *   rate and cost checks apply to a hit as to any request;
 * - lru-cache bounds it in entries and bytes, and entries live at most as long as the terminal
 *   cache's, so no caller can grow it.
 */
export function responseCache<C extends { principal: Principal }>(
  options: ResponseCacheOptions,
): ApolloServerPlugin<C> {
  const lookups = new Counter({
    name: 'gateway_response_cache_lookups_total',
    help: 'Serialized-response cache lookups for queries about finished flow operations, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [options.registry],
  });
  if (options.maxEntries <= 0 || options.ttlMs <= 0) return {};
  const cache = new LRUCache<string, Kept>({
    max: options.maxEntries,
    ...(options.maxBytes > 0
      ? { maxSize: options.maxBytes, sizeCalculation: (kept: Kept) => Math.max(kept.bytes, 1) }
      : {}),
    ttl: options.ttlMs,
  });
  return {
    async requestDidStart() {
      let key: string | undefined;
      let hit = false;
      return {
        async responseForOperation({ operation, queryHash, request, contextValue }) {
          // Apollo's type says an operation is there; with an operationName the document lacks it
          // is not (execution refuses it next, OPERATION_RESOLUTION_FAILURE, never a 500 here).
          if ((operation as OperationDefinitionNode | undefined) === undefined) return null;
          if (!candidate(operation)) return null;
          key = createHash('sha256')
            .update(
              JSON.stringify([
                queryHash,
                request.operationName ?? '',
                canonicalJson(request.variables ?? {}),
                grantsOf(contextValue.principal),
              ]),
            )
            .digest('base64url');
          const kept = cache.get(key);
          lookups.inc({ result: kept === undefined ? 'miss' : 'hit' });
          if (kept === undefined) return null;
          hit = true;
          // A fresh result around the shared, frozen data: plugins add errors and extensions to
          // the result (this request's own), never to the data. Parsing stored JSON instead cost
          // 8% of a hit's CPU.
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: kept.data } },
          };
        },
        // Installed last, so errors other plugins report (src/reported-errors.ts) are already in.
        async willSendResponse({ response, operation }) {
          if (key === undefined || hit || !operation) return;
          const { body } = response;
          if (
            body.kind !== 'single' ||
            body.singleResult.errors ||
            body.singleResult.data == null ||
            !terminalOnly(operation, body.singleResult.data)
          ) {
            return;
          }
          // `data` only: extensions are about this request (the AWS budget it spent, src/admission),
          // and their plugins add a hit's own. A copy, so nothing of this request's result is shared.
          const json = JSON.stringify(body.singleResult.data);
          cache.set(key, {
            data: deepFreeze(JSON.parse(json) as Record<string, unknown>),
            bytes: json.length,
          });
        },
      };
    },
  };
}
