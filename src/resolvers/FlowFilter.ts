import type { FlowFilterResolvers } from '../generated/graphql.js';

// AWS omits Protocols when a filter matches any protocol; GraphQL says so with an empty list.
export const FlowFilter: FlowFilterResolvers = {
  protocols: (parent) => parent.Protocols ?? [],
  sourceAddress: (parent) => parent.SourceAddress ?? null,
  destinationAddress: (parent) => parent.DestinationAddress ?? null,
  sourcePort: (parent) => parent.SourcePort ?? null,
  destinationPort: (parent) => parent.DestinationPort ?? null,
};
