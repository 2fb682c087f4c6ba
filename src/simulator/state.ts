import { randomUUID } from 'node:crypto';
import { parseIpOrThrow } from '../net/ip.js';
import { buildFirewalls, partialResults } from './demo-data.js';
import { InvalidRequestException, ResourceNotFoundException } from './errors.js';
import { operationMatches, toWireFlow } from './matching.js';
import type {
  Counter,
  FinalStatus,
  FirewallRecord,
  FlowOperationType,
  FlowRecord,
  FlowTable,
  OperationRecord,
} from './model.js';
import type { ResourceArn, ScopeFields, ValidatedFilters } from './validation.js';

export interface NextOutcome {
  status: FinalStatus;
  statusMessage?: string;
  /** How many subsequently started operations get this outcome; unlimited when omitted. */
  count?: number;
}

export interface StateOptions {
  seed: number;
  demoData: boolean;
  operationDelayMs: number;
  clock: () => number;
}

export interface LocatedOperation {
  firewall: FirewallRecord;
  table: FlowTable;
  operation: OperationRecord;
}

/** Flow to add to a table through the control API; addresses are bare IPs. */
export interface FlowInput {
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  protocol: number;
  ageSeconds: number;
  /** A bigint holds a counter beyond 2^53 - 1 exactly. */
  packetCount?: Counter;
  byteCount?: Counter;
}

const DEFAULT_OUTCOME: NextOutcome = { status: 'COMPLETED' };

/**
 * All firewalls, flow tables and flow operations. Firewalls live in their own (account,
 * region) partition, and a request only ever sees the partition of the region it was signed
 * for, which is how AWS behaves.
 */
export class SimulatorState {
  readonly startTime: number;
  readonly #options: StateOptions;
  #firewalls: FirewallRecord[] = [];
  #flowId = 0;
  #seq = 0;
  #outcome: NextOutcome = DEFAULT_OUTCOME;
  #closed = false;

  constructor(options: StateOptions) {
    this.#options = options;
    this.startTime = options.clock();
    this.reset();
  }

  now(): number {
    return this.#options.clock();
  }

