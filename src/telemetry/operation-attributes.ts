import type { Attributes } from '@opentelemetry/api';
import { clip } from '../observability/clip.js';

export interface OperationFacts {
  type: string;
  /** The caller's operation name, a GraphQL name (validated against the document). */
  name: string | undefined;
  /** SHA-256 of the document text: the text itself is the caller's and stays out of traces. */
  documentHash: string | undefined;
  cost: number | undefined;
}

// A GraphQL name is bounded only by the document size limit; a trace backend's index is not.
const NAME_LIMIT = 100;

/** `query FlowOperation`, the OpenTelemetry GraphQL span name (`query` when anonymous). */
export function operationSpanName(type: string, name: string | undefined): string {
  return name ? `${type} ${clip(name, NAME_LIMIT)}` : type;
}

/** The GraphQL semantic conventions' attributes, plus the gateway's cost measure. */
export function operationAttributes(facts: OperationFacts): Attributes {
  const attributes: Attributes = { 'graphql.operation.type': facts.type };
  if (facts.name) attributes['graphql.operation.name'] = clip(facts.name, NAME_LIMIT);
  if (facts.documentHash) attributes['graphql.document.hash'] = facts.documentHash;
  if (facts.cost !== undefined) attributes['graphql.operation.cost'] = facts.cost;
  return attributes;
}
