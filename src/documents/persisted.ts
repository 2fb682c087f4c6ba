import { GraphQLError } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import type { ApqCache } from './apq-store.js';
import { resolveDocument } from './resolve.js';
import type { DocumentFields, DocumentSource, Resolution, ResolverOptions } from './resolve.js';
import { sha256Hex } from './trusted.js';

/** Apollo's key prefix in `persistedQueries.cache`: both transports share one registry. */
const APQ_PREFIX = 'apq:';

export type WebSocketDocument =
  | {
      kind: 'ready';
      query: string;
      document: DocumentNode | undefined;
      source: DocumentSource;
      /**
       * An APQ registration, for the caller to make once the document has passed every check
       * (as Apollo registers only after validation): a refused text is never stored.
       */
      register?: () => Promise<void>;
    }
  | { kind: 'refused'; error: GraphQLError };

/**
 * Trusted documents and APQ for both transports: HTTP hands APQ to Apollo (src/documents/http.ts);
 * websockets have no Apollo, so their APQ lookups and registrations happen here, in the same
 * cache under the same keys, so that a hash registered over HTTP runs over a websocket.
 */
export class PersistedDocuments {
  constructor(
    private readonly options: ResolverOptions & {
      /** Undefined under `enforce`: only the manifest names documents there. */
      apq: ApqCache | undefined;
      metrics: GatewayMetrics;
    },
  ) {}

  resolve = (fields: DocumentFields, principal: Principal): Resolution =>
    resolveDocument(fields, principal, this.options);

  async forWebSocket(fields: DocumentFields, principal: Principal): Promise<WebSocketDocument> {
    const outcome = await this.webSocketDocument(fields, principal);
    const { metrics } = this.options;
    if (outcome.kind === 'refused') {
      metrics.onDocument('websocket', { refused: String(outcome.error.extensions.code) });
    } else {
      metrics.onDocument('websocket', { source: outcome.source });
    }
    return outcome;
  }

  private async webSocketDocument(
    fields: DocumentFields,
    principal: Principal,
  ): Promise<WebSocketDocument> {
    const resolution = this.resolve(fields, principal);
    switch (resolution.kind) {
      case 'refused':
        return { kind: 'refused', error: resolution.error };
      case 'trusted':
        return {
          kind: 'ready',
          query: resolution.text,
          document: resolution.document,
          source: 'trusted',
        };
      case 'adhoc':
        return {
          kind: 'ready',
          query: typeof fields.query === 'string' ? fields.query : '',
          document: undefined,
          source: 'adhoc',
        };
      case 'apq': {
        const { apq } = this.options;
        if (!apq) return refusal('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
        if (resolution.text === undefined) {
          const text = await apq.get(APQ_PREFIX + resolution.hash);
          if (text === undefined)
            return refusal('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
          return { kind: 'ready', query: text, document: undefined, source: 'apq' };
        }
        // As Apollo does over HTTP: a text registers only under its own hash.
        if (sha256Hex(resolution.text) !== resolution.hash) {
          return refusal('BAD_REQUEST', 'provided sha does not match query');
        }
        const { hash, text } = resolution;
        return {
          kind: 'ready',
          query: text,
          document: undefined,
          source: 'apq',
          register: () => apq.set(APQ_PREFIX + hash, text),
        };
      }
    }
  }
}

function refusal(code: string, message: string): WebSocketDocument {
  return { kind: 'refused', error: new GraphQLError(message, { extensions: { code } }) };
}

/**
 * graphql-ws's message check wants a `query` string in every subscribe; a persisted subscribe
 * (`documentId` or `extensions.persistedQuery`) has none, so it gets an empty one, which
 * resolveDocument reads as absent. Anything else passes unchanged to that check.
 */
export function acceptPersistedSubscribe(data: string): unknown {
  const message = JSON.parse(data) as unknown;
  if (typeof message !== 'object' || message === null) return message;
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (type !== 'subscribe' || typeof payload !== 'object' || payload === null) return message;
  const fields = payload as DocumentFields;
  const persisted =
    typeof fields.documentId === 'string' ||
    (typeof fields.extensions === 'object' &&
      fields.extensions !== null &&
      'persistedQuery' in fields.extensions);
  if (persisted && fields.query === undefined) fields.query = '';
  return message;
}
