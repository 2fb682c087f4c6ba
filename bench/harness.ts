import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server.js';
import type { GatewayServer } from '../src/server.js';
import { DEMO_FIREWALL_ARN, PROD_EGRESS_FIREWALL_ARN } from '../src/simulator/index.js';
import { startBaseline } from './baseline.js';
import type { BaselineServer } from './baseline.js';
import type { BenchSimulator } from './simulator.js';
import { pinnedCommand } from './pinning.js';
import { REGION, gatewayEnv } from './gateway-env.js';

const execFileAsync = promisify(execFile);

export const CREDENTIALS = { accessKeyId: 'AKIABENCHMARK', secretAccessKey: 'benchmark' };

export type Target =
  'baseline' | 'gateway' | 'gateway-ttl' | 'gateway-previous' | 'gateway-no-response-cache';

/**
 * BENCH_PREVIOUS: a checkout of the gateway's previous code (e.g. `git worktree add /tmp/prev
 * main` with this node_modules linked in). Its `createServer` runs beside this one, with the same
 * settings, as the baseline of scenario (d): what a change to this code path bought, in one run.
 */
const PREVIOUS = process.env.BENCH_PREVIOUS;

/**
 * Closed-loop clients are bound by round trips: when every answer needs an AWS call, even a shared
 * one, neither server can beat `connections / AWS latency`. Only an answer without a call is
 * faster, so `gateway-ttl` runs with a short IN_PROGRESS micro-TTL (off by default).
 */
export const IN_PROGRESS_TTL_MS = 250;

export interface Stack {
  sim: BenchSimulator;
  urls: Partial<Record<Target, string>> & Record<'baseline' | 'gateway' | 'gateway-ttl', string>;
  gateways: GatewayServer[];
  baseline: BaselineServer;
  close(): Promise<void>;
}

/**
 * The gateway as deployed against AWS (`NFW_BACKEND=aws`, endpoint overridden, static
 * credentials), and the baseline, both pointed at the same simulator.
 */
export async function startStack(sim: BenchSimulator): Promise<Stack> {
  const gateway = (env: Record<string, string> = {}) =>
    createServer(gatewayConfig(sim.url, env), {
      logger: createLogger('silent'),
      awsCredentials: CREDENTIALS,
    });
  const gateways = [
    await gateway(),
    await gateway({ CACHE_IN_PROGRESS_TTL_MS: String(IN_PROGRESS_TTL_MS) }),
    // Scenario (d) without the serialized-response cache: what the rest of the code path costs.
    await gateway({ RESPONSE_CACHE_MAX_ENTRIES: '0' }),
  ];
  if (PREVIOUS) {
    const from = (path: string) => import(new URL(path, `file://${PREVIOUS}/`).href);
    // Loaded as that checkout's own modules; typed as this code's, which it must still match.
    const previous = (await from('src/server.ts')) as { createServer: typeof createServer };
    const { loadConfig: previousConfig } = (await from('src/config.ts')) as {
      loadConfig: typeof loadConfig;
    };
    const { createLogger: previousLogger } = (await from('src/logger.ts')) as {
      createLogger: typeof createLogger;
    };
    gateways.push(
      await previous.createServer(previousConfig(gatewayEnv(sim.url, {})), {
        logger: previousLogger('silent'),
        awsCredentials: CREDENTIALS,
      }),
    );
  }
  const baseline = await startBaseline({
    endpoint: sim.url,
    region: REGION,
    credentials: CREDENTIALS,
  });
  return {
    sim,
    gateways,
    baseline,
    urls: {
      baseline: baseline.url,
      gateway: gateways[0]!.url,
      'gateway-ttl': gateways[1]!.url,
      'gateway-no-response-cache': gateways[2]!.url,
      ...(gateways[3] ? { 'gateway-previous': gateways[3].url } : {}),
    },
    async close() {
      for (const g of gateways) await g.close();
      await baseline.close();
    },
  };
}

export function gatewayConfig(simulatorUrl: string, env: Record<string, string>) {
  return loadConfig(gatewayEnv(simulatorUrl, env));
}

export interface Scenario {
  key: string;
  title: string;
  body: string;
  /** Distinct operations one request describes, for the one-describe-per-operation check. */
  uniqueOperations: number;
  targets: Target[];
}

interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

export async function post(
  url: string,
  body: string,
): Promise<{ text: string; json: GraphQLResult }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
  return { text, json: JSON.parse(text) as GraphQLResult };
}

const FIELDS = 'flowOperationId flowOperationStatus statusMessage';
// The fields a flow log view shows: addresses, ports, protocol and counters.
const FLOW_FIELDS =
  'sourceAddress { addressDefinition } destinationAddress { addressDefinition } sourcePort destinationPort protocol age packetCount byteCount';
const ONE = `query Op($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { ${FIELDS} }
}`;

interface OperationRef {
  arn: string;
  az: string;
  id: string;
}

