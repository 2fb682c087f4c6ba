import { authorize } from '../auth/authorize.js';
import type { FirewallResolvers } from '../generated/graphql.js';
import { validateScope } from '../validation/inputs.js';
import { firewallZones, listFirewallOperations } from './firewall-operations.js';
import { listFlowOperations } from './Query.js';

export const Firewall: FirewallResolvers = {
  id: (parent, _args, ctx) => ctx.ids.firewall(parent.firewallArn),
  firewallArn: (parent) => parent.firewallArn,
  // Read from the request's parse of the ARN (src/auth/targets.ts), not parsed again per field.
  region: (parent, _args, ctx) => ctx.targets.parts(parent.firewallArn, 'firewallArn').region,
  accountId: (parent, _args, ctx) => ctx.targets.parts(parent.firewallArn, 'firewallArn').accountId,
  firewallName: async (parent, _args, ctx) =>
    parent.metadata.FirewallName ??
    (await ctx.loaders.firewall.load(parent.firewallArn)).Firewall?.FirewallName ??
    null,
  availabilityZones: async (parent, _args, ctx) =>
    firewallZones(await ctx.loaders.firewall.load(parent.firewallArn)),
  status: async (parent, _args, ctx) =>
    (await ctx.loaders.firewall.load(parent.firewallArn)).FirewallStatus?.Status ?? null,
  vpcId: async (parent, _args, ctx) =>
    (await ctx.loaders.firewall.load(parent.firewallArn)).Firewall?.VpcId ?? null,
  description: async (parent, _args, ctx) =>
    (await ctx.loaders.firewall.load(parent.firewallArn)).Firewall?.Description ?? null,
  flowOperations: (parent, args, ctx, info) => {
    // The parent came from an authorized field; checked again so no path reaches an unowned firewall.
    const firewall = authorize(ctx, 'read', { arn: parent.firewallArn, path: 'firewallArn' });
    if (
      args.availabilityZone == null &&
      args.vpcEndpointId == null &&
      args.vpcEndpointAssociationArn == null
    ) {
      // No scope: every zone of the firewall, merged newest first.
      return listFirewallOperations(ctx, parent.firewallArn, args, info);
    }
    return listFlowOperations(
      ctx,
      validateScope({ ...args, firewallArn: parent.firewallArn }, '', firewall),
      args,
    );
  },
};
