import { parse, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { LruCache } from '../lru.js';

/**
 * Parsed and validated documents shared by every websocket operation with the same text. Bots
 * subscribe with the same few documents thousands of times; without this each subscription holds
 * its own AST (several KB) for its whole life.
 */
export class DocumentCache {
  private readonly documents: LruCache<DocumentNode>;
  private readonly validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  constructor(maxEntries = 1000) {
    this.documents = new LruCache(maxEntries);
  }

  /** The parsed document for a text seen before, without parsing. */
  get(text: string): DocumentNode | undefined {
    return this.documents.get(text);
  }

  parse(text: string): DocumentNode {
    let document = this.documents.get(text);
    if (!document) {
      document = parse(text);
      this.documents.set(text, document, Infinity);
    }
    return document;
  }

  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
    let errors = this.validated.get(document);
    if (!errors) {
      errors = validate(schema, document);
      this.validated.set(document, errors);
    }
    return errors;
  }
}
