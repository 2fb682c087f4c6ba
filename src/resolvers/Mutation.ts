import type { FlowFilter } from '@aws-sdk/client-network-firewall';
import { audited } from '../auth/audit.js';
import type { AuditedStart } from '../auth/audit.js';
import { authorize } from '../auth/authorize.js';
import type { GatewayContext } from '../context.js';
import type { MutationResolvers, StartFlowOperationInput } from '../generated/graphql.js';
import { scopeToRequest } from '../model.js';
import { validateStartInput } from '../validation/inputs.js';
import { operationModel } from './FlowOperation.js';

type FlowOperationKind = 'FLOW_CAPTURE' | 'FLOW_FLUSH';

function toAwsFilters(input: StartFlowOperationInput): FlowFilter[] {
  return input.flowFilters.map((f) => ({
    ...(f.sourceAddress
      ? { SourceAddress: { AddressDefinition: f.sourceAddress.addressDefinition } }
      : {}),
    ...(f.destinationAddress
      ? { DestinationAddress: { AddressDefinition: f.destinationAddress.addressDefinition } }
      : {}),
    ...(f.sourcePort != null ? { SourcePort: f.sourcePort } : {}),
    ...(f.destinationPort != null ? { DestinationPort: f.destinationPort } : {}),
    ...(f.protocols != null && f.protocols.length > 0 ? { Protocols: [...f.protocols] } : {}),
  }));
}

async function start(
  ctx: GatewayContext,
  kind: FlowOperationKind,
  input: StartFlowOperationInput,
): Promise<AuditedStart> {
  const path = 'input.firewallArn';
  const firewall = authorize(ctx, 'write', { arn: input.firewallArn, path });
  const scope = validateStartInput(input, firewall);
  // Routed by authorize: the start goes to the region and account its ARN names, or nowhere.
  const target = ctx.targets.target(input.firewallArn, path);
  const request = {
    ...scopeToRequest(scope),
    FlowFilters: toAwsFilters(input),
    ...(input.minimumFlowAgeInSeconds != null
      ? { MinimumFlowAgeInSeconds: input.minimumFlowAgeInSeconds }
      : {}),
  };
  const started =
    kind === 'FLOW_CAPTURE'
      ? await ctx.api.startFlowCapture(request, target)
      : await ctx.api.startFlowFlush(request, target);
  const flowOperationId = started.FlowOperationId ?? '';
  // The start response has only id and status; every other field loads through the describe loader.
  const model = operationModel(
    { ...scope, flowOperationId },
    {
      FlowOperationId: flowOperationId,
      FlowOperationType: kind,
      ...(started.FlowOperationStatus ? { FlowOperationStatus: started.FlowOperationStatus } : {}),
    },
    false,
  );
  // Found again after its answer was lost (src/aws/start-reconciler.ts): the audit says so.
  return started.reconciled ? { ...model, reconciled: true } : model;
}

export const Mutation: MutationResolvers = {
  startFlowCapture: (_parent, args, ctx) =>
    audited(ctx, 'startFlowCapture', args.input, () => start(ctx, 'FLOW_CAPTURE', args.input)),
  startFlowFlush: (_parent, args, ctx) =>
    audited(ctx, 'startFlowFlush', args.input, () => start(ctx, 'FLOW_FLUSH', args.input)),
};
