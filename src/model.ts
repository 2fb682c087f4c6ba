import type {
  DescribeFlowOperationResponse,
  FirewallMetadata,
  FlowOperationType,
  ListFlowOperationsRequest,
} from '@aws-sdk/client-network-firewall';

/** Where a flow operation lives: one Availability Zone of a firewall, or one VPC endpoint association. */
export interface FlowOperationScope {
  firewallArn: string;
  availabilityZone?: string | null;
  vpcEndpointId?: string | null;
  vpcEndpointAssociationArn?: string | null;
}

export interface FlowOperationKey extends FlowOperationScope {
  flowOperationId: string;
}

/**
 * The parent value of every `FlowOperation` field. `data` holds what the source of this object
 * already knows in AWS's own shape; when `complete` is false (list items, start results), a
 * field that `data` lacks is loaded with DescribeFlowOperation through the request's DataLoader.
 */
export interface FlowOperationModel {
  key: FlowOperationKey;
  data: DescribeFlowOperationResponse;
  complete: boolean;
}

export interface FirewallModel {
  firewallArn: string;
  metadata: FirewallMetadata;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: {
    /** A promise only for `first: 0`, where it costs AWS calls that a query may not need. */
    hasNextPage: boolean | Promise<boolean>;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'FAILED',
  'COMPLETED_WITH_ERRORS',
]);

/** A stable string for a scope or key, for DataLoader cache keys and poller maps. */
export function scopeCacheKey(scope: FlowOperationScope): string {
  return JSON.stringify([
    scope.firewallArn,
    scope.availabilityZone ?? null,
    scope.vpcEndpointId ?? null,
    scope.vpcEndpointAssociationArn ?? null,
  ]);
}

export function operationCacheKey(key: FlowOperationKey): string {
  return `${scopeCacheKey(key)}#${key.flowOperationId}`;
}

/** The scope in AWS's request shape; absent parts are left out rather than sent as null. */
export function scopeToRequest(scope: FlowOperationScope): {
  FirewallArn: string;
  AvailabilityZone?: string;
  VpcEndpointId?: string;
  VpcEndpointAssociationArn?: string;
} {
  return {
    FirewallArn: scope.firewallArn,
    ...(scope.availabilityZone ? { AvailabilityZone: scope.availabilityZone } : {}),
    ...(scope.vpcEndpointId ? { VpcEndpointId: scope.vpcEndpointId } : {}),
    ...(scope.vpcEndpointAssociationArn
      ? { VpcEndpointAssociationArn: scope.vpcEndpointAssociationArn }
      : {}),
  };
}

/** A ListFlowOperations page of a scope, optionally of one type, from a page's token. */
export function flowOperationsRequest(
  scope: FlowOperationScope,
  type: FlowOperationType | undefined,
  token: string | null | undefined,
  maxResults: number,
): ListFlowOperationsRequest {
  return {
    ...scopeToRequest(scope),
    MaxResults: maxResults,
    ...(type ? { FlowOperationType: type } : {}),
    ...(token ? { NextToken: token } : {}),
  };
}
