import { InvalidRequestException } from './errors.js';
import type { FirewallRecord, FlowTable, OperationRecord } from './model.js';
import type { TokenCodec } from './pagination.js';
import { pageByKey, pageByOffset } from './pagination.js';
import type { OperationName } from './protocol.js';
import { toEpochSeconds } from './protocol.js';
import type { SimulatorState } from './state.js';
import * as v from './validation.js';
import type { Input } from './validation.js';

interface OperationContext {
  state: SimulatorState;
  tokens: TokenCodec;
  /** Region of the SigV4 credential scope. */
  region: string;
  /** The account of an assumed-role caller; undefined for the simulator's default identity. */
  accountId?: string;
}

type Handler = (input: Input, ctx: OperationContext) => Record<string, unknown>;

function scopeOutput(table: FlowTable): Record<string, string> {
  return table.scope.kind === 'az'
    ? { AvailabilityZone: table.scope.availabilityZone }
    : {
        VpcEndpointAssociationArn: table.scope.associationArn,
        VpcEndpointId: table.scope.endpointId,
      };
}

function withStatusMessage(op: OperationRecord): Record<string, string> {
  return op.statusMessage === undefined ? {} : { StatusMessage: op.statusMessage };
}

function locateTable(
  input: Input,
  ctx: OperationContext,
): { firewall: FirewallRecord; table: FlowTable } {
  const arn = v.requiredFirewallArn(input);
  const scope = v.scopeFields(input);
  const firewall = ctx.state.firewallByArn(arn, ctx.region);
  return { firewall, table: ctx.state.resolveTable(firewall, scope) };
}

function startOperation(type: 'FLOW_CAPTURE' | 'FLOW_FLUSH'): Handler {
  return (input, ctx) => {
    const arn = v.requiredFirewallArn(input);
    const scope = v.scopeFields(input);
    const minimumAge = v.minimumFlowAge(input);
    const filters = v.flowFilters(input);
    const firewall = ctx.state.firewallByArn(arn, ctx.region);
    const table = ctx.state.resolveTable(firewall, scope);
    const op = ctx.state.startOperation(table, type, minimumAge, filters);
    return {
      FirewallArn: firewall.arn,
      FlowOperationId: op.id,
      FlowOperationStatus: op.status,
    };
  };
}

/** Ops are listed newest first; this key sorts them that way as strings. */
function operationKey(op: OperationRecord): string {
  return `${String(op.requestedAt).padStart(16, '0')}.${String(op.seq).padStart(10, '0')}`;
}

function bindingOf(ctx: OperationContext, operation: OperationName, ...parts: string[]): string {
  return [operation, ctx.region, ctx.accountId ?? '*', ...parts].join('\n');
}

const describeFlowOperation: Handler = (input, ctx) => {
  const id = v.requiredFlowOperationId(input);
  const { firewall, table } = locateTable(input, ctx);
  const op = ctx.state.operation(table, id);
  return {
    FirewallArn: firewall.arn,
    ...scopeOutput(table),
    FlowOperationId: op.id,
    FlowOperationType: op.type,
    FlowOperationStatus: op.status,
    ...withStatusMessage(op),
    FlowRequestTimestamp: toEpochSeconds(op.requestedAt),
    FlowOperation: {
      MinimumFlowAgeInSeconds: op.minimumFlowAgeInSeconds,
      FlowFilters: structuredClone(op.filters),
    },
  };
};

const listFlowOperations: Handler = (input, ctx) => {
  const type = v.flowOperationType(input);
  const limit = v.maxResults(input);
  const token = v.nextToken(input);
  const { firewall, table } = locateTable(input, ctx);
  const binding = bindingOf(ctx, 'ListFlowOperations', firewall.arn, table.key, type ?? '*');
  const cursor = token === undefined ? undefined : ctx.tokens.decode(binding, token);
  const all = [...table.operations.values()]
    .filter((op) => type === undefined || op.type === type)
    .sort((a, b) => (operationKey(a) < operationKey(b) ? 1 : -1));
  const page = pageByKey(all, operationKey, cursor, limit);
  return {
    FlowOperations: page.items.map((op) => ({
      FlowOperationId: op.id,
      FlowOperationType: op.type,
      FlowRequestTimestamp: toEpochSeconds(op.requestedAt),
      FlowOperationStatus: op.status,
    })),
    ...(page.nextCursor === undefined
      ? {}
      : { NextToken: ctx.tokens.encode(binding, page.nextCursor) }),
  };
};

