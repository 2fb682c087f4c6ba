import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { partialListError } from '../reported-errors.js';
import { canAccessFirewall } from '../auth/principal.js';
import { mayKnowSource } from '../auth/source-access.js';
import type { ListSource } from '../auth/source-access.js';
import { targetKey } from '../aws/routing.js';
import type { Target } from '../aws/routing.js';
import type { GatewayContext } from '../context.js';
import { mapAwsError } from '../errors.js';
import type { Connection, FirewallModel } from '../model.js';
import { MAX_PAGE_SIZE, paginate } from '../pagination.js';

/** Where a `firewalls` page token points: a source (index into the targets) and its NextToken. */
interface SourceToken {
  i: number;
  t: string | null;
}

/**
 * One list over several ListFirewalls sources, one per (region, account). Each source fails
 * alone: its error is reported at the field's path, and the list goes on with the next source,
 * so a caller whose firewalls live in healthy accounts still gets them. A cursor points into a
 * source that answered, so the next page never comes back to a source that failed on this one
 * (see docs/pagination.md).
 */
export function listFirewalls(
  ctx: GatewayContext,
  allTargets: Target[],
  args: { first?: number | null; after?: string | null },
  info: GraphQLResolveInfo,
): Promise<Connection<FirewallModel>> {
  // Only sources where one of the caller's patterns could match a firewall: reading the others
  // would assume roles and call ListFirewalls in accounts the caller cannot see, for nothing it
  // may read, and tell it how many sources the gateway spans (extensions.upstreamBudget.spent).
  const targets = allTargets.filter((target) =>
    mayKnowSource(ctx.principal, sourceOf(ctx, target)),
  );
  // A caller limited to some firewalls sees only those. Filtering a page changes its length, so
  // each AWS page is always read whole: then a cursor's offset into the filtered page means the
  // same item on every read. The cursor scope pins the allow-list too.
  const allowList = ctx.principal.firewalls;
  return paginate(
    ctx.cursors,
    {
      first: args.first,
      after: args.after,
      defaultFirst: 20,
      kind: 'firewalls',
      // The source list is part of the scope, so a cursor from another set-up fails.
      scope: targets.map(targetKey).join(',') + (allowList ? `#${allowList.fingerprint}` : ''),
    },
    async (token, wanted) => {
      const at = token ? (JSON.parse(token) as SourceToken) : { i: 0, t: null };
      const target = targets[at.i];
      if (!target) return { items: [], nextToken: undefined };
      const nextSource: SourceToken | undefined =
        at.i + 1 < targets.length ? { i: at.i + 1, t: null } : undefined;
      let page;
      try {
        page = await ctx.loaders.firewalls.load({
          maxResults: allowList ? MAX_PAGE_SIZE : wanted,
          target,
          ...(at.t ? { nextToken: at.t } : {}),
        });
      } catch (error) {
        ctx.reportError(sourceError(ctx, target, error, info));
        return { items: [], nextToken: nextSource && JSON.stringify(nextSource) };
      }
      const next = page.NextToken ? { i: at.i, t: page.NextToken } : nextSource;
      return {
        items: (page.Firewalls ?? [])
          .map((metadata) => ({ firewallArn: metadata.FirewallArn ?? '', metadata }))
          .filter((firewall) => canAccessFirewall(ctx.principal, firewall.firewallArn)),
        nextToken: next && JSON.stringify(next),
      };
    },
  );
}

/** The region and account a target reads, the defaults filled in. */
function sourceOf(ctx: GatewayContext, target: Target): ListSource {
  return {
    region: target.region ?? ctx.config.awsRegion ?? '',
    accountId: target.account?.accountId ?? ctx.config.defaultAccountId,
  };
}

/**
 * A failed source, named to the caller: listFirewalls reads only sources where the caller's
 * patterns could match a firewall, so it learns no account or region it could not guess.
 */
function sourceError(
  ctx: GatewayContext,
  target: Target,
  error: unknown,
  info: GraphQLResolveInfo,
): GraphQLError {
  // mapAwsError passes a GatewayError through as it is.
  const cause = mapAwsError(error, 'ListFirewalls');
  const { region, accountId } = sourceOf(ctx, target);
  const where = accountId ? `account ${accountId} in ${region}` : `${region} (default account)`;
  return partialListError(
    info,
    `The firewalls of ${where}`,
    'the firewalls of the other sources',
    cause,
    { region, ...(accountId ? { accountId } : {}) },
  );
}
