import type { GatewayContext } from '../context.js';
import { ForbiddenError } from '../errors.js';
import { validateFirewallArn } from '../validation/inputs.js';
import { canAccessFirewall } from './principal.js';
import type { Scope } from './principal.js';

/**
 * The one authorization check, called first by every resolver that reaches AWS: the caller needs
 * `scope` (read for queries and subscriptions, write for mutations) and, when the field names a
 * firewall, an ARN of the right shape and length (else BAD_USER_INPUT) and a pattern that matches
 * it. It runs before validation, loaders and the cache, so a
 * refused call never costs an AWS call nor reveals whether a cached answer exists.
 */
export function authorize(
  ctx: Pick<GatewayContext, 'principal'>,
  scope: Scope,
  firewall?: { arn: string; path: string },
): void {
  const principal = ctx.principal;
  if (!principal.scopes.has(scope)) {
    throw new ForbiddenError(
      scope === 'write'
        ? `${principal.id} may not start flow operations: the "write" scope is required`
        : `${principal.id} may not read: the "read" scope is required`,
      { requiredScope: scope },
    );
  }
  if (!firewall) return;
  // Shape and length first (AWS's 256 characters), so that no pattern ever meets arbitrary caller
  // text: a malformed ARN is the caller's error whoever asks, and names no firewall to refuse.
  validateFirewallArn(firewall.arn, firewall.path);
  if (!canAccessFirewall(principal, firewall.arn)) {
    throw new ForbiddenError(
      `${principal.id} may not access firewall ${JSON.stringify(firewall.arn)}`,
      { argumentPath: firewall.path },
    );
  }
}
