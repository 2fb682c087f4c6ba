import { parse, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';

/**
 * Parsed and validated documents shared by every websocket operation with the same text. Bots
 * subscribe with the same few documents thousands of times; without this each subscription holds
 * its own AST (several KB) for its whole life.
 */
export class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();
  private readonly validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  constructor(private readonly maxEntries = 1000) {}

  readonly parse = (source: string | { body: string }): DocumentNode => {
    const text = typeof source === 'string' ? source : source.body;
    const hit = this.documents.get(text);
    if (hit) {
      // Re-inserting keeps the Map in least-recently-used order.
      this.documents.delete(text);
      this.documents.set(text, hit);
      return hit;
    }
    const document = parse(text);
    this.documents.set(text, document);
    if (this.documents.size > this.maxEntries) {
      const oldest = this.documents.keys().next().value;
      if (oldest !== undefined) this.documents.delete(oldest);
    }
    return document;
  };

  readonly validate = (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let errors = this.validated.get(document);
    if (!errors) {
      errors = validate(schema, document);
      this.validated.set(document, errors);
    }
    return errors;
  };
}