const listFlowOperationResults: Handler = (input, ctx) => {
  const id = v.requiredFlowOperationId(input);
  const limit = v.maxResults(input);
  const token = v.nextToken(input);
  const { firewall, table } = locateTable(input, ctx);
  const op = ctx.state.operation(table, id);
  const binding = bindingOf(ctx, 'ListFlowOperationResults', firewall.arn, table.key, op.id);
  const cursor = token === undefined ? undefined : ctx.tokens.decode(binding, token);
  const base = {
    FirewallArn: firewall.arn,
    ...scopeOutput(table),
    FlowOperationId: op.id,
    FlowOperationStatus: op.status,
    ...withStatusMessage(op),
    FlowRequestTimestamp: toEpochSeconds(op.requestedAt),
  };
  // Results exist only once the operation has finished; until then only its status is known.
  if (op.results === undefined) return base;
  const page = pageByOffset(op.results, cursor, limit);
  return {
    ...base,
    Flows: structuredClone(page.items),
    ...(page.nextCursor === undefined
      ? {}
      : { NextToken: ctx.tokens.encode(binding, page.nextCursor) }),
  };
};

const listFirewalls: Handler = (input, ctx) => {
  const limit = v.maxResults(input);
  const token = v.nextToken(input);
  const vpcIds = v.vpcIds(input);
  const binding = bindingOf(ctx, 'ListFirewalls', [...(vpcIds ?? ['*'])].sort().join(','));
  const cursor = token === undefined ? undefined : ctx.tokens.decode(binding, token);
  const all = ctx.state
    .firewallsInRegion(ctx.region)
    .filter((f) => ctx.accountId === undefined || f.accountId === ctx.accountId)
    .filter((f) => vpcIds === undefined || vpcIds.includes(f.vpcId));
  const page = pageByOffset(all, cursor, limit);
  return {
    Firewalls: page.items.map((f) => ({ FirewallName: f.name, FirewallArn: f.arn })),
    ...(page.nextCursor === undefined
      ? {}
      : { NextToken: ctx.tokens.encode(binding, page.nextCursor) }),
  };
};

const describeFirewall: Handler = (input, ctx) => {
  const arnText = v.optionalString(input, 'FirewallArn');
  const name = v.firewallName(input);
  if (arnText === undefined && name === undefined) {
    throw new InvalidRequestException('You must specify the firewall ARN or the firewall name');
  }
  const firewall =
    arnText !== undefined
      ? ctx.state.firewallByArn(v.parseResourceArn(arnText, 'FirewallArn', 'firewall'), ctx.region)
      : ctx.state.firewallByName(name ?? '', ctx.region);
  if (name !== undefined && firewall.name !== name) {
    throw new InvalidRequestException(
      `FirewallName ${name} does not match the firewall identified by FirewallArn (${firewall.name})`,
    );
  }
  return describeFirewallOutput(firewall);
};

function describeFirewallOutput(firewall: FirewallRecord): Record<string, unknown> {
  return {
    UpdateToken: firewall.updateToken,
    Firewall: {
      FirewallName: firewall.name,
      FirewallArn: firewall.arn,
      FirewallPolicyArn: firewall.policyArn,
      VpcId: firewall.vpcId,
      SubnetMappings: firewall.attachments.map((a) => ({
        SubnetId: a.subnetId,
        IPAddressType: 'DUALSTACK',
      })),
      DeleteProtection: firewall.deleteProtection,
      SubnetChangeProtection: firewall.deleteProtection,
      FirewallPolicyChangeProtection: false,
      Description: firewall.description,
      FirewallId: firewall.id,
      Tags: structuredClone(firewall.tags),
      EncryptionConfiguration: { Type: 'AWS_OWNED_KMS_KEY' },
      NumberOfAssociations: firewall.associations.length,
      EnabledAnalysisTypes: [],
    },
    FirewallStatus: {
      Status: 'READY',
      ConfigurationSyncStateSummary: 'IN_SYNC',
      SyncStates: Object.fromEntries(
        firewall.attachments.map((a) => [
          a.availabilityZone,
          {
            Attachment: { SubnetId: a.subnetId, EndpointId: a.endpointId, Status: 'READY' },
            Config: {
              [firewall.policyArn]: { SyncStatus: 'IN_SYNC', UpdateToken: firewall.updateToken },
            },
          },
        ]),
      ),
    },
  };
}

export const HANDLERS: Readonly<Record<OperationName, Handler>> = {
  StartFlowCapture: startOperation('FLOW_CAPTURE'),
  StartFlowFlush: startOperation('FLOW_FLUSH'),
  DescribeFlowOperation: describeFlowOperation,
  ListFlowOperations: listFlowOperations,
  ListFlowOperationResults: listFlowOperationResults,
  ListFirewalls: listFirewalls,
  DescribeFirewall: describeFirewall,
};
