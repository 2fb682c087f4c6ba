import { cidrContains, formatIp } from '../net/ip.js';
import { portMatches } from '../net/port.js';
import type { CompiledFilter, FlowRecord, WireFlow } from './model.js';

function flowAgeSeconds(flow: FlowRecord, now: number): number {
  return Math.max(0, Math.floor((now - flow.startedAt) / 1000));
}

/** A filter matches when every field it sets matches; a field it leaves out matches anything. */
export function filterMatches(filter: CompiledFilter, flow: FlowRecord): boolean {
  if (filter.source && !cidrContains(filter.source, flow.source)) return false;
  if (filter.destination && !cidrContains(filter.destination, flow.destination)) return false;
  if (filter.sourcePort && !portMatches(filter.sourcePort, flow.sourcePort)) return false;
  if (filter.destinationPort && !portMatches(filter.destinationPort, flow.destinationPort)) {
    return false;
  }
  if (filter.protocols && filter.protocols.size > 0 && !filter.protocols.has(flow.protocol)) {
    return false;
  }
  return true;
}

/** An operation affects flows old enough that match at least one of its filters. */
export function operationMatches(
  filters: readonly CompiledFilter[],
  minimumAgeSeconds: number,
  flow: FlowRecord,
  now: number,
): boolean {
  if (flowAgeSeconds(flow, now) < minimumAgeSeconds) return false;
  return filters.some((f) => filterMatches(f, flow));
}

/**
 * Flow addresses are reported as bare addresses (a flow is between two hosts), not as /32 or
 * /128 blocks.
 */
export function toWireFlow(flow: FlowRecord, now: number): WireFlow {
  return {
    SourceAddress: { AddressDefinition: formatIp(flow.source) },
    DestinationAddress: { AddressDefinition: formatIp(flow.destination) },
    SourcePort: String(flow.sourcePort),
    DestinationPort: String(flow.destinationPort),
    Protocol: String(flow.protocol),
    Age: flowAgeSeconds(flow, now),
    PacketCount: flow.packetCount,
    ByteCount: flow.byteCount,
  };
}
