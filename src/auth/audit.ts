import type { GatewayContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { StartFlowOperationInput } from '../generated/graphql.js';
import type { Logger } from '../logger.js';
import type { FlowOperationModel } from '../model.js';
import { clip, clipDeep, clipOptional } from '../observability/clip.js';

// A filter's fields are each at most a CIDR or a port range when valid; a refused one may be
// 50 KB. 64 characters of each keep 20 refused filters within a few KB; the logger's 8 KB line
// limit (src/observability/line-limit.ts) covers the worst case.
const FILTER_CLIP = { maxString: 64, maxDepth: 3, maxEntries: 10 };

/** The audit trail: its own child logger, at info even when LOG_LEVEL is warn or error. */
export function auditLogger(logger: Logger): Logger {
  return logger.child({ audit: true }, { level: logger.level === 'silent' ? 'silent' : 'info' });
}

/** A start's result; `reconciled` when AWS's answer was lost and the operation found by listing. */
export type AuditedStart = FlowOperationModel & { reconciled?: true };

/**
 * Runs a mutation and writes exactly one audit line for it, whatever happens: who, on which
 * firewall and zone, with which filters, and the operation id or the error code. Refusals are
 * recorded too: a caller probing firewalls it does not own is what an auditor looks for.
 */
export async function audited(
  ctx: Pick<GatewayContext, 'principal' | 'audit' | 'inFlight'>,
  action: 'startFlowCapture' | 'startFlowFlush',
  input: StartFlowOperationInput,
  run: () => Promise<AuditedStart>,
): Promise<FlowOperationModel> {
  const entry = {
    action,
    principal: { kind: ctx.principal.kind, id: ctx.principal.id },
    firewallArn: clip(input.firewallArn),
    availabilityZone: clipOptional(input.availabilityZone),
    vpcEndpointId: clipOptional(input.vpcEndpointId),
    vpcEndpointAssociationArn: clipOptional(input.vpcEndpointAssociationArn),
    minimumFlowAgeInSeconds: input.minimumFlowAgeInSeconds ?? null,
    // At most AWS's 20, each field clipped: a refused list must not bloat the trail.
    flowFilters: input.flowFilters.slice(0, 20).map((filter) => clipDeep(filter, FILTER_CLIP)),
    flowFilterCount: input.flowFilters.length,
  };
  // Until it has its line: a shutdown that cannot wait for it audits it as unknown.
  const settle = ctx.inFlight.begin(ctx.audit, action, entry);
  try {
    const result = await run();
    ctx.audit.info(
      {
        ...entry,
        outcome: 'ok',
        flowOperationId: result.key.flowOperationId,
        ...(result.reconciled ? { reconciled: true } : {}),
      },
      `${action} accepted`,
    );
    return result;
  } catch (error) {
    const extensions = (error as { extensions?: { code?: unknown; requestedAt?: unknown } })
      .extensions;
    const code = extensions?.code;
    if (code === ErrorCode.OUTCOME_UNKNOWN) {
      // Not a failure: AWS may have run it. The auditor needs the time to find it.
      ctx.audit.warn(
        { ...entry, outcome: 'unknown', requestedAt: extensions?.requestedAt },
        `${action} outcome unknown`,
      );
      throw error;
    }
    ctx.audit.warn(
      {
        ...entry,
        outcome: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
        error: clip((error as Error).message),
      },
      `${action} refused or failed`,
    );
    throw error;
  } finally {
    settle();
  }
}
