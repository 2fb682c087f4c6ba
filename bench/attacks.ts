/**
 * `npm run bench:attacks [-- --quick] [--only=arn,text,flush,budget]`: the attacks of the hardening review, re-run against a
 * gateway process with production settings (`NODE_ENV=production`, `NFW_BACKEND=aws` against the
 * simulator, `AUTH_MODE=apikey`, default limits), each next to its benign counterpart in the same
 * run. It prints one table; BENCHMARKS.md#attacks records a run and the method.
 *
 * Refused documents and memory have their own benchmark (`npm run bench:documents`), which needs a
 * heap limit of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSimulator } from '../src/simulator/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { spawnGateway } from '../test/helpers/process.js';
import type { GatewayProcess } from '../test/helpers/process.js';
import { newKey, writeKeys } from '../test/auth/support.js';
import { unknownOperationsQuery } from '../test/helpers/gateway.js';
import type { TestKey as Key } from '../test/auth/support.js';

const quick = process.argv.includes('--quick');
// `--only text,budget`: a subset of the attacks, by the names below.
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (name: string) => only === undefined || only.includes(name);
const DEMO = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
// What `npm run apikey` writes when no pattern is given.
const DEFAULT_PATTERN = 'arn:aws:network-firewall:*:*:firewall/*';

interface Row {
  attack: string;
  baseline: string;
  measured: string;
  target: string;
  met: boolean;
}

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, key: Key, query: string, variables: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, bytes: Buffer.byteLength(text), ms, body: JSON.parse(text) };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const codes = (a: Answer) => [...new Set(a.body.errors?.map((e) => e.extensions?.code))].join(',');

/** /healthz asked every few ms while `work` runs: the worst wait is the event loop's worst block. */
async function healthzDuring(url: string, work: () => Promise<unknown>): Promise<number> {
  const healthz = url.replace(/\/graphql$/, '/healthz');
  let worst = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(healthz)).text();
      worst = Math.max(worst, performance.now() - started);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await probe;
  }
  return worst;
}

const FLOW_OPERATIONS = `query($arn: String!) {
  flowOperations(firewallArn: $arn, availabilityZone: "us-east-1a", first: 1) { edges { node { flowOperationId } } }
}`;

async function freezingArn(gateway: GatewayProcess, reader: Key, rows: Row[]): Promise<void> {
  const n = quick ? 5 : 20;
  const crafted = 'arn:aws:network-firewall:' + ':'.repeat(60_000) + 'x';
  const plain = 'x'.repeat(crafted.length);
  const run = async (arn: string) => {
    // One unmeasured request first, so that neither side pays the gateway's first-use costs.
    await post(gateway.url, reader, FLOW_OPERATIONS, { arn });
    const times: number[] = [];
    let last: Answer | undefined;
    const worstHealthz = await healthzDuring(gateway.url, async () => {
      for (let i = 0; i < n; i++) {
        last = await post(gateway.url, reader, FLOW_OPERATIONS, { arn });
        times.push(last.ms);
      }
    });
    return { p50: quantile(times, 0.5), max: Math.max(...times), worstHealthz, last: last! };
  };
  const base = await run(plain);
  const attack = await run(crafted);
  rows.push({
    attack: `60 KB crafted firewallArn, read key with \`${DEFAULT_PATTERN}\` (${n} requests)`,
    baseline: `60 KB of \`x\`: p50 ${ms(base.p50)}, max ${ms(base.max)}`,
    measured: `p50 ${ms(attack.p50)}, max ${ms(attack.max)} (${codes(attack.last)})`,
    target: 'under 50 ms',
    met: attack.max < 50,
  });
  rows.push({
    attack: '/healthz while the crafted ARNs are answered',
    baseline: `worst ${ms(base.worstHealthz)}`,
    measured: `worst ${ms(attack.worstHealthz)}`,
    target: 'unaffected (under 50 ms)',
    met: attack.worstHealthz < 50,
  });
}

const START_FLUSH = `mutation($input: StartFlowOperationInput!) {
  startFlowFlush(input: $input) { flowOperationId flowOperationStatus }
}`;

function flushInput(filters: unknown[]) {
  return { firewallArn: DEMO, availabilityZone: 'us-east-1a', flowFilters: filters };
}

/** The longest log line since `from`, once the mutation's audit line has arrived. */
async function longestLine(gateway: GatewayProcess, from: number): Promise<number> {
  const audited = () => gateway.logs.slice(from).some((line) => line.includes('"audit":true'));
  for (let waited = 0; !audited() && waited < 5000; waited += 10) {
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!audited()) throw new Error('no audit line within 5 s');
  return Math.max(0, ...gateway.logs.slice(from).map((line) => Buffer.byteLength(line)));
}

async function unboundedText(gateway: GatewayProcess, writer: Key, rows: Row[]): Promise<void> {
  let from = gateway.logs.length;
  const small = await post(gateway.url, writer, START_FLUSH, {
    input: flushInput([{ destinationPort: 'not-a-port' }]),
  });
  const smallLine = await longestLine(gateway, from);
  from = gateway.logs.length;
  const wide = await post(gateway.url, writer, START_FLUSH, {
    input: flushInput(Array.from({ length: 20 }, () => ({ destinationPort: 'p'.repeat(50_000) }))),
  });
  const wideLine = await longestLine(gateway, from);
  rows.push({
    attack: 'refused startFlowFlush, 20 filters of 50 KB: longest log line',
    baseline: `one bad filter: ${smallLine} B (${codes(small)})`,
    measured: `${wideLine} B (${codes(wide)})`,
    target: 'at most 8 KB',
    met: wideLine <= 8192,
  });
  from = gateway.logs.length;
  const port = await post(gateway.url, writer, START_FLUSH, {
    input: flushInput([{ destinationPort: '9'.repeat(900_000) }]),
  });
  const portLine = await longestLine(gateway, from);
  rows.push({
    attack: '900 KB destinationPort: response and longest log line',
    baseline: `one bad filter: response ${small.bytes} B`,
    measured: `response ${port.bytes} B, log line ${portLine} B (${codes(port)})`,
    target: 'response under 2 KB, line at most 8 KB',
    met: port.bytes < 2048 && portLine <= 8192,
  });
}

