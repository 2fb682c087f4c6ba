import type { FirewallArnParts } from '../aws/arn.js';
import type { GatewayContext } from '../context.js';
import { ForbiddenError } from '../errors.js';
import { canAccessFirewall } from './principal.js';
import type { Scope } from './principal.js';

/** A firewall a field names: its ARN, the argument path errors point at, and how to refuse it. */
export interface NamedFirewall {
  arn: string;
  path: string;
  /** The access refusal's text when naming the ARN would say too much (an opaque node id). */
  refusal?: string;
}

/**
 * The one authorization check, called first by every resolver that reaches AWS: the caller needs
 * `scope` (read for queries and subscriptions, write for mutations) and, when the field names a
 * firewall, an ARN of the right shape and length (else BAD_USER_INPUT), a pattern that matches
 * it, and a region and account the gateway is set up for (else FORBIDDEN, naming the setting).
 * The ARN is parsed and routed once per request (src/auth/targets.ts): its parts are returned
 * for the field's validation, and its target waits in the context for the loaders. It runs before
 * validation, loaders and the cache, so a refused call never costs an AWS call, never counts as
 * one in the metrics, nor reveals whether a cached answer exists.
 */
export function authorize(ctx: Pick<GatewayContext, 'principal'>, scope: Scope): void;
export function authorize(
  ctx: Pick<GatewayContext, 'principal' | 'targets'>,
  scope: Scope,
  firewall: NamedFirewall,
): FirewallArnParts;
export function authorize(
  ctx: Pick<GatewayContext, 'principal'> | Pick<GatewayContext, 'principal' | 'targets'>,
  scope: Scope,
  firewall?: NamedFirewall,
): FirewallArnParts | undefined {
  const principal = ctx.principal;
  if (!principal.scopes.has(scope)) {
    throw new ForbiddenError(
      scope === 'write'
        ? `${principal.id} may not start flow operations: the "write" scope is required`
        : `${principal.id} may not read: the "read" scope is required`,
      { requiredScope: scope },
    );
  }
  if (!firewall) return undefined;
  // The overloads pair a firewall with a context that has targets.
  const { targets } = ctx as Pick<GatewayContext, 'targets'>;
  // Shape and length first (AWS's 256 characters), so that no pattern ever meets arbitrary caller
  // text: a malformed ARN is the caller's error whoever asks, and names no firewall to refuse.
  const parts = targets.parts(firewall.arn, firewall.path);
  if (!canAccessFirewall(principal, firewall.arn)) {
    throw new ForbiddenError(
      firewall.refusal ?? `${principal.id} may not access firewall ${JSON.stringify(firewall.arn)}`,
      { argumentPath: firewall.path },
    );
  }
  // After the caller's own patterns: a caller refused the firewall learns nothing of the set-up.
  targets.target(firewall.arn, firewall.path);
  return parts;
}
