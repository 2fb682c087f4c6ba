import type { FlowOperationModel } from '../model.js';
import { scopeCacheKey, scopeToRequest } from '../model.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { authorize } from '../auth/authorize.js';
import { canAccessFirewall } from '../auth/principal.js';
import { REGION } from '../aws/arn.js';
import { targetKey } from '../aws/routing.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { MAX_PAGE_SIZE, paginate } from '../pagination.js';
import {
  invalid,
  validateFirewallArn,
  validateOperationKey,
  validateScope,
} from '../validation/inputs.js';
import type { GatewayContext } from '../context.js';
import type { FlowOperationScope } from '../model.js';
import type { FlowOperationType } from '../generated/graphql.js';
import type { Connection } from '../model.js';
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
      const page = await ctx.loaders.flowOperations.load({
        ...scopeToRequest(scope),
        MaxResults: maxResults,
        ...(type ? { FlowOperationType: type } : {}),
        ...(token ? { NextToken: token } : {}),
      });
      return {
        items: (page.FlowOperations ?? []).map((item) => operationFromMetadata(scope, item)),
        nextToken: page.NextToken,
      };
    },
  );
}

export const Query: QueryResolvers = {
  flowOperation: async (_parent, args, ctx) => {
    authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    const key = validateOperationKey(args);
    const data = await ctx.loaders.flowOperation.load(key);
    return operationModel(key, data, true);
  },

  flowOperations: (_parent, args, ctx) => {
    authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    return listFlowOperations(ctx, validateScope(args), args);
  },

  firewalls: (_parent, args, ctx) => {
    authorize(ctx, 'read');
    const region = args.region ?? undefined;
    if (region !== undefined && !REGION.test(region)) {
      throw invalid(
        'region',
        `is not a region name such as eu-west-1, got ${JSON.stringify(clip(region, 64))}`,
      );
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
    // A caller limited to some firewalls sees only those. Filtering a page changes its length, so
    // each AWS page is always read whole: then a cursor's offset into the filtered page means the
    // same item on every read. The cursor scope pins the allow-list too.
    const allowList = ctx.principal.firewalls;
    // One list over several ListFirewalls sources: the page token names the source and its own
    // NextToken, and the cursor scope pins the source list, so a cursor from another set-up fails.
    return paginate(
      ctx.cursors,
      {
        first: args.first,
        after: args.after,
        defaultFirst: 20,
        kind: 'firewalls',
        scope: targets.map(targetKey).join(',') + (allowList ? `#${allowList.fingerprint}` : ''),
      },
      async (token, wanted) => {
        const maxResults = allowList ? MAX_PAGE_SIZE : wanted;
        const at = token
          ? (JSON.parse(token) as { i: number; t: string | null })
          : { i: 0, t: null };
        const target = targets[at.i];
        if (!target) return { items: [], nextToken: undefined };
        const page = await ctx.loaders.firewalls.load({
          maxResults,
          target,
          ...(at.t ? { nextToken: at.t } : {}),
        });
        const next = page.NextToken
          ? { i: at.i, t: page.NextToken }
          : at.i + 1 < targets.length
            ? { i: at.i + 1, t: null }
            : undefined;
        return {
          items: (page.Firewalls ?? [])
            .map((metadata) => ({ firewallArn: metadata.FirewallArn ?? '', metadata }))
            .filter((firewall) => canAccessFirewall(ctx.principal, firewall.firewallArn)),
          nextToken: next && JSON.stringify(next),
        };
      },
    );
  },

  firewall: async (_parent, args, ctx) => {
    authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
    validateFirewallArn(args.firewallArn, 'firewallArn');
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