function idOf(answer: Answer): string | undefined {
  return (answer.body.data as { startFlowFlush?: { flowOperationId?: string } } | null)
    ?.startFlowFlush?.flowOperationId;
}

async function slowFlush(sim: Simulator, gateway: GatewayProcess, writer: Key, rows: Row[]) {
  const input = flushInput([{ sourceAddress: { addressDefinition: '10.9.9.0/24' } }]);
  sim.log.clear();
  const fast = await post(gateway.url, writer, START_FLUSH, { input });
  const fastCalls = sim.log.count('StartFlowFlush');
  sim.log.clear();
  sim.faults.set({ latencyMs: 6000, operations: ['StartFlowFlush'] });
  const slow = await post(gateway.url, writer, START_FLUSH, { input });
  sim.faults.reset();
  const slowCalls = sim.log.count('StartFlowFlush');
  const id = idOf(slow);
  rows.push({
    attack: 'StartFlowFlush answered after 6 s upstream',
    baseline: `answered at once: ${fastCalls} call, ${ms(fast.ms)}`,
    measured: `${slowCalls} call(s), ${id ? 'id returned' : codes(slow)}, ${ms(slow.ms)}`,
    target: 'one call; the id or OUTCOME_UNKNOWN',
    met: slowCalls === 1 && (id !== undefined || codes(slow) === 'OUTCOME_UNKNOWN'),
  });
  if (quick) return;
  // AWS acts at once but answers after the gateway's AWS_START_TIMEOUT_MS (30 s): the answer is lost.
  sim.log.clear();
  sim.faults.set({ answerDelayMs: 40_000, operations: ['StartFlowFlush'] });
  const lost = await post(gateway.url, writer, START_FLUSH, {
    input: flushInput([{ destinationPort: '4433' }]),
  });
  sim.faults.reset();
  const lostCalls = sim.log.count('StartFlowFlush');
  rows.push({
    attack: 'StartFlowFlush acted on at once, answered after 40 s (past AWS_START_TIMEOUT_MS)',
    baseline: `answered at once: ${fastCalls} call`,
    measured: `${lostCalls} call(s), ${idOf(lost) ? 'id returned (reconciled)' : codes(lost)}, ${ms(lost.ms)}`,
    target: 'one call; the id or OUTCOME_UNKNOWN',
    met: lostCalls === 1 && (idOf(lost) !== undefined || codes(lost) === 'OUTCOME_UNKNOWN'),
  });
}

async function upstreamBudget(sim: Simulator, gateway: GatewayProcess, reader: Key, rows: Row[]) {
  sim.log.clear();
  let refused = 0;
  for (let i = 0; i < 20; i++) {
    const answer = await post(gateway.url, reader, unknownOperationsQuery(100), {});
    if (answer.status === 429 || codes(answer).includes('RATE_LIMITED')) refused++;
  }
  const calls = sim.log.count('DescribeFlowOperation');
  rows.push({
    attack: '20 requests of 100 aliases of unknown ids, one read key',
    baseline: 'before the budget: 2,000 DescribeFlowOperation calls',
    measured: `${calls} calls, ${refused} requests refused`,
    target: 'within UPSTREAM_CALLS_PER_MINUTE (1000)',
    met: calls <= 1000,
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nfw-attacks-'));
const reader = newKey('bench-reader', ['read'], [DEFAULT_PATTERN]);
const writer = newKey('bench-writer', ['read', 'write'], [DEFAULT_PATTERN]);
const keysFile = join(dir, 'keys.json');
writeKeys(keysFile, [reader, writer]);
const sim = await createSimulator({ operationDelayMs: 60_000 });
const gateway = await spawnGateway({
  LOG_LEVEL: 'info',
  NFW_BACKEND: 'aws',
  AUTH_MODE: 'apikey',
  AUTH_API_KEYS_FILE: keysFile,
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_NETWORK_FIREWALL: sim.url,
  AWS_ACCESS_KEY_ID: 'AKIABENCHATTACKS',
  AWS_SECRET_ACCESS_KEY: 'bench',
  PLAYGROUND: 'false',
});
const rows: Row[] = [];
try {
  console.log(
    `nfw-flow-gateway attack benchmark${quick ? ' (--quick)' : ''}: node ${process.version}`,
  );
  if (runs('arn')) await freezingArn(gateway, reader, rows);
  if (runs('text')) await unboundedText(gateway, writer, rows);
  if (runs('flush')) await slowFlush(sim, gateway, writer, rows);
  if (runs('budget')) await upstreamBudget(sim, gateway, reader, rows);
} finally {
  await gateway.kill('SIGTERM');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n| attack | benign baseline | measured | target | met |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.attack} | ${r.baseline} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`,
  );
}
if (rows.some((r) => !r.met)) process.exitCode = 1;
