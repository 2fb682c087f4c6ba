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
  flowOperation: {
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
  flowOperations: {
    edges: Array<{
      cursor: string;
      node: {
        id: string;
        flowOperationId: string;
        flowOperationType: FlowOperationType | null;
        flowOperationStatus: FlowOperationStatus | null;
        statusMessage: string | null;
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
};

export type StartWatchedCaptureMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartWatchedCaptureMutation = {
  startFlowCapture: {
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
  flowOperation: {
    firewallArn: string;
    availabilityZone: string | null;
    flowOperationId: string;
    flowOperationType: FlowOperationType | null;
    flowOperationStatus: FlowOperationStatus | null;
    statusMessage: string | null;
    flowRequestTimestamp: string | null;
    minimumFlowAgeInSeconds: number | null;
    flowFilters: Array<{
      sourcePort: string | null;
      destinationPort: string | null;
      protocols: Array<string>;
      sourceAddress: { addressDefinition: string } | null;
      destinationAddress: { addressDefinition: string } | null;
    }> | null;
    flows: {
      edges: Array<{
        cursor: string;
        node: {
          sourcePort: string | null;
          destinationPort: string | null;
          protocol: string | null;
          age: number | string | null;
          packetCount: number | string | null;
          byteCount: number | string | null;
          sourceAddress: { addressDefinition: string } | null;
          destinationAddress: { addressDefinition: string } | null;
        };
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
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
  flowOperations: {
    edges: Array<{
      cursor: string;
      node: {
        flowOperationId: string;
        flowOperationType: FlowOperationType | null;
        flowOperationStatus: FlowOperationStatus | null;
        flowRequestTimestamp: string | null;
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
};

export type FirewallsQueryVariables = Exact<{ [key: string]: never }>;

export type FirewallsQuery = {
  firewalls: {
    edges: Array<{
      node: {
        firewallArn: string;
        firewallName: string | null;
        availabilityZones: Array<string> | null;
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export type StartFlowCaptureMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartFlowCaptureMutation = {
  startFlowCapture: { flowOperationId: string; flowOperationStatus: FlowOperationStatus | null };
};

export type StartFlowFlushMutationVariables = Exact<{
  input: StartFlowOperationInput;
}>;

export type StartFlowFlushMutation = {
  startFlowFlush: { flowOperationId: string; flowOperationStatus: FlowOperationStatus | null };
};

export type FlowOperationStatusChangedSubscriptionVariables = Exact<{
  arn: string;
  az?: string | null | undefined;
  id: string | number;
}>;

export type FlowOperationStatusChangedSubscription = {
  flowOperationStatusChanged: {
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
  __meta__: { hash: 'sha256:b0f97a6789995789ed505603676fba814afb975393416f5dfaaeda3d0ee911c6' },
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
  __meta__: { hash: 'sha256:2f7c2f59bcad9bdf03147525a712bc27a33f03b8d4c42f20f4841bd482a1fc82' },
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
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
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
  __meta__: { hash: 'sha256:32f34b242df5f5440d24556df6d18fe53e727d0ce97cfb4d634b9efcf5c8add3' },
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
  __meta__: { hash: 'sha256:073f69be1ec8e6e7d35ed2ce82acd6dda56ff8998187537e16798e094734863b' },
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
  __meta__: { hash: 'sha256:fbe37003c582d5bc887536571458b19bbc73e53f09e02266fc0627cbf59ab57f' },
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
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'sourceAddress' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
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
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'edges' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'node' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  {
                                    kind: 'Field',
                                    name: { kind: 'Name', value: 'sourceAddress' },
                                    selectionSet: {
                                      kind: 'SelectionSet',
                                      selections: [
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
  __meta__: { hash: 'sha256:f338b53136b202f336da18843cff5f64b5f48f57d45629a5668d0e47b5352a5e' },
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
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'cursor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
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
  __meta__: { hash: 'sha256:ae55ed8a9ed2bdb18a81bc9049250d048f1f4ed144e0f175466ddb72eea181fd' },
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Firewalls' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
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
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'edges' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'node' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
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
  __meta__: { hash: 'sha256:f7c8655c572ebefcc5c37fddea2c757a8f3c9caa5bf507add5c3afe8887b353a' },
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
  __meta__: { hash: 'sha256:23fffc746a08ed09c3b8a987bcdb1ba81bc26b283f1a53126ff365af3945c859' },
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
  __meta__: { hash: 'sha256:888292d03804c1d4afbd46ba434f04872f6db37b1b06b01fc2b59a6d761339f1' },
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
