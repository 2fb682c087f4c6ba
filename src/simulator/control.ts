import { toWireFlow } from './matching.js';
import type {
  FinalStatus,
  FlowOperationStatus,
  FlowOperationType,
  FlowTable,
  WireFlow,
} from './model.js';
import { FINAL_STATUSES } from './model.js';
import type { FlowInput, NextOutcome, SimulatorState } from './state.js';
import { parseResourceArn } from './validation.js';

interface FirewallInfo {
  arn: string;
  name: string;
  region: string;
  accountId: string;
  availabilityZones: string[];
  vpcEndpointAssociations: { arn: string; endpointId: string; availabilityZone: string }[];
}

export interface OperationInfo {
  firewallArn: string;
  availabilityZone?: string;
  vpcEndpointAssociationArn?: string;
  vpcEndpointId?: string;
  flowOperationId: string;
  flowOperationType: FlowOperationType;
  flowOperationStatus: FlowOperationStatus;
  statusMessage?: string;
  /** Epoch ms. */
  flowRequestTimestamp: number;
}

/** Picks a flow table the same way the API does; an omitted scope works for single-AZ firewalls. */
interface ScopeSelector {
  availabilityZone?: string;
  vpcEndpointAssociationArn?: string;
  vpcEndpointId?: string;
}

export interface SimulatorControl {
  /** Finishes an operation now (default COMPLETED) instead of waiting for operationDelayMs. */
  completeOperation(flowOperationId: string, status?: FinalStatus, statusMessage?: string): void;
  setStatusMessage(flowOperationId: string, statusMessage: string | undefined): void;
  /** Outcome of operations started from now on; `null` restores the default (COMPLETED). */
  setNextOutcome(outcome: NextOutcome | null): void;
  /** Restores the seeded demo state (firewalls, flow tables, operation history). */
  reset(): void;
  firewalls(): FirewallInfo[];
  /** Every operation, newest first, optionally for one firewall. */
  operations(firewallArn?: string): OperationInfo[];
  /** The live flow table of a scope, with ages as of now. */
  flows(firewallArn: string, scope?: ScopeSelector): WireFlow[];
  /** Adds flows to a table, e.g. to give `demoData: false` simulators precise content. */
  addFlows(firewallArn: string, scope: ScopeSelector | undefined, flows: FlowInput[]): void;
}

export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}

function isFinalStatus(value: unknown): value is FinalStatus {
  return typeof value === 'string' && (FINAL_STATUSES as readonly string[]).includes(value);
}

export function createControl(state: SimulatorState): SimulatorControl {
  const locate = (id: string) => {
    const found = state.locateOperation(id);
    if (!found) throw new ControlError(`flow operation ${id} does not exist`, 404);
    return found;
  };
  const table = (firewallArn: string, scope: ScopeSelector = {}): FlowTable => {
    const firewall = state.firewalls().find((f) => f.arn === firewallArn);
    if (!firewall) throw new ControlError(`firewall ${firewallArn} does not exist`, 404);
    return state.resolveTable(firewall, {
      availabilityZone: scope.availabilityZone,
      endpointId: scope.vpcEndpointId,
      associationArn:
        scope.vpcEndpointAssociationArn === undefined
          ? undefined
          : parseResourceArn(
              scope.vpcEndpointAssociationArn,
              'vpcEndpointAssociationArn',
              'vpc-endpoint-association',
            ),
    });
  };

  return {
    completeOperation(id, status = 'COMPLETED', statusMessage) {
      if (!isFinalStatus(status)) {
        throw new ControlError(`status must be one of ${FINAL_STATUSES.join(', ')}`, 400);
      }
      const { table: t, operation } = locate(id);
      state.completeOperation(t, operation, status, statusMessage);
    },
    setStatusMessage(id, statusMessage) {
      const { operation } = locate(id);
      if (statusMessage === undefined) delete operation.statusMessage;
      else operation.statusMessage = statusMessage;
    },
    setNextOutcome(outcome) {
      if (outcome !== null && !isFinalStatus(outcome.status)) {
        throw new ControlError(`status must be one of ${FINAL_STATUSES.join(', ')}`, 400);
      }
      state.setNextOutcome(outcome);
    },
    reset() {
      state.reset();
    },
    firewalls() {
      return state.firewalls().map((f) => ({
        arn: f.arn,
        name: f.name,
        region: f.region,
        accountId: f.accountId,
        availabilityZones: f.attachments.map((a) => a.availabilityZone),
        vpcEndpointAssociations: f.associations.map((a) => ({
          arn: a.arn,
          endpointId: a.endpointId,
          availabilityZone: a.availabilityZone,
        })),
      }));
    },
    operations(firewallArn) {
      const out: { info: OperationInfo; seq: number }[] = [];
      for (const firewall of state.firewalls()) {
        if (firewallArn !== undefined && firewall.arn !== firewallArn) continue;
        for (const t of firewall.tables.values()) {
          for (const op of t.operations.values()) {
            const info: OperationInfo = {
              firewallArn: firewall.arn,
              ...(t.scope.kind === 'az'
                ? { availabilityZone: t.scope.availabilityZone }
                : {
                    vpcEndpointAssociationArn: t.scope.associationArn,
                    vpcEndpointId: t.scope.endpointId,
                  }),
              flowOperationId: op.id,
              flowOperationType: op.type,
              flowOperationStatus: op.status,
              ...(op.statusMessage === undefined ? {} : { statusMessage: op.statusMessage }),
              flowRequestTimestamp: op.requestedAt,
            };
            out.push({ info, seq: op.seq });
          }
        }
      }
      return out
        .sort((a, b) => b.info.flowRequestTimestamp - a.info.flowRequestTimestamp || b.seq - a.seq)
        .map((o) => o.info);
    },
    flows(firewallArn, scope) {
      const now = state.now();
      return table(firewallArn, scope).flows.map((f) => toWireFlow(f, now));
    },
    addFlows(firewallArn, scope, flows) {
      state.addFlows(table(firewallArn, scope), flows);
    },
  };
}
