import type { Cidr, IpAddress } from '../net/ip.js';
import type { PortRange } from '../net/port.js';

export type FlowOperationType = 'FLOW_CAPTURE' | 'FLOW_FLUSH';
export type FlowOperationStatus = 'COMPLETED' | 'IN_PROGRESS' | 'FAILED' | 'COMPLETED_WITH_ERRORS';
export type FinalStatus = Exclude<FlowOperationStatus, 'IN_PROGRESS'>;

export const FINAL_STATUSES: readonly FinalStatus[] = [
  'COMPLETED',
  'FAILED',
  'COMPLETED_WITH_ERRORS',
];

/** FlowFilter exactly as it travels on the wire (SDK model shape). */
export interface WireFlowFilter {
  SourceAddress?: { AddressDefinition: string };
  DestinationAddress?: { AddressDefinition: string };
  SourcePort?: string;
  DestinationPort?: string;
  Protocols?: string[];
}

/**
 * A flow counter: a number within ±(2^53 - 1), else a bigint so that it stays exact; written to
 * the wire as a JSON number either way (exact-json.ts), as AWS writes a Long.
 */
export type Counter = number | bigint;

/** Flow exactly as it travels on the wire (SDK model shape). */
export interface WireFlow {
  SourceAddress: { AddressDefinition: string };
  DestinationAddress: { AddressDefinition: string };
  SourcePort: string;
  DestinationPort: string;
  Protocol: string;
  Age: number;
  PacketCount: Counter;
  ByteCount: Counter;
}

export interface CompiledFilter {
  source?: Cidr;
  destination?: Cidr;
  sourcePort?: PortRange;
  destinationPort?: PortRange;
  /** Absent or empty means any protocol. */
  protocols?: ReadonlySet<number>;
}

export interface FlowRecord {
  /** Unique per simulator instance; lets a flush remove exactly what it matched. */
  id: number;
  source: IpAddress;
  destination: IpAddress;
  sourcePort: number;
  destinationPort: number;
  protocol: number;
  /** Epoch ms; the flow's age is derived from it so ages keep growing with the clock. */
  startedAt: number;
  packetCount: Counter;
  byteCount: Counter;
}

export type Scope =
  | { kind: 'az'; availabilityZone: string }
  | { kind: 'association'; associationArn: string; endpointId: string };

export interface OperationRecord {
  id: string;
  type: FlowOperationType;
  status: FlowOperationStatus;
  statusMessage?: string;
  /** Epoch ms of FlowRequestTimestamp. */
  requestedAt: number;
  /** Global creation counter; breaks ties between equal timestamps when ordering. */
  seq: number;
  minimumFlowAgeInSeconds: number;
  filters: WireFlowFilter[];
  compiled: CompiledFilter[];
  /** Set at completion; undefined while IN_PROGRESS. */
  results?: WireFlow[];
  timer?: NodeJS.Timeout;
}

export interface FlowTable {
  key: string;
  scope: Scope;
  flows: FlowRecord[];
  operations: Map<string, OperationRecord>;
}

interface AzAttachment {
  availabilityZone: string;
  subnetId: string;
  endpointId: string;
}

interface VpcEndpointAssociation {
  arn: string;
  name: string;
  endpointId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
}

export interface FirewallRecord {
  name: string;
  arn: string;
  id: string;
  accountId: string;
  region: string;
  policyArn: string;
  vpcId: string;
  description: string;
  deleteProtection: boolean;
  updateToken: string;
  tags: { Key: string; Value: string }[];
  attachments: AzAttachment[];
  associations: VpcEndpointAssociation[];
  /** Keyed by scopeKey(). */
  tables: Map<string, FlowTable>;
}

export function scopeKey(scope: Scope): string {
  return scope.kind === 'az' ? `az:${scope.availabilityZone}` : `assoc:${scope.associationArn}`;
}
