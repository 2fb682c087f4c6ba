import { parseIpOrThrow } from '../net/ip.js';
import { compileFilters } from './validation.js';
import { operationMatches, toWireFlow } from './matching.js';
import type {
  FinalStatus,
  FirewallRecord,
  FlowOperationType,
  FlowRecord,
  FlowTable,
  OperationRecord,
  Scope,
  WireFlowFilter,
} from './model.js';
import { scopeKey } from './model.js';
import { hex, int, pick, rngFor, uuid, weighted } from './random.js';
import type { Rng } from './random.js';

interface FirewallSpec {
  name: string;
  accountId: string;
  region: string;
  availabilityZones: string[];
  description: string;
  deleteProtection: boolean;
  associations?: { name: string; endpointId: string; availabilityZone: string }[];
}

const DEMO_FIREWALLS: readonly FirewallSpec[] = [
  {
    name: 'demo',
    accountId: '111122223333',
    region: 'us-east-1',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    description: 'Demo inspection firewall for the shared services VPC',
    deleteProtection: false,
    associations: [
      { name: 'demo-assoc', endpointId: 'vpce-0demo0assoc000001', availabilityZone: 'us-east-1a' },
    ],
  },
  {
    name: 'prod-egress',
    accountId: '111122223333',
    region: 'us-east-1',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    description: 'Centralized egress filtering for production workloads',
    deleteProtection: true,
  },
  {
    name: 'eu-inspection',
    accountId: '444455556666',
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    description: 'East-west inspection for the EU landing zone',
    deleteProtection: true,
  },
  {
    // Single-AZ, so flow operations may omit AvailabilityZone here.
    name: 'lab',
    accountId: '111122223333',
    region: 'us-west-2',
    availabilityZones: ['us-west-2a'],
    description: 'Single-AZ lab firewall',
    deleteProtection: false,
  },
];

function firewallArnOf(spec: Pick<FirewallSpec, 'region' | 'accountId' | 'name'>): string {
  return `arn:aws:network-firewall:${spec.region}:${spec.accountId}:firewall/${spec.name}`;
}

function associationArnOf(spec: Pick<FirewallSpec, 'region' | 'accountId'>, name: string): string {
  return `arn:aws:network-firewall:${spec.region}:${spec.accountId}:vpc-endpoint-association/${name}`;
}

interface Counters {
  nextFlowId(): number;
  nextSeq(): number;
}

export interface BuildOptions {
  seed: number;
  /** Epoch ms the demo world is anchored to: ages and history timestamps are relative to it. */
  startTime: number;
  demoData: boolean;
  counters: Counters;
}

export function buildFirewalls(options: BuildOptions): FirewallRecord[] {
  return DEMO_FIREWALLS.map((spec) => buildFirewall(spec, options));
}

function buildFirewall(spec: FirewallSpec, options: BuildOptions): FirewallRecord {
  const arn = firewallArnOf(spec);
  const rng = rngFor(options.seed, `firewall:${arn}`);
  const firewall: FirewallRecord = {
    name: spec.name,
    arn,
    id: uuid(rng),
    accountId: spec.accountId,
    region: spec.region,
    policyArn: `arn:aws:network-firewall:${spec.region}:${spec.accountId}:firewall-policy/${spec.name}-policy`,
    vpcId: `vpc-0${hex(rng, 16)}`,
    description: spec.description,
    deleteProtection: spec.deleteProtection,
    updateToken: uuid(rng),
    tags: [
      { Key: 'Name', Value: spec.name },
      { Key: 'Environment', Value: spec.name.startsWith('prod') ? 'production' : 'demo' },
    ],
    attachments: spec.availabilityZones.map((availabilityZone) => ({
      availabilityZone,
      subnetId: `subnet-0${hex(rng, 16)}`,
      endpointId: `vpce-0${hex(rng, 16)}`,
    })),
    associations: (spec.associations ?? []).map((a) => ({
      arn: associationArnOf(spec, a.name),
      name: a.name,
      endpointId: a.endpointId,
      vpcId: `vpc-0${hex(rng, 16)}`,
      subnetId: `subnet-0${hex(rng, 16)}`,
      availabilityZone: a.availabilityZone,
    })),
    tables: new Map(),
  };
  const scopes: { scope: Scope; flowCount: [number, number] }[] = [
    ...firewall.attachments.map((a) => ({
      scope: { kind: 'az' as const, availabilityZone: a.availabilityZone },
      flowCount: [150, 300] as [number, number],
    })),
    ...firewall.associations.map((a) => ({
      scope: {
        kind: 'association' as const,
        associationArn: a.arn,
        endpointId: a.endpointId,
      },
      flowCount: [40, 80] as [number, number],
    })),
  ];
  for (const { scope, flowCount } of scopes) {
    const key = scopeKey(scope);
    const table: FlowTable = { key, scope, flows: [], operations: new Map() };
    if (options.demoData) {
      const tableRng = rngFor(options.seed, `table:${arn}:${key}`);
      table.flows = generateFlows(tableRng, int(tableRng, ...flowCount), options);
      for (const op of generateHistory(tableRng, table, options)) table.operations.set(op.id, op);
    }
    firewall.tables.set(key, table);
  }
  return firewall;
}

