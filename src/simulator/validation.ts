import { parseAddressDefinition } from '../net/ip.js';
import { parsePort } from '../net/port.js';
import { parseProtocol } from '../net/protocol.js';
import { InvalidRequestException } from './errors.js';
import type { CompiledFilter, FlowOperationType, WireFlowFilter } from './model.js';

export type Input = Record<string, unknown>;

const MAX_FLOW_FILTERS = 20;
const MIN_MAX_RESULTS = 1;
const MAX_MAX_RESULTS = 100;
/** AWS does not document a default page size for these operations; the simulator uses 20. */
const DEFAULT_MAX_RESULTS = 20;
const MAX_INT32 = 2 ** 31 - 1;
const MAX_ADDRESS_DEFINITION = 255;

const FLOW_OPERATION_ID = /^([0-9a-f]{8})-([0-9a-f]{4}-){3}([0-9a-f]{12})$/;
const NEXT_TOKEN = /^[0-9A-Za-z:/+=]+$/;
const VPC_ENDPOINT_ID = /^vpce-[a-zA-Z0-9]+$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;
const RESOURCE_NAME = /^[a-zA-Z0-9-]{1,128}$/;

function invalid(message: string): InvalidRequestException {
  return new InvalidRequestException(message);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

export function optionalString(input: Input, field: string, maxLength = 256): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string, got ${describe(value)}`);
  if (value.length === 0) throw invalid(`${field} must not be empty`);
  if (value.length > maxLength) throw invalid(`${field} must be at most ${maxLength} characters`);
  return value;
}

function requiredString(input: Input, field: string, maxLength = 256): string {
  const value = optionalString(input, field, maxLength);
  if (value === undefined) throw invalid(`${field} is required`);
  return value;
}

export interface ResourceArn {
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  resourceType: string;
  name: string;
}

const ARN =
  /^arn:(aws|aws-cn|aws-us-gov):network-firewall:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):([a-z-]+)\/(.+)$/;

/** Parses a Network Firewall ARN of the given resource type (firewall, vpc-endpoint-association). */
export function parseResourceArn(value: string, field: string, resourceType: string): ResourceArn {
  const match = ARN.exec(value);
  const example = `arn:aws:network-firewall:us-east-1:111122223333:${resourceType}/name`;
  if (!match) throw invalid(`${field} '${value}' is not a valid ARN; expected ${example}`);
  const [, partition = '', region = '', accountId = '', type = '', name = ''] = match;
  if (type !== resourceType) {
    throw invalid(`${field} '${value}' is a ${type} ARN, expected a ${resourceType} ARN`);
  }
  if (!RESOURCE_NAME.test(name)) {
    throw invalid(`${field} '${value}' has an invalid resource name '${name}'`);
  }
  return { arn: value, partition, region, accountId, resourceType: type, name };
}

export function requiredFirewallArn(input: Input): ResourceArn {
  return parseResourceArn(requiredString(input, 'FirewallArn'), 'FirewallArn', 'firewall');
}

export function firewallName(input: Input): string | undefined {
  const name = optionalString(input, 'FirewallName', 128);
  if (name !== undefined && !RESOURCE_NAME.test(name)) {
    throw invalid(`FirewallName '${name}' may contain only letters, digits and hyphens`);
  }
  return name;
}

export function requiredFlowOperationId(input: Input): string {
  const id = requiredString(input, 'FlowOperationId');
  if (!FLOW_OPERATION_ID.test(id)) {
    throw invalid(`FlowOperationId '${id}' is not a valid flow operation id (a lowercase UUID)`);
  }
  return id;
}

export function maxResults(input: Input): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return DEFAULT_MAX_RESULTS;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`MaxResults must be an integer, got ${describe(value)}`);
  }
  if (value < MIN_MAX_RESULTS || value > MAX_MAX_RESULTS) {
    throw invalid(
      `MaxResults ${value} is out of range: it must be between ${MIN_MAX_RESULTS} and ${MAX_MAX_RESULTS}`,
    );
  }
  return value;
}

export function nextToken(input: Input): string | undefined {
  const token = optionalString(input, 'NextToken', 4096);
  if (token !== undefined && !NEXT_TOKEN.test(token)) throw invalid('Invalid NextToken');
  return token;
}

export function flowOperationType(input: Input): FlowOperationType | undefined {
  const value = optionalString(input, 'FlowOperationType');
  if (value === undefined) return undefined;
  if (value !== 'FLOW_CAPTURE' && value !== 'FLOW_FLUSH') {
    throw invalid(`FlowOperationType '${value}' must be one of FLOW_CAPTURE, FLOW_FLUSH`);
  }
  return value;
}

export function minimumFlowAge(input: Input): number {
  const value = input.MinimumFlowAgeInSeconds;
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`MinimumFlowAgeInSeconds must be an integer, got ${describe(value)}`);
  }
  if (value < 0 || value > MAX_INT32) {
    throw invalid(`MinimumFlowAgeInSeconds ${value} is out of range 0..${MAX_INT32}`);
  }
  return value;
}

export interface ScopeFields {
  availabilityZone?: string;
  associationArn?: ResourceArn;
  endpointId?: string;
}

export function scopeFields(input: Input): ScopeFields {
  const availabilityZone = optionalString(input, 'AvailabilityZone', 64);
  if (availabilityZone !== undefined && !AVAILABILITY_ZONE.test(availabilityZone)) {
    throw invalid(
      `AvailabilityZone '${availabilityZone}' is not a valid Availability Zone name, e.g. us-east-1a`,
    );
  }
  const arnText = optionalString(input, 'VpcEndpointAssociationArn');
  const associationArn =
    arnText === undefined
      ? undefined
      : parseResourceArn(arnText, 'VpcEndpointAssociationArn', 'vpc-endpoint-association');
  const endpointId = optionalString(input, 'VpcEndpointId');
  if (endpointId !== undefined && !VPC_ENDPOINT_ID.test(endpointId)) {
    throw invalid(
      `VpcEndpointId '${endpointId}' is not a valid VPC endpoint id, e.g. vpce-0abc123`,
    );
  }
  return { availabilityZone, associationArn, endpointId };
}

function addressField(
  value: unknown,
  path: string,
): { wire: { AddressDefinition: string } } & {
  cidr: NonNullable<CompiledFilter['source']>;
} {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${path} must be an object with an AddressDefinition, got ${describe(value)}`);
  }
  const definition = (value as Input).AddressDefinition;
  if (typeof definition !== 'string') {
    throw invalid(`${path}.AddressDefinition is required and must be a string`);
  }
  // AWS's own bound for AddressDefinition (1..255), checked before parsing.
  if (definition.length === 0 || definition.length > MAX_ADDRESS_DEFINITION) {
    throw invalid(
      `${path}.AddressDefinition must be 1 to ${MAX_ADDRESS_DEFINITION} characters, got ${definition.length}`,
    );
  }
  const parsed = parseAddressDefinition(definition);
  if (!parsed.ok) {
    throw invalid(
      `${path}.AddressDefinition '${definition}' is not a valid IP address or CIDR block: ${parsed.reason}`,
    );
  }
  return { wire: { AddressDefinition: definition }, cidr: parsed.value };
}

