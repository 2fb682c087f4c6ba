/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A single IP address specification: an address or a block in CIDR notation. */
export type AddressInput = {
  /**
   * An IP address or a block of addresses in CIDR notation, IPv4 or IPv6, as AWS accepts it:
   * a bare address is that one host (`10.0.25.22` is `10.0.25.22/32`, `2001:db8::1` is
   * `2001:db8::1/128`), so a flow's address can be pasted as it is; a block is `10.0.0.0/16` or
   * `2001:db8::/64`. Host bits in a block are accepted and ignored, as Network Firewall does:
   * `10.0.0.1/16` matches `10.0.0.0/16`. At most 64 characters.
   */
  addressDefinition: string;
};

/**
 * One flow filter of a new flow operation. Set only the fields to match on: an unset field
 * matches anything.
 */
export type FlowFilterInput = {
  /** The destination address (one host) or address block (CIDR notation). */
  destinationAddress?: AddressInput | null | undefined;
  /** The destination port: one port `0`..`65535`, a range `a:b` with `a <= b`, or `ANY`. */
  destinationPort?: string | null | undefined;
  /** IANA protocol numbers `0`..`255` as strings, e.g. `["6", "17"]`. Omit to match any protocol. */
  protocols?: Array<string> | null | undefined;
  /** The source address (one host) or address block (CIDR notation). */
  sourceAddress?: AddressInput | null | undefined;
  /** The source port: one port `0`..`65535`, a range `a:b` with `a <= b`, or `ANY`. */
  sourcePort?: string | null | undefined;
};

/**
 * The status of a flow operation. Operations start `IN_PROGRESS` and end in one of the other
 * three, which are final.
 */
export type FlowOperationStatus =
  /** The operation finished; for a capture, every matching flow is in its results. */
  | 'COMPLETED'
  /** The operation finished with errors; its results may miss any number of flows. */
  | 'COMPLETED_WITH_ERRORS'
  /** The operation failed; `statusMessage` says why, and it has no flows. */
  | 'FAILED'
  /** The operation is still running. */
  | 'IN_PROGRESS';

/** The kind of a flow operation. */
export type FlowOperationType =
  /** Takes a snapshot of the matching flows in the firewall's flow table. */
  | 'FLOW_CAPTURE'
  /** Removes the matching flows from the firewall's flow table. */
  | 'FLOW_FLUSH';

/**
 * The parameters of a new flow capture or flush. Scope it to one Availability Zone of the
 * firewall (`availabilityZone`), or to one VPC endpoint association (`vpcEndpointAssociationArn`)
 * or endpoint (`vpcEndpointId`). `vpcEndpointId` and `vpcEndpointAssociationArn` together are
 * refused (`BAD_USER_INPUT`), as AWS gives the pair no meaning.
 */
export type StartFlowOperationInput = {
  /** The ID of the Availability Zone, for example `us-east-1a`. */
  availabilityZone?: string | null | undefined;
  /** The ARN of the firewall: `arn:<partition>:network-firewall:<region>:<account>:firewall/<name>`. */
  firewallArn: string;
  /** Which flows to act on: 1 to 20 filters; a flow matching any of them is in scope. */
  flowFilters: Array<FlowFilterInput>;
  /** Ignore flows younger than this many seconds (0 or more). */
  minimumFlowAgeInSeconds?: number | null | undefined;
  /** The ARN of the VPC endpoint association. */
  vpcEndpointAssociationArn?: string | null | undefined;
  /** The ID of the VPC endpoint; not with `vpcEndpointAssociationArn`. */
  vpcEndpointId?: string | null | undefined;
};

export type OperationStateFragment = {
  __typename: 'FlowOperation';
  id: string;
  flowOperationId: string;
  flowOperationType: FlowOperationType | null;
  flowOperationStatus: FlowOperationStatus | null;
  statusMessage: string | null;
};

export type WatchedOperationQueryVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  id: string | number;
}>;

export type WatchedOperationQuery = {
  __typename: 'Query';
  flowOperation: {
    __typename: 'FlowOperation';
    id: string;
    flowOperationId: string;
    flowOperationType: FlowOperationType | null;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
  } | null;
};

export type WatchedOperationsQueryVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  first?: number | null | undefined;
}>;

export type WatchedOperationsQuery = {
  __typename: 'Query';
  flowOperations: {
    __typename: 'FlowOperationConnection';
    edges: Array<{
      __typename: 'FlowOperationEdge';
      cursor: string;
      node: {
        __typename: 'FlowOperation';
        id: string;
        flowOperationId: string;
        flowOperationType: FlowOperationType | null;
        flowOperationStatus: FlowOperationStatus | null;
        statusMessage: string | null;
      };
    }>;
    pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
  } | null;
};

export type StartWatchedCaptureMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartWatchedCaptureMutation = {
  __typename: 'Mutation';
  startFlowCapture: {
    __typename: 'FlowOperation';
    id: string;
    flowOperationId: string;
    flowOperationType: FlowOperationType | null;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
  };
};

export type WatchedOperationStatusSubscriptionVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  id: string | number;
}>;

export type WatchedOperationStatusSubscription = {
  flowOperationStatusChanged: {
    __typename: 'FlowOperation';
    id: string;
    flowOperationId: string;
    flowOperationType: FlowOperationType | null;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
  };
};

export type FlowOperationQueryVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type FlowOperationQuery = {
  __typename: 'Query';
  flowOperation: {
    __typename: 'FlowOperation';
    firewallArn: string;
    availabilityZone: string | null;
    flowOperationId: string;
    flowOperationType: FlowOperationType | null;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
    flowRequestTimestamp: string | null;
    minimumFlowAgeInSeconds: number | null;
    flowFilters: Array<{
      __typename: 'FlowFilter';
      sourcePort: string | null;
      destinationPort: string | null;
      protocols: Array<string>;
      sourceAddress: { __typename: 'Address'; addressDefinition: string } | null;
      destinationAddress: { __typename: 'Address'; addressDefinition: string } | null;
    }> | null;
    flows: {
      __typename: 'FlowConnection';
      edges: Array<{
        __typename: 'FlowEdge';
        cursor: string;
        node: {
          __typename: 'Flow';
          sourcePort: string | null;
          destinationPort: string | null;
          protocol: string | null;
          age: number | string | null;
          packetCount: number | string | null;
          byteCount: number | string | null;
          sourceAddress: { __typename: 'Address'; addressDefinition: string } | null;
          destinationAddress: { __typename: 'Address'; addressDefinition: string } | null;
        };
      }>;
      pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
    } | null;
  } | null;
};

export type FlowOperationsQueryVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  type?: FlowOperationType | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type FlowOperationsQuery = {
  __typename: 'Query';
  flowOperations: {
    __typename: 'FlowOperationConnection';
    edges: Array<{
      __typename: 'FlowOperationEdge';
      cursor: string;
      node: {
        __typename: 'FlowOperation';
        flowOperationId: string;
        flowOperationType: FlowOperationType | null;
        flowOperationStatus: FlowOperationStatus | null;
        flowRequestTimestamp: string | null;
      };
    }>;
    pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
  } | null;
};

export type FirewallsQueryVariables = Exact<{ [key: string]: never }>;

export type FirewallsQuery = {
  __typename: 'Query';
  firewalls: {
    __typename: 'FirewallConnection';
    edges: Array<{
      __typename: 'FirewallEdge';
      node: {
        __typename: 'Firewall';
        firewallArn: string;
        firewallName: string | null;
        availabilityZones: Array<string> | null;
      };
    }>;
    pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
  };
};

export type StartFlowCaptureMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartFlowCaptureMutation = {
  __typename: 'Mutation';
  startFlowCapture: {
    __typename: 'FlowOperation';
    flowOperationId: string;
    flowOperationStatus: FlowOperationStatus | null;
  };
};

export type StartFlowFlushMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartFlowFlushMutation = {
  __typename: 'Mutation';
  startFlowFlush: {
    __typename: 'FlowOperation';
    flowOperationId: string;
    flowOperationStatus: FlowOperationStatus | null;
  };
};

export type FlowOperationStatusChangedSubscriptionVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  id: string | number;
}>;

export type FlowOperationStatusChangedSubscription = {
  flowOperationStatusChanged: {
    __typename: 'FlowOperation';
    flowOperationId: string;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
  };
};