const DAY = 86_400;
const MAX_AGE_SECONDS = 3 * DAY;

type Role = 'internal' | 'public';
type Family = 4 | 6;

function address(rng: Rng, family: Family, role: Role): string {
  if (family === 4) {
    if (role === 'public') return `${pick(rng, ['198.51.100', '203.0.113'])}.${int(rng, 1, 254)}`;
    return weighted(rng, [
      [`10.0.${int(rng, 0, 31)}.${int(rng, 1, 254)}`, 5],
      [`10.1.${int(rng, 0, 31)}.${int(rng, 1, 254)}`, 3],
      [`192.168.${int(rng, 0, 3)}.${int(rng, 1, 254)}`, 2],
    ] as const);
  }
  const site = role === 'public' ? 'ffff' : pick(rng, ['1000', '2000']);
  return `2001:db8:${site}:${int(rng, 0, 15).toString(16)}::${hex(rng, 1 + int(rng, 0, 3))}`;
}

const TCP_SERVICES = [
  [443, 10],
  [80, 3],
  [8080, 1],
  [22, 1],
  [3306, 1],
  [5432, 1],
] as const;
const UDP_SERVICES = [
  [53, 8],
  [123, 1],
  [443, 1],
] as const;

function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)));
}

interface FlowShape {
  family?: Family;
  source?: string;
  destinationPort?: number;
  protocol?: number;
  minAgeSeconds?: number;
  elephant?: boolean;
}

function generateFlow(rng: Rng, options: BuildOptions, shape: FlowShape = {}): FlowRecord {
  const family: Family = shape.family ?? (rng() < 0.8 ? 4 : 6);
  const protocol =
    shape.protocol ??
    weighted(rng, [
      [6, 70],
      [17, 22],
      [family === 4 ? 1 : 58, 8],
    ] as const);
  // Egress dominates a firewall's flow table; ingress and east-west make up the rest.
  const direction = weighted(rng, [
    ['egress', 6],
    ['ingress', 2],
    ['east-west', 2],
  ] as const);
  const sourceRole: Role = direction === 'ingress' ? 'public' : 'internal';
  const destinationRole: Role = direction === 'egress' ? 'public' : 'internal';
  const icmp = protocol === 1 || protocol === 58;
  const destinationPort = icmp
    ? 0
    : (shape.destinationPort ?? weighted(rng, protocol === 17 ? UDP_SERVICES : TCP_SERVICES));
  const sourcePort = icmp ? 0 : int(rng, 1024, 65535);
  const minAge = shape.minAgeSeconds ?? 1;
  const age = shape.elephant
    ? int(rng, Math.max(minAge, DAY), MAX_AGE_SECONDS)
    : Math.max(minAge, Math.floor(logUniform(rng, 1, icmp ? 600 : MAX_AGE_SECONDS)));
  let packetCount: number;
  let byteCount: number;
  if (shape.elephant) {
    // Above 2^31 so consumers must not assume 32-bit byte counters; below 2^40 keeps the
    // 32-bit PacketCount in range.
    byteCount = int(rng, 2 ** 31 + 1, 2 ** 40);
    packetCount = Math.ceil(byteCount / int(rng, 1200, 1460));
  } else {
    const packetsPerSecond = logUniform(rng, 0.005, icmp ? 2 : 40);
    packetCount = Math.max(1, Math.round(age * packetsPerSecond));
    byteCount = packetCount * (icmp ? int(rng, 64, 98) : int(rng, 60, 1400));
  }
  return {
    id: options.counters.nextFlowId(),
    source: parseIpOrThrow(shape.source ?? address(rng, family, sourceRole)),
    destination: parseIpOrThrow(address(rng, family, destinationRole)),
    sourcePort,
    destinationPort,
    protocol,
    startedAt: options.startTime - age * 1000,
    packetCount,
    byteCount,
  };
}

