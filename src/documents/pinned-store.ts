import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { documentHashOf } from '../limits/document-store.js';
import type { TrustedDocuments } from './trusted.js';

/**
 * Apollo's document store with the trusted documents in front: Apollo keys documents by the
 * SHA-256 of their text, and a hit skips parsing and validation. The trusted documents were
 * parsed and validated at load and are never evicted, so ad-hoc traffic filling the byte-bounded
 * store cannot push them out.
 */
export class PinnedDocumentStore implements DocumentStore {
  constructor(
    private readonly trusted: TrustedDocuments,
    private readonly inner: DocumentStore | undefined,
  ) {}

  private pinned(key: string): DocumentNode | undefined {
    return this.trusted.byTextHash(documentHashOf(key))?.document;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    return this.pinned(key) ?? this.inner?.get(key);
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    if (this.pinned(key)) return;
    await this.inner?.set(key, document);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.inner?.delete(key)) ?? false;
  }
}
