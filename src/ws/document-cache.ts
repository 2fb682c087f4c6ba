import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { documentBytes } from '../limits/document-size.js';

/**
 * Documents that passed validation, shared by every websocket operation with the same text. Bots
 * subscribe with the same few documents thousands of times; without this each subscription holds
 * its own AST (several KB) for its whole life.
 *
 * Bounded by bytes (DOCUMENT_CACHE_BYTES), not entries: 1,000 entries of 24 KB documents held
 * 2.29 GB. Only accepted documents get in, so a caller sending distinct refused documents fills
 * nothing; each refused one is parsed again if sent again, which its rate token pays for.
 */
export class DocumentCache {
  // undefined when DOCUMENT_CACHE_BYTES is 0: every document is parsed for each operation.
  private readonly documents: LRUCache<string, DocumentNode> | undefined;

  constructor(maxBytes: number) {
    this.documents =
      maxBytes > 0
        ? new LRUCache<string, DocumentNode>({
            maxSize: maxBytes,
            // The key is the document's own source text, counted in documentBytes.
            sizeCalculation: (document) => Math.max(1, documentBytes(document)),
          })
        : undefined;
  }

  /** The accepted document for a text seen before. */
  get(text: string): DocumentNode | undefined {
    return this.documents?.get(text);
  }

  /** Keeps a document that passed every check; one larger than the whole budget is not kept. */
  remember(text: string, document: DocumentNode): void {
    this.documents?.set(text, document);
  }

  /** Estimated bytes held (documentBytes of every entry), at most DOCUMENT_CACHE_BYTES. */
  get bytes(): number {
    return this.documents?.calculatedSize ?? 0;
  }
}