  /** Back to the seeded demo world; the start time is kept so ages stay continuous. */
  reset(): void {
    this.#clearTimers();
    this.#flowId = 0;
    this.#seq = 0;
    this.#outcome = DEFAULT_OUTCOME;
    this.#firewalls = buildFirewalls({
      seed: this.#options.seed,
      startTime: this.startTime,
      demoData: this.#options.demoData,
      counters: { nextFlowId: () => ++this.#flowId, nextSeq: () => ++this.#seq },
    });
  }

  close(): void {
    this.#closed = true;
    this.#clearTimers();
  }

  firewalls(): readonly FirewallRecord[] {
    return this.#firewalls;
  }

  firewallsInRegion(region: string): FirewallRecord[] {
    return this.#firewalls
      .filter((f) => f.region === region)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  firewallByArn(arn: ResourceArn, signingRegion: string): FirewallRecord {
    const found =
      arn.region === signingRegion ? this.#firewalls.find((f) => f.arn === arn.arn) : undefined;
    if (!found) {
      throw new ResourceNotFoundException(
        `Firewall ${arn.arn} does not exist in region ${signingRegion}`,
      );
    }
    return found;
  }

  firewallByName(name: string, signingRegion: string): FirewallRecord {
    const found = this.firewallsInRegion(signingRegion).find((f) => f.name === name);
    if (!found) {
      throw new ResourceNotFoundException(
        `Firewall with name ${name} does not exist in region ${signingRegion}`,
      );
    }
    return found;
  }

  /** The flow table a flow operation request addresses (an AZ or a VPC endpoint association). */
  resolveTable(firewall: FirewallRecord, fields: ScopeFields): FlowTable {
    const { availabilityZone, associationArn, endpointId } = fields;
    if (
      availabilityZone !== undefined &&
      (associationArn !== undefined || endpointId !== undefined)
    ) {
      throw new InvalidRequestException(
        'Specify either AvailabilityZone or VpcEndpointAssociationArn/VpcEndpointId, not both',
      );
    }
    // One names an association's endpoint, the other any endpoint of the firewall: AWS gives the
    // pair no meaning, so it is refused even when both name the same endpoint.
    if (associationArn !== undefined && endpointId !== undefined) {
      throw new InvalidRequestException(
        'Specify either VpcEndpointAssociationArn or VpcEndpointId, not both',
      );
    }
    if (associationArn !== undefined) {
      const association = firewall.associations.find((a) => a.arn === associationArn.arn);
      if (!association) {
        throw new ResourceNotFoundException(
          `VPC endpoint association ${associationArn.arn} does not exist for firewall ${firewall.name}`,
        );
      }
      return this.#table(firewall, `assoc:${association.arn}`);
    }
    if (endpointId !== undefined) {
      const association = firewall.associations.find((a) => a.endpointId === endpointId);
      if (association) return this.#table(firewall, `assoc:${association.arn}`);
      // The firewall's own endpoint in an AZ addresses that AZ's table.
      const attachment = firewall.attachments.find((a) => a.endpointId === endpointId);
      if (attachment) return this.#table(firewall, `az:${attachment.availabilityZone}`);
      throw new ResourceNotFoundException(
        `VPC endpoint ${endpointId} is not associated with firewall ${firewall.name}`,
      );
    }
    const zones = firewall.attachments.map((a) => a.availabilityZone);
    if (availabilityZone !== undefined) {
      if (!zones.includes(availabilityZone)) {
        throw new InvalidRequestException(
          `Firewall ${firewall.name} has no endpoint in Availability Zone ${availabilityZone}; its Availability Zones are ${zones.join(', ')}`,
        );
      }
      return this.#table(firewall, `az:${availabilityZone}`);
    }
    const only = zones.length === 1 ? zones[0] : undefined;
    if (only !== undefined) return this.#table(firewall, `az:${only}`);
    throw new InvalidRequestException(
      `AvailabilityZone or VpcEndpointAssociationArn is required: firewall ${firewall.name} is in ${zones.length} Availability Zones (${zones.join(', ')})`,
    );
  }

  #table(firewall: FirewallRecord, key: string): FlowTable {
    const table = firewall.tables.get(key);
    if (!table) throw new Error(`no flow table ${key} on ${firewall.arn}`);
    return table;
  }

  operation(table: FlowTable, id: string): OperationRecord {
    const op = table.operations.get(id);
    if (!op) throw new ResourceNotFoundException(`Flow operation ${id} does not exist`);
    return op;
  }

  locateOperation(id: string): LocatedOperation | undefined {
    for (const firewall of this.#firewalls) {
      for (const table of firewall.tables.values()) {
        const operation = table.operations.get(id);
        if (operation) return { firewall, table, operation };
      }
    }
    return undefined;
  }

  setNextOutcome(outcome: NextOutcome | null): void {
    this.#outcome = outcome ? { ...outcome } : DEFAULT_OUTCOME;
  }

  #takeOutcome(): NextOutcome {
    const outcome = this.#outcome;
    if (outcome.count !== undefined) {
      const remaining = outcome.count - 1;
      this.#outcome = remaining > 0 ? { ...outcome, count: remaining } : DEFAULT_OUTCOME;
    }
    return outcome;
  }

  startOperation(
    table: FlowTable,
    type: FlowOperationType,
    minimumFlowAgeInSeconds: number,
    filters: ValidatedFilters,
  ): OperationRecord {
    const op: OperationRecord = {
      // Only new operations use a random id; all seeded data stays deterministic.
      id: randomUUID(),
      type,
      status: 'IN_PROGRESS',
      requestedAt: this.now(),
      seq: ++this.#seq,
      minimumFlowAgeInSeconds,
      filters: filters.wire,
      compiled: filters.compiled,
    };
    table.operations.set(op.id, op);
    const outcome = this.#takeOutcome();
    if (!this.#closed) {
      op.timer = setTimeout(() => {
        op.timer = undefined;
        this.completeOperation(table, op, outcome.status, outcome.statusMessage);
      }, this.#options.operationDelayMs);
      op.timer.unref();
    }
    return op;
  }

  /**
   * Runs the operation against its table now. Completing an operation that already finished
   * only changes its status and message; it is never executed twice.
   */
  completeOperation(
    table: FlowTable,
    op: OperationRecord,
    status: FinalStatus,
    statusMessage?: string,
  ): void {
    if (op.timer) {
      clearTimeout(op.timer);
      op.timer = undefined;
    }
    if (op.status === 'IN_PROGRESS') {
      const now = this.now();
      let affected: FlowRecord[] = [];
      if (status !== 'FAILED') {
        affected = table.flows.filter((f) =>
          operationMatches(op.compiled, op.minimumFlowAgeInSeconds, f, now),
        );
        if (status === 'COMPLETED_WITH_ERRORS') affected = partialResults(affected);
        if (op.type === 'FLOW_FLUSH') {
          const removed = new Set(affected.map((f) => f.id));
          table.flows = table.flows.filter((f) => !removed.has(f.id));
        }
      }
      op.results = affected.map((f) => toWireFlow(f, now));
    } else if (status === 'FAILED') {
      op.results = [];
    }
    op.status = status;
    if (statusMessage === undefined) delete op.statusMessage;
    else op.statusMessage = statusMessage;
  }

  addFlows(table: FlowTable, flows: readonly FlowInput[]): void {
    const now = this.now();
    for (const f of flows) {
      table.flows.push({
        id: ++this.#flowId,
        source: parseIpOrThrow(f.source),
        destination: parseIpOrThrow(f.destination),
        sourcePort: f.sourcePort,
        destinationPort: f.destinationPort,
        protocol: f.protocol,
        startedAt: now - f.ageSeconds * 1000,
        packetCount: f.packetCount ?? 1,
        byteCount: f.byteCount ?? 64,
      });
    }
  }

  #clearTimers(): void {
    for (const firewall of this.#firewalls) {
      for (const table of firewall.tables.values()) {
        for (const op of table.operations.values()) {
          if (op.timer) {
            clearTimeout(op.timer);
            op.timer = undefined;
          }
        }
      }
    }
  }
}