async function startCapture(gatewayUrl: string, arn: string, az: string): Promise<OperationRef> {
  const body = JSON.stringify({
    query: `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
    variables: {
      input: {
        firewallArn: arn,
        availabilityZone: az,
        flowFilters: [{ sourceAddress: { addressDefinition: '10.0.0.0/8' } }],
      },
    },
  });
  const { json } = await post(gatewayUrl, body);
  const started = json.data?.startFlowCapture as { flowOperationId: string } | undefined;
  if (!started) throw new Error(`startFlowCapture failed: ${JSON.stringify(json.errors)}`);
  return { arn, az, id: started.flowOperationId };
}

/**
 * (a) one IN_PROGRESS operation, (b) one COMPLETED operation, (c) 30 aliases over 10 IN_PROGRESS
 * operations. Running operations are started through the gateway before any measurement.
 */
export async function prepareScenarios(stack: Stack): Promise<Scenario[]> {
  const scopes = [
    [DEMO_FIREWALL_ARN, 'us-east-1a'],
    [DEMO_FIREWALL_ARN, 'us-east-1b'],
    [DEMO_FIREWALL_ARN, 'us-east-1c'],
    [PROD_EGRESS_FIREWALL_ARN, 'us-east-1a'],
    [PROD_EGRESS_FIREWALL_ARN, 'us-east-1b'],
  ] as const;
  const running: OperationRef[] = [];
  for (let i = 0; i < 11; i++) {
    const [arn, az] = scopes[i % scopes.length]!;
    running.push(await startCapture(stack.urls.gateway, arn, az));
  }
  const completed = (await stack.sim.operations(DEMO_FIREWALL_ARN)).find(
    (o) => o.availabilityZone === 'us-east-1a' && o.flowOperationStatus === 'COMPLETED',
  );
  if (!completed) throw new Error('the demo data has no COMPLETED operation in us-east-1a');

  const one = (op: OperationRef) =>
    JSON.stringify({
      query: ONE,
      variables: { arn: op.arn, az: op.az, id: op.id },
      operationName: 'Op',
    });
  const many = running.slice(1, 11);
  const aliases = Array.from({ length: 30 }, (_, i) => {
    const op = many[i % many.length]!;
    return `a${i}: flowOperation(firewallArn: "${op.arn}", availabilityZone: "${op.az}", flowOperationId: "${op.id}") { ${FIELDS} }`;
  });
  // (d): a finished capture's first 100 flows, answered from the terminal cache (no AWS call
  // once warm): the CPU cost of a cached read, against the previous code when BENCH_PREVIOUS is set.
  let page: Scenario | undefined;
  for (const op of await stack.sim.operations(DEMO_FIREWALL_ARN)) {
    if (op.flowOperationStatus !== 'COMPLETED' || op.flowOperationType !== 'FLOW_CAPTURE') continue;
    const body = JSON.stringify({
      query: `query Page($arn: String!, $az: String, $id: ID!) { flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus flows(first: 100) { edges { node { ${FLOW_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`,
      variables: { arn: DEMO_FIREWALL_ARN, az: op.availabilityZone, id: op.flowOperationId },
      operationName: 'Page',
    });
    const res = await post(stack.urls.gateway, body);
    const edges = (res.json.data?.flowOperation as { flows?: { edges?: unknown[] } } | undefined)
      ?.flows?.edges;
    if (edges?.length === 100) {
      page = {
        key: 'd',
        title: '(d) finished capture, first 100 flows',
        body,
        uniqueOperations: 1,
        targets: [
          'gateway',
          'gateway-no-response-cache',
          ...(stack.urls['gateway-previous'] ? (['gateway-previous'] as const) : []),
        ],
      };
      break;
    }
  }
  return [
    {
      key: 'a',
      title: '(a) one IN_PROGRESS operation',
      body: one(running[0]!),
      uniqueOperations: 1,
      targets: ['baseline', 'gateway', 'gateway-ttl'],
    },
    {
      key: 'b',
      title: '(b) one COMPLETED operation',
      body: one({ arn: DEMO_FIREWALL_ARN, az: 'us-east-1a', id: completed.flowOperationId }),
      uniqueOperations: 1,
      targets: ['baseline', 'gateway'],
    },
    {
      key: 'c',
      title: '(c) 30 aliases over 10 operations',
      body: JSON.stringify({
        query: `query Many { ${aliases.join('\n')} }`,
        operationName: 'Many',
      }),
      uniqueOperations: 10,
      targets: ['baseline', 'gateway', 'gateway-ttl'],
    },
    ...(page ? [page] : []),
  ];
}

export interface Measurement {
  target: Target;
  scenario: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, socket errors, timeouts and answers that differ from the expected body. */
  failures: number;
  /** From the single request through warmup and load, over as many requests. */
  awsCalls: number;
  callsPerRequest: number;
  /** DescribeFlowOperation calls of one request on its own (no concurrent load). */
  coldDescribes: number;
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** autocannon worker threads; 0 runs the load in this thread. */
  workers: number;
  /** Run autocannon in a child process pinned to this CPU (`--pin`, bench/pinning.ts). */
  loadCpu?: number | undefined;
}

const LOAD_CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** autocannon here, or in a pinned child process so that it does not share the servers' CPU. */
async function runLoad(
  options: autocannon.Options,
  loadCpu: number | undefined,
): Promise<autocannon.Result> {
  if (loadCpu === undefined) return autocannon(options);
  const [command, args] = pinnedCommand(loadCpu, process.execPath, [
    '--import',
    'tsx',
    LOAD_CHILD,
    JSON.stringify(options),
  ]);
  const { stdout } = await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as autocannon.Result;
}

function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function failuresOf(result: autocannon.Result): number {
  return result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0);
}

/**
 * autocannon stops counting at the deadline, but the server still finishes what it accepted, AWS
 * calls included: wait until the simulator has been quiet for a moment.
 */
async function quiesce(sim: BenchSimulator): Promise<number> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = sumCounts(await sim.counts());
    if (now === last) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

/**
 * One scenario against one server: a correctness check, one request alone (describes per
 * request), then the load. AWS calls are counted from before the warmup to the end, so a cache
 * warmed by the first requests is paid for in the figure.
 */
export async function measure(
  stack: Stack,
  target: Target,
  scenario: Scenario,
  options: LoadOptions,
): Promise<Measurement> {
  const url = stack.urls[target];
  if (!url) throw new Error(`no ${target} server (BENCH_PREVIOUS unset)`);
  await quiesce(stack.sim);
  await stack.sim.clear();
  const first = await post(url, scenario.body);
  if (first.json.errors) {
    throw new Error(`${target} ${scenario.key}: ${JSON.stringify(first.json.errors)}`);
  }
  const coldDescribes = (await stack.sim.counts()).DescribeFlowOperation ?? 0;
  const common = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: scenario.body,
    connections: options.connections,
    // Every answer must be the same as the first; an error or a changed status is a failure.
    expectBody: first.text,
    // A pinned child process is itself the load's thread; workers would only add threads to it.
    ...(options.workers > 0 && options.loadCpu === undefined ? { workers: options.workers } : {}),
  };
  const warmup =
    options.warmupSec > 0
      ? await runLoad({ ...common, duration: options.warmupSec }, options.loadCpu)
      : undefined;
  const result = await runLoad({ ...common, duration: options.durationSec }, options.loadCpu);
  const awsCalls = await quiesce(stack.sim);
  const requests = result.requests.total;
  // The calls were counted since the first request, so the requests are too.
  const requestsSinceClear = 1 + (warmup?.requests.total ?? 0) + requests;
  return {
    target,
    scenario: scenario.key,
    requests,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: failuresOf(result) + (warmup ? failuresOf(warmup) : 0),
    awsCalls,
    callsPerRequest: awsCalls / requestsSinceClear,
    coldDescribes,
  };
}

/** One row per scenario and server: the mean of its rounds (failures and AWS calls summed). */
export function averageRounds(rows: Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const r of rows) {
    const key = `${r.scenario} ${r.target}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const mean = (f: (r: Measurement) => number) =>
      group.reduce((n, r) => n + f(r), 0) / group.length;
    const sum = (f: (r: Measurement) => number) => group.reduce((n, r) => n + f(r), 0);
    return {
      ...group[0]!,
      requests: sum((r) => r.requests),
      rps: mean((r) => r.rps),
      p50: mean((r) => r.p50),
      p99: mean((r) => r.p99),
      failures: sum((r) => r.failures),
      awsCalls: sum((r) => r.awsCalls),
      callsPerRequest: mean((r) => r.callsPerRequest),
    };
  });
}

export function formatTable(scenarios: Scenario[], rows: Measurement[]): string {
  const header = [
    'scenario',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'AWS calls/req',
    'describes (1 req)',
    'failures',
    'req/s ratio',
  ];
  const lines: string[][] = [header];
  for (const s of scenarios) {
    // (d)'s baseline is the previous code, when it ran.
    const base =
      rows.find((r) => r.scenario === s.key && r.target === 'baseline') ??
      rows.find((r) => r.scenario === s.key && r.target === 'gateway-previous');
    for (const r of rows.filter((row) => row.scenario === s.key)) {
      lines.push([
        s.title,
        r.target,
        r.rps.toFixed(0),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        r.callsPerRequest < 0.01
          ? r.callsPerRequest.toExponential(1)
          : r.callsPerRequest.toFixed(2),
        String(r.coldDescribes),
        String(r.failures),
        r !== base && base ? `${(r.rps / base.rps).toFixed(2)}x` : '',
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    fmt(lines[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(fmt),
  ].join('\n');
}
