/**
 * `npm run bench:tracing [-- --quick]` (also run by `npm run bench`): the cached query path of the
 * gateway with tracing off (no OTEL_* variables: the API's no-op tracer), on (the SDK, every span
 * recorded, an exporter that drops them) and sampled (one trace in ten recorded), side by side in
 * one run, each in its own process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEMO_FIREWALL_ARN } from '../src/simulator/index.js';
import { workerSimulator } from './simulator.js';

const quick = process.argv.includes('--quick');
const DURATION_SEC = quick ? 2 : 10;
const WARMUP_SEC = quick ? 1 : 2;
const CONNECTIONS = 20;
// Alternated, so that drift on a shared machine falls on both sides alike.
const ROUNDS = quick ? 1 : 2;
const ENTRY = fileURLToPath(new URL('./tracing-gateway.ts', import.meta.url));

const QUERY = `query Op($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationId flowOperationStatus statusMessage }
}`;

interface Gateway {
  url: string;
  child: ChildProcess;
}

type Mode = 'off' | 'on' | 'sampled';
const MODES: readonly Mode[] = ['off', 'on', 'sampled'];

async function startGateway(simulatorUrl: string, mode: Mode): Promise<Gateway> {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_')) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, simulatorUrl, mode], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const { url, tracing } = JSON.parse(line) as { url: string; tracing: boolean };
  if (tracing !== (mode !== 'off')) throw new Error(`the ${mode} gateway has tracing ${tracing}`);
  return { url, child };
}

async function load(url: string, body: string, expected: string, seconds: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
    expectBody: expected,
  });
  const failures = result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures,
  };
}

const sim = await workerSimulator();
const gateways: Gateway[] = [];
let failed = false;
try {
  const completed = (await sim.operations(DEMO_FIREWALL_ARN)).find(
    (o) => o.availabilityZone === 'us-east-1a' && o.flowOperationStatus === 'COMPLETED',
  );
  if (!completed) throw new Error('the demo data has no COMPLETED operation in us-east-1a');
  const body = JSON.stringify({
    query: QUERY,
    variables: { arn: DEMO_FIREWALL_ARN, az: 'us-east-1a', id: completed.flowOperationId },
    operationName: 'Op',
  });
  const started = new Map<Mode, Gateway>();
  for (const mode of MODES) {
    const gateway = await startGateway(sim.url, mode);
    gateways.push(gateway);
    started.set(mode, gateway);
  }
  const first = await (
    await fetch(gateways[0]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
  ).text();
  if (first.includes('"errors"')) throw new Error(`the query failed: ${first}`);

  console.log(
    `Tracing off, on and sampled 10%, (b) one COMPLETED operation (the cached path): ` +
      `${CONNECTIONS} connections, ${DURATION_SEC} s per run after ${WARMUP_SEC} s warmup, ` +
      `${ROUNDS} round(s) alternated`,
  );
  const totals = new Map(MODES.map((mode) => [mode, { rps: 0, p50: 0, p99: 0 }]));
  for (const gateway of gateways) await load(gateway.url, body, first, WARMUP_SEC);
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const r = await load(started.get(mode)!.url, body, first, DURATION_SEC);
      if (r.failures > 0) failed = true;
      console.log(
        `  round ${round + 1}, tracing ${mode}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.failures} failures`,
      );
      const total = totals.get(mode)!;
      total.rps += r.rps / ROUNDS;
      total.p50 += r.p50 / ROUNDS;
      total.p99 += r.p99 / ROUNDS;
    }
  }
  console.log('\n| tracing | req/s | p50 ms | p99 ms | req/s ratio |');
  console.log('|---------|-------|--------|--------|-------------|');
  const off = totals.get('off')!;
  for (const [mode, t] of totals) {
    const ratio = mode === 'off' ? '' : `${(t.rps / off.rps).toFixed(2)}x`;
    console.log(
      `| ${mode} | ${t.rps.toFixed(0)} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${ratio} |`,
    );
  }
} finally {
  for (const g of gateways) {
    const exited = once(g.child, 'exit');
    g.child.kill('SIGTERM');
    await exited;
  }
  await sim.close();
}
process.exit(failed ? 1 : 0);