function generateFlows(rng: Rng, count: number, options: BuildOptions): FlowRecord[] {
  const elephants = int(rng, 3, 6);
  const flows: FlowRecord[] = [];
  for (let i = 0; i < count; i++) {
    flows.push(generateFlow(rng, options, i < elephants ? { elephant: true, protocol: 6 } : {}));
  }
  return flows;
}

interface HistorySpec {
  minutesAgo: number;
  type: FlowOperationType;
  status: FinalStatus;
  statusMessage?: string;
  minimumFlowAgeInSeconds: number;
  filters: WireFlowFilter[];
}

/** Oldest first; the newest is a match-everything capture so results can be paged at once. */
const HISTORY: readonly HistorySpec[] = [
  {
    minutesAgo: 180,
    type: 'FLOW_CAPTURE',
    status: 'COMPLETED',
    minimumFlowAgeInSeconds: 0,
    filters: [{ DestinationPort: '443', Protocols: ['6'] }],
  },
  {
    minutesAgo: 120,
    type: 'FLOW_CAPTURE',
    status: 'COMPLETED',
    minimumFlowAgeInSeconds: 60,
    filters: [
      { SourceAddress: { AddressDefinition: '10.0.0.0/8' } },
      { SourceAddress: { AddressDefinition: '192.168.0.0/16' } },
    ],
  },
  {
    minutesAgo: 60,
    type: 'FLOW_FLUSH',
    status: 'COMPLETED',
    minimumFlowAgeInSeconds: 3600,
    filters: [{ SourceAddress: { AddressDefinition: '203.0.113.0/24' }, DestinationPort: '22' }],
  },
  {
    minutesAgo: 30,
    type: 'FLOW_CAPTURE',
    status: 'FAILED',
    statusMessage: 'Flow timeout',
    minimumFlowAgeInSeconds: 0,
    filters: [{ Protocols: ['17'] }],
  },
  {
    minutesAgo: 15,
    type: 'FLOW_CAPTURE',
    status: 'COMPLETED_WITH_ERRORS',
    statusMessage: 'Flow operation error',
    minimumFlowAgeInSeconds: 0,
    filters: [
      { DestinationAddress: { AddressDefinition: '2001:db8::/32' } },
      { Protocols: ['1', '58'] },
    ],
  },
  {
    minutesAgo: 5,
    type: 'FLOW_CAPTURE',
    status: 'COMPLETED',
    minimumFlowAgeInSeconds: 0,
    filters: [{ SourcePort: 'ANY', DestinationPort: 'ANY' }],
  },
];

/** Results of a COMPLETED_WITH_ERRORS operation: every other flow is missing. */
export function partialResults<T>(items: readonly T[]): T[] {
  return items.filter((_, i) => i % 2 === 0);
}

function generateHistory(rng: Rng, table: FlowTable, options: BuildOptions): OperationRecord[] {
  return HISTORY.map((spec) => {
    // Whole seconds keep snapshot ages identical for the same seed whatever the start time.
    const requestedAt = options.startTime - (spec.minutesAgo * 60 - int(rng, 0, 50)) * 1000;
    const snapshotAt = requestedAt + int(rng, 1, 4) * 1000;
    const compiled = compileFilters(spec.filters);
    let results: FlowRecord[] = [];
    if (spec.type === 'FLOW_FLUSH') {
      // Flushed flows are gone from the table, so they are invented here rather than taken from it.
      results = Array.from({ length: int(rng, 2, 6) }, () =>
        generateFlow(rng, options, {
          family: 4,
          source: `203.0.113.${int(rng, 1, 254)}`,
          protocol: 6,
          destinationPort: 22,
          minAgeSeconds: spec.minimumFlowAgeInSeconds + spec.minutesAgo * 60 + 60,
        }),
      );
    } else if (spec.status !== 'FAILED') {
      results = table.flows.filter(
        (f) =>
          f.startedAt <= snapshotAt &&
          operationMatches(compiled, spec.minimumFlowAgeInSeconds, f, snapshotAt),
      );
    }
    if (spec.status === 'COMPLETED_WITH_ERRORS') results = partialResults(results);
    const op: OperationRecord = {
      id: uuid(rng),
      type: spec.type,
      status: spec.status,
      requestedAt,
      seq: options.counters.nextSeq(),
      minimumFlowAgeInSeconds: spec.minimumFlowAgeInSeconds,
      filters: structuredClone(spec.filters),
      compiled,
      results: results.map((f) => toWireFlow(f, snapshotAt)),
    };
    if (spec.statusMessage !== undefined) op.statusMessage = spec.statusMessage;
    return op;
  });
}
