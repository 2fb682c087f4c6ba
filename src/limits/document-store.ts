import type { ApolloServerPlugin, DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../errors.js';
import { documentBytes } from './document-size.js';

/** The document's hash in an Apollo document store key (`<schema hash>:<document hash>`). */
export function documentHashOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/**
 * Apollo's document store for the HTTP path, bounded like the websocket cache: DOCUMENT_CACHE_BYTES
 * of estimated heap (documentBytes), where Apollo's default (an InMemoryLRUCache of 30 MiB) counts
 * the AST's JSON, a quarter to a third of the heap it holds. Apollo stores a document only after it
 * passed validation, so syntax and validation refusals never get in; cost refusals happen later
 * (didResolveOperation) and are taken out again by forgetRefusedDocuments.
 *
 * Apollo prefixes keys with the schema's hash, so that one store can serve successive schemas.
 * This one serves one process's fixed schema and keys by the query's hash alone: the key that the
 * plugin, which sees only `queryHash`, needs to forget a document.
 */
export class BoundedDocumentStore implements DocumentStore {
  private readonly documents: LRUCache<string, DocumentNode>;

  constructor(maxBytes: number) {
    this.documents = new LRUCache<string, DocumentNode>({
      maxSize: maxBytes,
      sizeCalculation: (document) => Math.max(1, documentBytes(document)),
    });
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    return this.documents.get(documentHashOf(key));
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.documents.set(documentHashOf(key), document);
  }

  async delete(key: string): Promise<boolean> {
    return this.documents.delete(documentHashOf(key));
  }

  /** Estimated bytes held, at most DOCUMENT_CACHE_BYTES. */
  get bytes(): number {
    return this.documents.calculatedSize;
  }
}

/**
 * Takes a document out of the store when the request that parsed it was refused for its cost:
 * valid, but not one this gateway ran, so not one to keep at the expense of others. A document
 * accepted before (read from the store, not parsed) stays: its cost depends on the variables.
 */
export function forgetRefusedDocuments<C extends object>(
  store: BoundedDocumentStore,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let parsed = false;
      return {
        async parsingDidStart() {
          parsed = true;
        },
        async didEncounterErrors({ errors, queryHash }) {
          if (!parsed) return;
          const tooComplex = errors.some((e) => e.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX);
          if (tooComplex && queryHash) await store.delete(queryHash);
        },
      };
    },
  };
}
