import type {
  DescribeFlowOperationResponse,
  FlowOperationMetadata,
} from '@aws-sdk/client-network-firewall';
import type { GatewayContext } from '../context.js';
import type { FlowOperationResolvers } from '../generated/graphql.js';
import { operationCacheKey, scopeToRequest } from '../model.js';
import type { FlowOperationKey, FlowOperationModel, FlowOperationScope } from '../model.js';
import { paginate } from '../pagination.js';

export function operationModel(
  key: FlowOperationKey,
  data: DescribeFlowOperationResponse,
  complete: boolean,
): FlowOperationModel {
  return { key, data, complete };
}

/** A list item knows its id, type, status and timestamp; the rest comes from a describe. */
export function operationFromMetadata(
  scope: FlowOperationScope,
  item: FlowOperationMetadata,
): FlowOperationModel {
  return operationModel(
    { ...scope, flowOperationId: item.FlowOperationId ?? '' },
    { ...item },
    false,
  );
}

/**
 * Resolves a field from what the parent already carries, or else from the request's
 * DescribeFlowOperation loader, so that N fields on M aliases cost one call per operation.
 */
async function field<K extends keyof DescribeFlowOperationResponse>(
  parent: FlowOperationModel,
  name: K,
  ctx: GatewayContext,
): Promise<DescribeFlowOperationResponse[K]> {
  if (parent.complete || parent.data[name] !== undefined) return parent.data[name];
  const described = await ctx.loaders.flowOperation.load(parent.key);
  return described[name];
}

export const FlowOperation: FlowOperationResolvers = {
  // From the key the object was reached by, never from AWS data: the same in every source.
  id: (parent, _args, ctx) => ctx.ids.flowOperation(parent.key),
  firewallArn: (parent) => parent.key.firewallArn,
  // The scope fields echo what the caller addressed the operation by, so they cost nothing.
  availabilityZone: async (parent, _args, ctx) =>
    parent.data.AvailabilityZone ??
    parent.key.availabilityZone ??
    (parent.key.vpcEndpointId ? null : ((await field(parent, 'AvailabilityZone', ctx)) ?? null)),
  vpcEndpointId: (parent) => parent.data.VpcEndpointId ?? parent.key.vpcEndpointId ?? null,
  vpcEndpointAssociationArn: (parent) =>
    parent.data.VpcEndpointAssociationArn ?? parent.key.vpcEndpointAssociationArn ?? null,
  flowOperationId: (parent) => parent.key.flowOperationId,
  flowOperationType: async (parent, _args, ctx) =>
    (await field(parent, 'FlowOperationType', ctx)) ?? null,
  flowOperationStatus: async (parent, _args, ctx) =>
    (await field(parent, 'FlowOperationStatus', ctx)) ?? null,
  statusMessage: async (parent, _args, ctx) => {
    if (parent.complete) return parent.data.StatusMessage ?? null;
    return (await ctx.loaders.flowOperation.load(parent.key)).StatusMessage ?? null;
  },
  flowRequestTimestamp: async (parent, _args, ctx) =>
    (await field(parent, 'FlowRequestTimestamp', ctx)) ?? null,
  minimumFlowAgeInSeconds: async (parent, _args, ctx) =>
    (await field(parent, 'FlowOperation', ctx))?.MinimumFlowAgeInSeconds ?? null,
  flowFilters: async (parent, _args, ctx) =>
    (await field(parent, 'FlowOperation', ctx))?.FlowFilters ?? null,
  flows: (parent, args, ctx) => {
    const key = parent.key;
    return paginate(
      ctx.cursors,
      {
        first: args.first,
        after: args.after,
        defaultFirst: 100,
        kind: 'flows',
        scope: operationCacheKey(key),
      },
      async (token, maxResults) => {
        const page = await ctx.loaders.flowOperationResults.load({
          ...scopeToRequest(key),
          FlowOperationId: key.flowOperationId,
          MaxResults: maxResults,
          ...(token ? { NextToken: token } : {}),
        });
        return { items: page.Flows ?? [], nextToken: page.NextToken };
      },
    );
  },
};
