import { authorize } from '../auth/authorize.js';
import type { GatewayContext } from '../context.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { NodeResolvers, QueryResolvers } from '../generated/graphql.js';
import type { FirewallModel, FlowOperationModel } from '../model.js';
import { operationModel } from './FlowOperation.js';

/** Bounds `nodes`: each id may cost an AWS call, and the query cost counts them. */
export const MAX_NODE_IDS = 100;

/**
 * One id, loaded through the request's loaders (so ids of the same object, or an id and a field
 * asking for the same object, share one AWS call) after the same `authorize` check every other
 * read makes. The id is opened first: a forged one costs nothing and reaches no pattern.
 */
async function loadNode(
  ctx: GatewayContext,
  id: string,
  path: string,
): Promise<FirewallModel | FlowOperationModel> {
  const target = ctx.ids.decode(id, path);
  const firewallArn = target.type === 'Firewall' ? target.firewallArn : target.key.firewallArn;
  authorize(ctx, 'read', {
    arn: firewallArn,
    path,
    // The usual refusal names the firewall; here the caller only holds an opaque id, and must
    // not learn from it what it names.
    refusal: `${ctx.principal.id} may not read the object ${path} names`,
  });
  if (target.type === 'FlowOperation') {
    return operationModel(target.key, await ctx.loaders.flowOperation.load(target.key), true);
  }
  const described = await ctx.loaders.firewall.load(firewallArn);
  if (!described.Firewall) {
    throw new NotFoundError(`The firewall ${path} names no longer exists`, { argumentPath: path });
  }
  return {
    firewallArn,
    metadata: { FirewallArn: firewallArn, FirewallName: described.Firewall.FirewallName },
  };
}

export const NodeQuery: Pick<QueryResolvers, 'node' | 'nodes'> = {
  node: (_parent, args, ctx) => loadNode(ctx, args.id, 'id'),
  // Each id resolves on its own: one that fails is null with its error at its index.
  nodes: (_parent, args, ctx) => {
    if (args.ids.length > MAX_NODE_IDS) {
      throw new BadUserInputError(
        `ids holds ${args.ids.length} ids; at most ${MAX_NODE_IDS} are allowed`,
        { argumentPath: 'ids' },
      );
    }
    return args.ids.map((id, i) => loadNode(ctx, id, `ids[${i}]`));
  },
};

export const Node: NodeResolvers = {
  // A flow operation's model carries its key; a firewall's model has none.
  __resolveType: (parent) => ('key' in parent ? 'FlowOperation' : 'Firewall'),
};
