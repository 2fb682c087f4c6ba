import { authorize } from '../auth/authorize.js';
import type { GatewayContext } from '../context.js';
import { BadUserInputError, ForbiddenError } from '../errors.js';
import type { FirewallModel, FlowOperationKey, FlowOperationModel } from '../model.js';
import { operationModel } from '../resolvers/FlowOperation.js';
import { validateOperationKey } from '../validation/inputs.js';

/**
 * Above this many representations in one `_entities` call the request is refused before anything
 * runs: each may cost a DescribeFlowOperation, and the query cost counts them one by one up to
 * here (src/limits/query-cost.ts). Routers split bigger batches when told to (docs/federation.md).
 */
export const MAX_REPRESENTATIONS = 1000;

/** The argument every error of a representation names: a router sends them as one list. */
const PATH = 'representations';

/** A representation is caller data like any argument: only strings (or null) reach validation. */
function textField(representation: Record<string, unknown>, name: string): string | undefined {
  const value = representation[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new BadUserInputError(`${PATH}: ${name} must be a string`, {
      argumentPath: `${PATH}.${name}`,
    });
  }
  return value;
}

/** The operation a representation names: by the gateway's global id, else by its natural key. */
function operationKey(
  ctx: GatewayContext,
  representation: Record<string, unknown>,
): FlowOperationKey {
  const id = textField(representation, 'id');
  if (id !== undefined) {
    const target = ctx.ids.decode(id, `${PATH}.id`);
    if (target.type !== 'FlowOperation') {
      throw new BadUserInputError(`${PATH}.id is not the id of a flow operation`, {
        argumentPath: `${PATH}.id`,
      });
    }
    return target.key;
  }
  return validateOperationKey({
    firewallArn: textField(representation, 'firewallArn') ?? '',
    availabilityZone: textField(representation, 'availabilityZone'),
    vpcEndpointId: textField(representation, 'vpcEndpointId'),
    vpcEndpointAssociationArn: textField(representation, 'vpcEndpointAssociationArn'),
    flowOperationId: textField(representation, 'flowOperationId') ?? '',
  });
}

/**
 * The same `authorize` check as every other read, before any AWS call. A representation by id
 * holds an opaque id: the refusal does not tell the caller which firewall it names.
 */
function authorizeRead(ctx: GatewayContext, firewallArn: string, byId: boolean): void {
  try {
    authorize(ctx, 'read', { arn: firewallArn, path: `${PATH}.firewallArn` });
  } catch (error) {
    if (byId && error instanceof ForbiddenError && ctx.principal.scopes.has('read')) {
      throw new ForbiddenError(`${ctx.principal.id} may not read the object ${PATH}.id names`, {
        argumentPath: `${PATH}.id`,
      });
    }
    throw error;
  }
}

/**
 * `FlowOperation.__resolveReference`: through the request's DescribeFlowOperation loader, so a
 * batch of representations naming the same operations (or fields of the same query asking for
 * them) costs one call per operation.
 */
export async function resolveFlowOperationReference(
  representation: Record<string, unknown>,
  ctx: GatewayContext,
): Promise<FlowOperationModel> {
  const key = operationKey(ctx, representation);
  authorizeRead(ctx, key.firewallArn, representation.id !== undefined);
  return operationModel(key, await ctx.loaders.flowOperation.load(key), true);
}

/**
 * `Firewall.__resolveReference`: a stub by ARN costs no AWS call; the fields asked of it load
 * through the DescribeFirewall loader like those of `firewall(firewallArn:)`.
 */
// Async although nothing is awaited: @apollo/subgraph maps the representations synchronously, so
// a throw here would fail the whole `_entities` list and leave the other items' promises rejected
// unhandled; a rejection is this representation's own null and error.
export async function resolveFirewallReference(
  representation: Record<string, unknown>,
  ctx: GatewayContext,
): Promise<FirewallModel> {
  const firewallArn = textField(representation, 'firewallArn') ?? '';
  authorizeRead(ctx, firewallArn, false);
  return { firewallArn, metadata: { FirewallArn: firewallArn } };
}