function portField(
  value: unknown,
  path: string,
): { wire: string; range: NonNullable<CompiledFilter['sourcePort']> } {
  if (typeof value !== 'string') throw invalid(`${path} must be a string, got ${describe(value)}`);
  const parsed = parsePort(value);
  if (!parsed.ok) {
    throw invalid(
      `${path} '${value}' is not a valid port: ${parsed.reason} (use ANY, a port such as 443, or a range such as 1024:65535)`,
    );
  }
  return { wire: value, range: parsed.value };
}

export interface ValidatedFilters {
  wire: WireFlowFilter[];
  compiled: CompiledFilter[];
}

export function flowFilters(input: Input): ValidatedFilters {
  const value = input.FlowFilters;
  if (value === undefined || value === null) throw invalid('FlowFilters is required');
  if (!Array.isArray(value)) throw invalid(`FlowFilters must be a list, got ${describe(value)}`);
  if (value.length < 1 || value.length > MAX_FLOW_FILTERS) {
    throw invalid(
      `FlowFilters must contain between 1 and ${MAX_FLOW_FILTERS} filters, got ${value.length}`,
    );
  }
  const wire: WireFlowFilter[] = [];
  const compiled: CompiledFilter[] = [];
  value.forEach((raw: unknown, index) => {
    const path = `FlowFilters[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid(`${path} must be an object, got ${describe(raw)}`);
    }
    const f = raw as Input;
    const w: WireFlowFilter = {};
    const c: CompiledFilter = {};
    if (f.SourceAddress != null) {
      const a = addressField(f.SourceAddress, `${path}.SourceAddress`);
      w.SourceAddress = a.wire;
      c.source = a.cidr;
    }
    if (f.DestinationAddress != null) {
      const a = addressField(f.DestinationAddress, `${path}.DestinationAddress`);
      w.DestinationAddress = a.wire;
      c.destination = a.cidr;
    }
    if (f.SourcePort != null) {
      const p = portField(f.SourcePort, `${path}.SourcePort`);
      w.SourcePort = p.wire;
      c.sourcePort = p.range;
    }
    if (f.DestinationPort != null) {
      const p = portField(f.DestinationPort, `${path}.DestinationPort`);
      w.DestinationPort = p.wire;
      c.destinationPort = p.range;
    }
    if (f.Protocols != null) {
      if (!Array.isArray(f.Protocols)) {
        throw invalid(`${path}.Protocols must be a list of strings, got ${describe(f.Protocols)}`);
      }
      const protocols = new Set<number>();
      f.Protocols.forEach((p: unknown, i) => {
        if (typeof p !== 'string') {
          throw invalid(`${path}.Protocols[${i}] must be a string, got ${describe(p)}`);
        }
        const parsed = parseProtocol(p);
        if (!parsed.ok) {
          throw invalid(
            `${path}.Protocols[${i}] '${p}' is not a valid IANA protocol number: ${parsed.reason}`,
          );
        }
        protocols.add(parsed.value);
      });
      w.Protocols = [...(f.Protocols as string[])];
      c.protocols = protocols;
    }
    wire.push(w);
    compiled.push(c);
  });
  return { wire, compiled };
}

export function vpcIds(input: Input): string[] | undefined {
  const value = input.VpcIds;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalid('VpcIds must be a list of strings');
  }
  return value as string[];
}

/** For filters the simulator wrote itself (demo history); throws if they are not valid. */
export function compileFilters(filters: WireFlowFilter[]): CompiledFilter[] {
  return flowFilters({ FlowFilters: filters }).compiled;
}
