import type { AddressResolvers, FlowResolvers } from '../generated/graphql.js';

// AWS's shapes are PascalCase; these resolvers are the whole of the renaming.
export const Flow: FlowResolvers = {
  sourceAddress: (parent) => parent.SourceAddress ?? null,
  destinationAddress: (parent) => parent.DestinationAddress ?? null,
  sourcePort: (parent) => parent.SourcePort ?? null,
  destinationPort: (parent) => parent.DestinationPort ?? null,
  protocol: (parent) => parent.Protocol ?? null,
  // Typed number by the SDK, but a counter beyond 2^53 - 1 arrives as its exact decimal text
  // (src/aws/exact-integers.ts); the Long scalar writes either exactly.
  age: (parent) => parent.Age ?? null,
  packetCount: (parent) => parent.PacketCount ?? null,
  byteCount: (parent) => parent.ByteCount ?? null,
};

export const Address: AddressResolvers = {
  addressDefinition: (parent) => parent.AddressDefinition ?? '',
};
