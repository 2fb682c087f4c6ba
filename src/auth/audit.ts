import type { GatewayContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { StartFlowOperationInput } from '../generated/graphql.js';
import type { Logger } from '../logger.js';
import type { FlowOperationModel } from '../model.js';

/** The audit trail: its own child logger, at info even when LOG_LEVEL is warn or error. */
export function auditLogger(logger: Logger): Logger {
  return logger.child({ audit: true }, { level: logger.level === 'silent' ? 'silent' : 'info' });
}

function clip(value: string | null | undefined): string | null {
  if (value == null) return null;
  return value.length > 300 ? `${value.slice(0, 300)}…` : value;
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
    availabilityZone: clip(input.availabilityZone),
    vpcEndpointId: clip(input.vpcEndpointId),
    vpcEndpointAssociationArn: clip(input.vpcEndpointAssociationArn),
    minimumFlowAgeInSeconds: input.minimumFlowAgeInSeconds ?? null,
    // At most AWS's 20; an oversized list is refused anyway, and must not bloat the trail.
    flowFilters: input.flowFilters.slice(0, 20),
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
        error: (error as Error).message,
      },
      `${action} refused or failed`,
    );
    throw error;
  } finally {
    settle();
  }
}
