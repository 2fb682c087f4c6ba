/**
 * `npm run bench [-- --quick]`: the gateway against the bare baseline (bench/baseline.ts), side by
 * side over one simulator, then the subscription benchmark when bench/subscriptions.ts exists,
 * then the cached path with tracing off against on (bench/tracing.ts).
 */
import './production-env.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  IN_PROGRESS_TTL_MS,
  averageRounds,
  formatTable,
  measure,
  prepareScenarios,
  startStack,
} from './harness.js';
import type { LoadOptions, Measurement, Target } from './harness.js';
import { workerSimulator } from './simulator.js';
import {
  ALL_CPUS,
  GATEWAY_CPU,
  LOAD_CPU,
  pinNewThreads,
  pinProcess,
  pinningRequested,
  threadIds,
} from './pinning.js';

// About one AWS round trip inside a region (typically 10 to 40 ms for Network Firewall's API).
const AWS_LATENCY_MS = 20;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// `--only=d`: one scenario's rows, and no subscription or tracing benchmark after them.
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
// `--rounds=N`: every server measured N times, alternated, and averaged.
const rounds = Math.max(1, Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 1));
// `--pin`: the servers (this process) on one CPU, autocannon and the simulator on the other.
const pin = pinningRequested(args.includes('--pin'));
const load: LoadOptions = {
  connections: 20,
  durationSec: quick ? 2 : 10,
  warmupSec: quick ? 0 : 2,
  workers: 1,
  loadCpu: pin ? LOAD_CPU : undefined,
};

console.log(
  `nfw-flow-gateway benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ` +
    `${availableParallelism()} CPUs, ${load.connections} connections, ${load.durationSec} s per run` +
    `${load.warmupSec ? ` after ${load.warmupSec} s warmup` : ''}, simulated AWS latency ${AWS_LATENCY_MS} ms` +
    `${pin ? `; servers pinned to CPU ${GATEWAY_CPU}, autocannon and the simulator to CPU ${LOAD_CPU}` : ''}`,
);

if (pin) pinProcess(process.pid, GATEWAY_CPU);
const beforeSimulator = threadIds();
const sim = await workerSimulator();
if (pin) pinNewThreads(beforeSimulator, LOAD_CPU);
const stack = await startStack(sim);
const rows: Measurement[] = [];
let failed = false;
try {
  const scenarios = await prepareScenarios(stack);
  await sim.setLatency(AWS_LATENCY_MS);
  // Rounds alternate the servers, so that a swing of the machine's load falls on all of them.
  const measured: Measurement[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of scenarios) {
      if (only && scenario.key !== only) continue;
      for (const target of scenario.targets) {
        process.stdout.write(
          `  ${scenario.title}, ${target}${rounds > 1 ? `, round ${round}` : ''}… `,
        );
        const row = await measure(stack, target, scenario, load);
        measured.push(row);
        console.log(`${row.rps.toFixed(0)} req/s`);
      }
    }
  }
  rows.push(...averageRounds(measured));
  console.log(`\n${formatTable(scenarios, rows)}\n`);

  const row = (scenario: string, target: Target) =>
    rows.find((r) => r.scenario === scenario && r.target === target)!;
  const ratio = (target: Target) => row('a', target).rps / row('a', 'baseline').rps;
  console.log(
    `gateway-ttl: CACHE_IN_PROGRESS_TTL_MS=${IN_PROGRESS_TTL_MS}; gateway: defaults (coalescing, terminal cache)\n`,
  );
  const has = (scenario: string) => rows.some((r) => r.scenario === scenario);
  const batching: [string, boolean] | undefined = has('c')
    ? [
        `(c) one describe per unique operation: gateway ${row('c', 'gateway').coldDescribes}, ` +
          `baseline ${row('c', 'baseline').coldDescribes} for ${scenarios[2]!.uniqueOperations} operations`,
        row('c', 'gateway').coldDescribes === scenarios[2]!.uniqueOperations,
      ]
    : undefined;
  const noFailures: [string, boolean] = [
    `no failed requests: ${rows.reduce((n, r) => n + r.failures, 0)}`,
    rows.every((r) => r.failures === 0),
  ];
  const checks: [string, boolean][] = [
    ...(has('a')
      ? [
          [
            `(a) gateway throughput >= 2x baseline: ${ratio('gateway-ttl').toFixed(2)}x with the ` +
              `IN_PROGRESS micro-TTL, ${ratio('gateway').toFixed(2)}x with defaults`,
            ratio('gateway-ttl') >= 2,
          ] as [string, boolean],
        ]
      : []),
    ...(has('b')
      ? [
          [
            `(b) gateway <= 0.001 AWS calls/request: ${row('b', 'gateway').callsPerRequest.toExponential(2)}`,
            row('b', 'gateway').callsPerRequest <= 0.001,
          ] as [string, boolean],
        ]
      : []),
    ...(batching ? [batching] : []),
    ...(rows.some((r) => r.target === 'gateway-previous')
      ? [
          [
            `(d) finished-capture 100-flow page >= 2x the previous code: ${(row('d', 'gateway').rps / row('d', 'gateway-previous').rps).toFixed(2)}x`,
            row('d', 'gateway').rps >= 2 * row('d', 'gateway-previous').rps,
          ] as [string, boolean],
        ]
      : []),
    noFailures,
  ];
  for (const [text, ok] of checks) console.log(`${ok ? 'met    ' : 'NOT MET'}  ${text}`);
  // Throughput depends on the machine; a wrong answer or a batching regression does not.
  failed = (batching !== undefined && !batching[1]) || !noFailures[1];
} finally {
  await stack.close();
  await sim.close();
}

const subscriptions = fileURLToPath(new URL('./subscriptions.ts', import.meta.url));
if (only) process.exit(failed ? 1 : 0);
// The benchmarks that follow place their own processes (or run unpinned): none inherits CPU 0.
if (pin) pinProcess(process.pid, ALL_CPUS);
if (existsSync(subscriptions)) {
  console.log('\nSubscription benchmark (bench/subscriptions.ts)');
  // --expose-gc: its memory figures are read after forced collections.
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', subscriptions, ...args],
    {
      stdio: 'inherit',
    },
  );
  if (child.status !== 0) failed = true;
}

// Tracing off vs on, each gateway in its own process (the SDK is process-wide).
console.log('\nTracing benchmark (bench/tracing.ts)');
const tracing = fileURLToPath(new URL('./tracing.ts', import.meta.url));
const tracingRun = spawnSync(process.execPath, ['--import', 'tsx', tracing, ...args], {
  stdio: 'inherit',
});
if (tracingRun.status !== 0) failed = true;

process.exit(failed ? 1 : 0);