export const OperationStateFragmentDoc = {
  kind: 'Document',
  definitions: [
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'OperationState' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperation' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OperationStateFragment, unknown>;
export const WatchedOperationDocument = {
  __meta__: { hash: 'sha256:dbac049ddae9c84c0ea66ea0173898b0303f4a4906714b2bdceb80014d99f2c8' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WatchedOperation' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperation' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'flowOperationId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'OperationState' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'OperationState' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperation' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WatchedOperationQuery, WatchedOperationQueryVariables>;
export const WatchedOperationsDocument = {
  __meta__: { hash: 'sha256:3cdcd16137da75345ba1ac4a7d2c338b03fb048bd6d1ff078f2ef8b0ec2851d8' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'WatchedOperations' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperations' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            {
                              kind: 'FragmentSpread',
                              name: { kind: 'Name', value: 'OperationState' },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'OperationState' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperation' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WatchedOperationsQuery, WatchedOperationsQueryVariables>;
export const StartWatchedCaptureDocument = {
  __meta__: { hash: 'sha256:115cfa05563a46991b948858d214cf1fa72428d5c662bb3eafa45ac68cfa7ae1' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StartWatchedCapture' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'StartFlowOperationInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'startFlowCapture' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'OperationState' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'OperationState' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperation' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StartWatchedCaptureMutation, StartWatchedCaptureMutationVariables>;
export const WatchedOperationStatusDocument = {
  __meta__: { hash: 'sha256:b6b3f3021a07478ca415eac356987e5fc48b575c5240cb08d172a87d37236ebe' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'WatchedOperationStatus' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperationStatusChanged' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'flowOperationId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'FragmentSpread', name: { kind: 'Name', value: 'OperationState' } },
              ],
            },
          },
        ],
      },
    },
    {
      kind: 'FragmentDefinition',
      name: { kind: 'Name', value: 'OperationState' },
      typeCondition: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperation' } },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          { kind: 'Field', name: { kind: 'Name', value: 'id' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
          { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
          { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<
  WatchedOperationStatusSubscription,
  WatchedOperationStatusSubscriptionVariables
>;
export const FlowOperationDocument = {
  __meta__: { hash: 'sha256:a9ad1d85f1fa2a2c308b23c08420b86eecaebe5073a6b5db6e5e0d3a2d36754b' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'FlowOperation' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperation' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'flowOperationId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'Field', name: { kind: 'Name', value: 'firewallArn' } },
                { kind: 'Field', name: { kind: 'Name', value: 'availabilityZone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowRequestTimestamp' } },
                { kind: 'Field', name: { kind: 'Name', value: 'minimumFlowAgeInSeconds' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'flowFilters' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'sourceAddress' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'addressDefinition' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'destinationAddress' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'addressDefinition' } },
                          ],
                        },
                      },
                      { kind: 'Field', name: { kind: 'Name', value: 'sourcePort' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'destinationPort' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'protocols' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'flows' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'first' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
                    },
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'after' },
                      value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'edges' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'node' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                                  {
                                    kind: 'Field',
                                    name: { kind: 'Name', value: 'sourceAddress' },
                                    selectionSet: {
                                      kind: 'SelectionSet',
                                      selections: [
                                        {
                                          kind: 'Field',
                                          name: { kind: 'Name', value: '__typename' },
                                        },
                                        {
                                          kind: 'Field',
                                          name: { kind: 'Name', value: 'addressDefinition' },
                                        },
                                      ],
                                    },
                                  },
                                  {
                                    kind: 'Field',
                                    name: { kind: 'Name', value: 'destinationAddress' },
                                    selectionSet: {
                                      kind: 'SelectionSet',
                                      selections: [
                                        {
                                          kind: 'Field',
                                          name: { kind: 'Name', value: '__typename' },
                                        },
                                        {
                                          kind: 'Field',
                                          name: { kind: 'Name', value: 'addressDefinition' },
                                        },
                                      ],
                                    },
                                  },
                                  { kind: 'Field', name: { kind: 'Name', value: 'sourcePort' } },
                                  {
                                    kind: 'Field',
                                    name: { kind: 'Name', value: 'destinationPort' },
                                  },
                                  { kind: 'Field', name: { kind: 'Name', value: 'protocol' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'age' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'packetCount' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'byteCount' } },
                                ],
                              },
                            },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'pageInfo' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<FlowOperationQuery, FlowOperationQueryVariables>;
export const FlowOperationsDocument = {
  __meta__: { hash: 'sha256:01b56ce89856752b2106837de2eb593819111d8e7b0ae6ab12e8cf1419525d32' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'FlowOperations' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'type' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'FlowOperationType' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperations' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'flowOperationType' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'type' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'first' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'flowOperationType' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'flowRequestTimestamp' },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<FlowOperationsQuery, FlowOperationsQueryVariables>;
export const FirewallsDocument = {
  __meta__: { hash: 'sha256:7c9f0d255135e896053553c7da96fb2f5120e35a0d8c14613b03b8dd779b97f3' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Firewalls' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'firewalls' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'first' },
                value: { kind: 'IntValue', value: '50' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'firewallArn' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'firewallName' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'availabilityZones' } },
                          ],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'pageInfo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'hasNextPage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'endCursor' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<FirewallsQuery, FirewallsQueryVariables>;
export const StartFlowCaptureDocument = {
  __meta__: { hash: 'sha256:75edcbbe3fb6eb89d865cc58a16c5ffc1ff482cb0b3ee6c972d4231c366a766d' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StartFlowCapture' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'StartFlowOperationInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'startFlowCapture' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StartFlowCaptureMutation, StartFlowCaptureMutationVariables>;
export const StartFlowFlushDocument = {
  __meta__: { hash: 'sha256:a5a6718eb3c325c42d432f2fd6aba00f701ba5dc444e46b48494ad96883fe221' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'StartFlowFlush' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'StartFlowOperationInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'startFlowFlush' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<StartFlowFlushMutation, StartFlowFlushMutationVariables>;
export const FlowOperationStatusChangedDocument = {
  __meta__: { hash: 'sha256:2db2983f76ba29ec6a70e519128ffc36f5319dbeb34083d3ee0f1b3bfdec752e' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'FlowOperationStatusChanged' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'flowOperationStatusChanged' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'firewallArn' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'arn' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availabilityZone' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'az' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'flowOperationId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: '__typename' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'flowOperationStatus' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statusMessage' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<
  FlowOperationStatusChangedSubscription,
  FlowOperationStatusChangedSubscriptionVariables
>;
