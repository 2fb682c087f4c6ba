import { parseFirewallArn } from '../aws/arn.js';
import { BadUserInputError } from '../errors.js';
import type { FlowOperationKey, FlowOperationScope } from '../model.js';
import { parseCidr, parsePort, parseProtocol } from '../net/index.js';

/** Network Firewall's own cap on the filters of one flow operation. */
export const MAX_FLOW_FILTERS = 20;

/**
 * Everything here runs before any AWS call. Each failure names the exact argument path, e.g.
 * `input.flowFilters[3].destinationPort`, so that a form can point at the field at fault.
 */
export function invalid(path: string, message: string): BadUserInputError {
  return new BadUserInputError(`${path} ${message}`, { argumentPath: path });
}

export function validateFirewallArn(value: string, path: string): void {
  if (!parseFirewallArn(value)) {
    throw invalid(
      path,
      `is not a firewall ARN: expected arn:<partition>:network-firewall:<region>:<12-digit account>:firewall/<name>, got ${JSON.stringify(truncate(value))}`,
    );
  }
}

function truncate(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

const AZ_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$|^[a-z]{3}\d+-az\d+$/;
const VPC_ENDPOINT_ID = /^vpce-[a-zA-Z0-9]{1,128}$/;
const ASSOCIATION_ARN =
  /^arn:aws[a-z-]*:network-firewall:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:vpc-endpoint-association\/[A-Za-z0-9-]{1,128}$/;
const OPERATION_ID = /^[A-Za-z0-9-]{1,128}$/;

export interface ScopeArgs {
  firewallArn: string;
  availabilityZone?: string | null;
  vpcEndpointId?: string | null;
  vpcEndpointAssociationArn?: string | null;
}

export function validateScope(args: ScopeArgs, prefix = ''): FlowOperationScope {
  validateFirewallArn(args.firewallArn, `${prefix}firewallArn`);
  const scope: FlowOperationScope = { firewallArn: args.firewallArn };
  if (args.availabilityZone != null) {
    if (!AZ_PATTERN.test(args.availabilityZone)) {
      throw invalid(
        `${prefix}availabilityZone`,
        `is not an Availability Zone name such as us-east-1a, got ${JSON.stringify(truncate(args.availabilityZone))}`,
      );
    }
    scope.availabilityZone = args.availabilityZone;
  }
  if (args.vpcEndpointId != null) {
    if (!VPC_ENDPOINT_ID.test(args.vpcEndpointId)) {
      throw invalid(
        `${prefix}vpcEndpointId`,
        `is not a VPC endpoint id such as vpce-0123456789abcdef0, got ${JSON.stringify(truncate(args.vpcEndpointId))}`,
      );
    }
    scope.vpcEndpointId = args.vpcEndpointId;
  }
  if (args.vpcEndpointAssociationArn != null) {
    if (!ASSOCIATION_ARN.test(args.vpcEndpointAssociationArn)) {
      throw invalid(
        `${prefix}vpcEndpointAssociationArn`,
        `is not a VPC endpoint association ARN, got ${JSON.stringify(truncate(args.vpcEndpointAssociationArn))}`,
      );
    }
    scope.vpcEndpointAssociationArn = args.vpcEndpointAssociationArn;
  }
  return scope;
}

export function validateOperationKey(
  args: ScopeArgs & { flowOperationId: string },
): FlowOperationKey {
  const scope = validateScope(args);
  if (!OPERATION_ID.test(args.flowOperationId)) {
    throw invalid(
      'flowOperationId',
      `is not a flow operation id, got ${JSON.stringify(truncate(args.flowOperationId))}`,
    );
  }
  return { ...scope, flowOperationId: args.flowOperationId };
}

export interface FlowFilterArgs {
  sourceAddress?: { addressDefinition: string } | null;
  destinationAddress?: { addressDefinition: string } | null;
  sourcePort?: string | null;
  destinationPort?: string | null;
  protocols?: readonly string[] | null;
}

export interface StartFlowOperationArgs extends ScopeArgs {
  minimumFlowAgeInSeconds?: number | null;
  flowFilters: readonly FlowFilterArgs[];
}

function validateAddress(value: { addressDefinition: string } | null | undefined, path: string) {
  if (value == null) return;
  const result = parseCidr(value.addressDefinition);
  if (!result.ok) {
    throw invalid(
      `${path}.addressDefinition`,
      `is not an IPv4 or IPv6 CIDR block such as 10.0.0.0/16 or 2001:db8::/64: ${result.reason}`,
    );
  }
}

function validatePort(value: string | null | undefined, path: string): void {
  if (value == null) return;
  const result = parsePort(value);
  if (!result.ok) {
    throw invalid(
      path,
      `must be ANY, a port 0..65535, or a range a:b with a <= b: ${result.reason}`,
    );
  }
}

export function validateStartInput(input: StartFlowOperationArgs): FlowOperationScope {
  const scope = validateScope(input, 'input.');
  if (input.minimumFlowAgeInSeconds != null && input.minimumFlowAgeInSeconds < 0) {
    throw invalid(
      'input.minimumFlowAgeInSeconds',
      `must be 0 or more, got ${input.minimumFlowAgeInSeconds}`,
    );
  }
  const filters = input.flowFilters;
  if (filters.length === 0 || filters.length > MAX_FLOW_FILTERS) {
    throw invalid(
      'input.flowFilters',
      `must hold 1 to ${MAX_FLOW_FILTERS} filters, got ${filters.length}`,
    );
  }
  filters.forEach((filter, i) => {
    const path = `input.flowFilters[${i}]`;
    validateAddress(filter.sourceAddress, `${path}.sourceAddress`);
    validateAddress(filter.destinationAddress, `${path}.destinationAddress`);
    validatePort(filter.sourcePort, `${path}.sourcePort`);
    validatePort(filter.destinationPort, `${path}.destinationPort`);
    filter.protocols?.forEach((protocol, j) => {
      const result = parseProtocol(protocol);
      if (!result.ok) {
        throw invalid(
          `${path}.protocols[${j}]`,
          `must be an IANA protocol number 0..255: ${result.reason}`,
        );
      }
    });
  });
  return scope;
}
