import type { AddressResolvers, FlowResolvers } from '../generated/graphql.js';

// AWS's shapes are PascalCase; these resolvers are the whole of the renaming.
export const Flow: FlowResolvers = {
  sourceAddress: (parent) => parent.SourceAddress ?? null,
  destinationAddress: (parent) => parent.DestinationAddress ?? null,
  sourcePort: (parent) => parent.SourcePort ?? null,
  destinationPort: (parent) => parent.DestinationPort ?? null,
  protocol: (parent) => parent.Protocol ?? null,
  age: (parent) => parent.Age ?? null,
  packetCount: (parent) => parent.PacketCount ?? null,
  byteCount: (parent) => parent.ByteCount ?? null,
};

export const Address: AddressResolvers = {
  addressDefinition: (parent) => parent.AddressDefinition ?? '',
};
