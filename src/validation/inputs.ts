import { MAX_FIREWALL_ARN_LENGTH, parseFirewallArn } from '../aws/arn.js';
import type { FirewallArnParts } from '../aws/arn.js';
import { BadUserInputError } from '../errors.js';
import { clip } from '../observability/clip.js';
import type { FlowOperationKey, FlowOperationScope } from '../model.js';
import { parseAddressDefinition, parsePort, parseProtocol } from '../net/index.js';

/** Network Firewall's own cap on the filters of one flow operation. */
export const MAX_FLOW_FILTERS = 20;

/**
 * Everything here runs before any AWS call. Each failure names the exact argument path, e.g.
 * `input.flowFilters[3].destinationPort`, so that a form can point at the field at fault.
 */
export function invalid(path: string, message: string): BadUserInputError {
  return new BadUserInputError(`${path} ${message}`, { argumentPath: path });
}

/** The ARN's parts, parsed once; BAD_USER_INPUT at `path` when it is not a firewall ARN. */
export function validateFirewallArn(value: string, path: string): FirewallArnParts {
  if (value.length > MAX_FIREWALL_ARN_LENGTH) {
    throw invalid(
      path,
      `is too long for a firewall ARN (${value.length} characters; AWS allows at most ${MAX_FIREWALL_ARN_LENGTH}), got ${JSON.stringify(clip(value, 64))}`,
    );
  }
  const parts = parseFirewallArn(value);
  if (!parts) {
    throw invalid(
      path,
      `is not a firewall ARN: expected arn:<partition>:network-firewall:<region>:<12-digit account>:firewall/<name>, got ${JSON.stringify(clip(value))}`,
    );
  }
  return parts;
}

/**
 * Longest text each field may be before any parsing: AWS's own limits where the API reference
 * gives one, else comfortably above the longest valid value. Every check below is linear anyway;
 * the bound keeps the work, and the message that echoes the value, small whatever was sent.
 */
const MAX_LENGTH = {
  availabilityZone: 64,
  vpcEndpointId: 133, // "vpce-" and 1..128
  vpcEndpointAssociationArn: 256,
  flowOperationId: 128,
  // The longest valid ones: an IPv4-mapped IPv6 CIDR (49), "65535:65535" (11), "255" (3).
  addressDefinition: 64,
  port: 32,
  protocol: 16,
} as const;

/** Refuses a value longer than its field allows, before any regex or parser sees it. */
function checkLength(value: string, path: string, max: number): void {
  if (value.length > max) {
    throw invalid(
      path,
      `is too long (${value.length} characters; at most ${max}), got ${JSON.stringify(clip(value, 64))}`,
    );
  }
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

/**
 * `firewall`: the ARN's parts as `authorize` read them (src/auth/targets.ts), so that a resolver
 * parses a firewall ARN once; without them the ARN is checked here.
 */
export function validateScope(
  args: ScopeArgs,
  prefix = '',
  firewall?: FirewallArnParts,
): FlowOperationScope {
  if (!firewall) validateFirewallArn(args.firewallArn, `${prefix}firewallArn`);
  const scope: FlowOperationScope = { firewallArn: args.firewallArn };
  if (args.availabilityZone != null) {
    checkLength(args.availabilityZone, `${prefix}availabilityZone`, MAX_LENGTH.availabilityZone);
    if (!AZ_PATTERN.test(args.availabilityZone)) {
      throw invalid(
        `${prefix}availabilityZone`,
        `is not an Availability Zone name such as us-east-1a, got ${JSON.stringify(clip(args.availabilityZone))}`,
      );
    }
    scope.availabilityZone = args.availabilityZone;
  }
  if (args.vpcEndpointId != null) {
    checkLength(args.vpcEndpointId, `${prefix}vpcEndpointId`, MAX_LENGTH.vpcEndpointId);
    if (!VPC_ENDPOINT_ID.test(args.vpcEndpointId)) {
      throw invalid(
        `${prefix}vpcEndpointId`,
        `is not a VPC endpoint id such as vpce-0123456789abcdef0, got ${JSON.stringify(clip(args.vpcEndpointId))}`,
      );
    }
    scope.vpcEndpointId = args.vpcEndpointId;
  }
  if (args.vpcEndpointAssociationArn != null) {
    checkLength(
      args.vpcEndpointAssociationArn,
      `${prefix}vpcEndpointAssociationArn`,
      MAX_LENGTH.vpcEndpointAssociationArn,
    );
    if (!ASSOCIATION_ARN.test(args.vpcEndpointAssociationArn)) {
      throw invalid(
        `${prefix}vpcEndpointAssociationArn`,
        `is not a VPC endpoint association ARN, got ${JSON.stringify(clip(args.vpcEndpointAssociationArn))}`,
      );
    }
    scope.vpcEndpointAssociationArn = args.vpcEndpointAssociationArn;
  }
  // AWS documents no meaning for both together (one names the firewall's own endpoint, the
  // other an association's), so the pair is refused here, before any AWS call, rather than
  // left to whichever one AWS would read.
  if (scope.vpcEndpointId !== undefined && scope.vpcEndpointAssociationArn !== undefined) {
    throw invalid(
      `${prefix}vpcEndpointAssociationArn`,
      `cannot be given with ${prefix}vpcEndpointId: a flow operation is scoped to one VPC endpoint association (vpcEndpointAssociationArn) or one endpoint (vpcEndpointId), not both`,
    );
  }
  return scope;
}

export function validateOperationKey(
  args: ScopeArgs & { flowOperationId: string },
  firewall?: FirewallArnParts,
): FlowOperationKey {
  const scope = validateScope(args, '', firewall);
  checkLength(args.flowOperationId, 'flowOperationId', MAX_LENGTH.flowOperationId);
  if (!OPERATION_ID.test(args.flowOperationId)) {
    throw invalid(
      'flowOperationId',
      `is not a flow operation id, got ${JSON.stringify(clip(args.flowOperationId))}`,
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
  checkLength(value.addressDefinition, `${path}.addressDefinition`, MAX_LENGTH.addressDefinition);
  const result = parseAddressDefinition(value.addressDefinition);
  if (!result.ok) {
    throw invalid(
      `${path}.addressDefinition`,
      `is not an IPv4 or IPv6 address or CIDR block such as 10.0.25.22, 10.0.0.0/16 or 2001:db8::/64: ${result.reason}`,
    );
  }
}

function validatePort(value: string | null | undefined, path: string): void {
  if (value == null) return;
  checkLength(value, path, MAX_LENGTH.port);
  const result = parsePort(value);
  if (!result.ok) {
    throw invalid(
      path,
      `must be ANY, a port 0..65535, or a range a:b with a <= b: ${result.reason}`,
    );
  }
}

export function validateStartInput(
  input: StartFlowOperationArgs,
  firewall?: FirewallArnParts,
): FlowOperationScope {
  const scope = validateScope(input, 'input.', firewall);
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
      checkLength(protocol, `${path}.protocols[${j}]`, MAX_LENGTH.protocol);
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
