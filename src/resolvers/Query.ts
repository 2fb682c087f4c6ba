import type { FlowOperationModel } from '../model.js';
import { flowOperationsRequest, scopeCacheKey } from '../model.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { authorize } from '../auth/authorize.js';
import { mayKnowSource } from '../auth/source-access.js';
import { REGION } from '../aws/arn.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { paginate } from '../pagination.js';
import { invalid, validateOperationKey, validateScope } from '../validation/inputs.js';
import type { GatewayContext } from '../context.js';
import type { FlowOperationScope } from '../model.js';
import type { FlowOperationType } from '../generated/graphql.js';
import type { Connection } from '../model.js';
import { listFirewalls } from './firewalls.js';
import { operationFromMetadata, operationModel } from './FlowOperation.js';
import { clip } from '../observability/clip.js';

export function listFlowOperations(
  ctx: GatewayContext,
  scope: FlowOperationScope,
  args: {
    flowOperationType?: FlowOperationType | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Connection<FlowOperationModel>> {
  const type = args.flowOperationType ?? undefined;
  return paginate(
    ctx.cursors,
    {
      first: args.first,
      after: args.after,
      defaultFirst: 20,
      kind: 'flowOperations',
      scope: `${scopeCacheKey(scope)}#${type ?? ''}`,
    },
    async (token, maxResults) => {
      const page = await ctx.loaders.flowOperations.load(
        flowOperationsRequest(scope, type, token, maxResults),
      );
      return {
        items: (page.FlowOperations ?? []).map((item) => operationFromMetadata(scope, item)),
        nextToken: page.NextToken,
      };
    },
  );
}

export const Query: QueryResolvers = {
  flowOperation: async (_parent, args, ctx) => {
    const firewall = authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    const key = validateOperationKey(args, firewall);
    const data = await ctx.loaders.flowOperation.load(key);
    return operationModel(key, data, true);
  },

  flowOperations: (_parent, args, ctx) => {
    const firewall = authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    return listFlowOperations(ctx, validateScope(args, '', firewall), args);
  },

  firewalls: (_parent, args, ctx, info) => {
    authorize(ctx, 'read');
    const region = args.region ?? undefined;
    if (region !== undefined && !REGION.test(region)) {
      throw invalid(
        'region',
        `is not a region name such as eu-west-1, got ${JSON.stringify(clip(region, 64))}`,
      );
    }
    // A caller none of whose patterns could match a firewall of that region learns nothing about
    // it, not even whether the gateway spans it: an empty list, without an AWS call.
    if (region !== undefined && !mayKnowSource(ctx.principal, { region, accountId: undefined })) {
      return listFirewalls(ctx, [], args, info);
    }
    const targets = ctx.router.listTargets(region);
    if (targets.length === 0) {
      throw new ForbiddenError(
        `Region ${clip(region ?? '', 64)} is not configured: add it to NFW_REGIONS`,
        {
          argumentPath: 'region',
        },
      );
    }
    return listFirewalls(ctx, targets, args, info);
  },

  firewall: async (_parent, args, ctx) => {
    authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    const described = await ctx.loaders.firewall.load(args.firewallArn);
    if (!described.Firewall) throw new NotFoundError(`Firewall ${args.firewallArn} not found`);
    return {
      firewallArn: args.firewallArn,
      metadata: {
        FirewallArn: args.firewallArn,
        FirewallName: described.Firewall.FirewallName,
      },
    };
  },
};
