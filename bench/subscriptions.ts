/**
 * Subscription benchmark: N websocket subscribers (in a child process) over M flow operations,
 * against gateway replicas in this process on the simulator. Prints AWS polls per tick (target: M, whatever N
 * and the replica count), gateway memory per idle subscriber (target: at most 8 KB) and the push
 * latency after a status change (target: within one poll interval + 200 ms).
 *
 *   npm run bench:subscriptions -- [--subscribers 2000] [--operations 20] [--interval 1000]
 *                                  [--per-socket 1] [--replicas 1,2] [--distinct] [--quick]
 *                                  [--servers gateway,graphql-ws] [--client-processes 1] [--pin]
 *
 * --pin (bench/pinning.ts): this process, which hosts every gateway replica (one event loop) and
 * the simulator, on CPU 0; the client processes and redis-server on CPU 1, so that the clients'
 * parsing of thousands of frames does not delay the replicas' poll timers.
 *
 * --client-processes K spreads the subscribers over K client processes, each binding its sockets
 * to its own source address 127.0.0.(k+1): one process and one address would run out of
 * ephemeral ports (about 28,000) and of file descriptors before the gateway does. Each replica
 * signs its AWS calls with its own access key, so the simulator's log tells polls per replica.
 * Event-loop delay (perf_hooks' monitorEventLoopDelay) is sampled in this process, which hosts
 * the gateways, over the idle period (keep-alive sweeps and polls) and over the burst.
 *
 * --pin (Linux, util-linux's taskset) runs this process (gateways and simulator) on CPU 0 and the
 * client processes on CPU 1: on a 2-core machine the clients parsing the burst's messages
 * otherwise compete with the gateway writing them, and the latency measures both.
 *
 * Each scenario runs on the gateway's websocket server (src/ws/) and, as the baseline, on the
 * stock graphql-ws adapter (bench/graphql-ws-server.ts), same gateway otherwise. Identical
 * subscriptions share one execution on the gateway's server; --distinct gives every subscriber
 * its own, the worst case for memory.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server.js';
import { attachGraphqlWsServer } from './graphql-ws-server.js';
import type { GatewayServer } from '../src/server.js';
import { createSimulator } from '../src/simulator/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { startRedis } from '../test/helpers/redis.js';
import type { TestRedis } from '../test/helpers/redis.js';
import { startDemoCaptures } from '../test/helpers/start-captures.js';
import { GATEWAY_CPU, LOAD_CPU, pinProcess, pinningRequested } from './pinning.js';

const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
const AZ = 'us-east-1a';
const CLIENTS = fileURLToPath(new URL('./subscription-clients.ts', import.meta.url));

export type ServerKind = 'gateway' | 'graphql-ws';

export interface SubscriptionBenchOptions {
  subscribers: number;
  operations: number;
  intervalMs: number;
  perSocket: number;
  replicas: number[];
  /** Every subscription its own execution (no cohort sharing). */
  distinct: boolean;
  servers: ServerKind[];
  /** Idle intervals over which polls are counted. */
  ticks: number;
  /** Client processes, each with its own source address. */
  clientProcesses: number;
  /** WS_KEEPALIVE_MS of the gateways (unset: the default). */
  keepAliveMs: number | undefined;
  /** Gateways on one CPU, clients and redis on the other. */
  pin: boolean;
}

export function parseOptions(args: string[]): SubscriptionBenchOptions {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      subscribers: { type: 'string', default: '2000' },
      operations: { type: 'string', default: '20' },
      interval: { type: 'string', default: '1000' },
      'per-socket': { type: 'string', default: '1' },
      replicas: { type: 'string', default: '1,2' },
      distinct: { type: 'boolean', default: false },
      servers: { type: 'string', default: 'gateway,graphql-ws' },
      quick: { type: 'boolean', default: false },
      'client-processes': { type: 'string', default: '1' },
      'keepalive-ms': { type: 'string' },
      pin: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick ?? false;
  return {
    subscribers: quick ? 200 : Number(values.subscribers),
    operations: quick ? 5 : Number(values.operations),
    intervalMs: Number(values.interval),
    perSocket: Math.max(1, Number(values['per-socket'])),
    replicas: (values.replicas ?? '1,2').split(',').map(Number),
    distinct: values.distinct ?? false,
    servers: (values.servers ?? 'gateway,graphql-ws').split(',').map((name): ServerKind => {
      if (name === 'gateway' || name === 'graphql-ws') return name;
      throw new Error(`--servers: unknown server ${JSON.stringify(name)} (gateway, graphql-ws)`);
    }),
    ticks: quick ? 3 : 8,
    clientProcesses: Math.max(1, Number(values['client-processes'])),
    keepAliveMs: values['keepalive-ms'] === undefined ? undefined : Number(values['keepalive-ms']),
    pin: pinningRequested(values.pin ?? false),
  };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Without --expose-gc the heap figures include garbage and read high; the npm script passes it.
const gc = (globalThis as { gc?: () => void }).gc;
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Polls per interval from the simulator's log, per operation: (polls - 1) over the time between its
 * first and last poll. Counting calls in a fixed window instead would read ±1 poll per operation
 * depending on where the jittered polls fall against the window's edges.
 */
function pollRates(
  sim: Simulator,
  intervalMs: number,
): { perTick: number; closestMs: number; mostOfOne: number } {
  const times = new Map<string, number[]>();
  for (const entry of sim.log.entries()) {
    if (entry.operation !== 'DescribeFlowOperation') continue;
    const id = String(entry.input.FlowOperationId);
    const list = times.get(id) ?? [];
    list.push(entry.time);
    times.set(id, list);
  }
  let perTick = 0;
  let closestMs = Infinity;
  let mostOfOne = 0;
  for (const list of times.values()) {
    mostOfOne = Math.max(mostOfOne, list.length);
    list.sort((a, b) => a - b);
    const span = list.at(-1)! - list[0]!;
    if (list.length > 1 && span > 0) perTick += (list.length - 1) / (span / intervalMs);
    for (let i = 1; i < list.length; i++) closestMs = Math.min(closestMs, list[i]! - list[i - 1]!);
  }
  return { perTick, closestMs, mostOfOne };
}

/**
 * Where in the interval the operations' last idle polls fell (ms after the first of them, modulo
 * the interval), sorted: polls in step show as a cluster, spread ones as even gaps.
 */
function pollPhases(sim: Simulator, intervalMs: number): number[] {
  const last = new Map<string, number>();
  for (const entry of sim.log.entries()) {
    if (entry.operation !== 'DescribeFlowOperation') continue;
    last.set(String(entry.input.FlowOperationId), entry.time);
  }
  const times = [...last.values()];
  const first = Math.min(...times);
  return times.map((t) => (t - first) % intervalMs).sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function waitFor(
  child: ChildProcess,
  type: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`clients: no ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
  });
}

/** As many distinct operations as asked for: one capture per destination port from 1000 on. */
export const startCaptures = (url: string, count: number): Promise<string[]> =>
  startDemoCaptures(
    url,
    Array.from({ length: count }, (_, i) => String(1000 + i)),
  );

export interface Result {
  server: ServerKind;
  replicas: number;
  sockets: number;
  /** Each operation's own poll rate over the idle period, summed: AWS calls per interval. */
  pollsPerTick: number;
  /** The shortest time between two polls of one operation (a duplicate poll shows as ~0). */
  closestPollsMs: number;
  /**
   * The most polls any one operation had in the idle window, and how long that window really
   * was (`ticks` intervals, longer when this process's timers ran late). One poller polls at
   * most once per 0.9 interval (the jitter's floor); a duplicate poller shows as about twice.
   */
  mostPollsOfOneOperation: number;
  idleWindowMs: number;
  /** DescribeFlowOperation calls per replica over the idle period. */
  pollsByReplica: number[];
  /** Event-loop delay over the idle period and over the burst, ms. */
  idleLag: { p99: number; max: number };
  burstLag: { p99: number; max: number };
  /**
   * CPU time (user + system) of this process: per idle interval, and over the burst less the
   * idle rate over its duration. Scheduling on a shared machine inflates wall-clock figures;
   * CPU time is the gateway's own cost of the 19,000 pushes.
   */
  idleCpuMs: number;
  burstCpuMs: number;
  rssBytesPerSubscriber: number;
  bytesPerSubscriber: number;
  latency: { p50: number; p90: number; p99: number; max: number; told: number };
  /**
   * The push latency in its two parts: the wait from the status change to the poll that saw it
   * (the longest over the operations: up to an interval plus its jitter, whatever the gateway
   * does), and from that poll's arrival at the simulator to each subscriber's receipt (the
   * gateway's fan-out and the clients' reading, p50 / p99 / max).
   */
  pollWaitMaxMs: number;
  afterPoll: { p50: number; p99: number; max: number };
  /** Messages the clients found malformed or out of order (see bench/subscription-clients.ts). */
  invalid: number;
}

async function scenario(
  o: SubscriptionBenchOptions,
  sim: Simulator,
  server: ServerKind,
  replicas: number,
  redis: TestRedis | undefined,
): Promise<Result> {
  sim.control.reset();
  const gateways: GatewayServer[] = [];
  const keys: string[] = [];
  for (let r = 0; r < replicas; r++) {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'production',
      NFW_BACKEND: 'aws',
      AUTH_MODE: 'none',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_NETWORK_FIREWALL: sim.url,
      POLL_INTERVAL_MS: String(o.intervalMs),
      WS_MAX_SUBSCRIPTIONS: String(Math.max(100, o.perSocket)),
      ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: `bench${replicas}:` } : {}),
      // Room for every socket whatever the fd limit says (the limit's warning is logged silently).
      WS_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
      // Thousands of handshakes at once on a loaded machine: connection_init may queue for long.
      WS_INIT_TIMEOUT_MS: '600000',
      ...(o.keepAliveMs === undefined ? {} : { WS_KEEPALIVE_MS: String(o.keepAliveMs) }),
    });
    keys.push(`AKIDBENCH${r}`);
    gateways.push(
      await createServer(config, {
        awsCredentials: { accessKeyId: `AKIDBENCH${r}`, secretAccessKey: 'bench' },
        // Silent: the captures it starts would print an audit line each.
        logger: createLogger('silent'),
        ...(server === 'graphql-ws' ? { attachWebSocket: attachGraphqlWsServer } : {}),
      }),
    );
  }
  const processes = Array.from({ length: o.clientProcesses }, () => {
    const child = fork(CLIENTS, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // At once, before it has loaded its modules: what it runs later is all on the load's CPU.
    if (o.pin && child.pid !== undefined) pinProcess(child.pid, LOAD_CPU);
    return child;
  });
  // Subscriber i of process k is global subscriber k + i*K: every process has every operation.
  const shares = processes.map(
    (_, k) =>
      Math.floor(o.subscribers / o.clientProcesses) +
      (k < o.subscribers % o.clientProcesses ? 1 : 0),
  );
  try {
    const urls = gateways.map((g) => g.url);
    const ids = await startCaptures(urls[0]!, o.operations);
    await sleep(300);
    const before = await settledHeap();
    const rssBefore = process.memoryUsage().rss;

    processes.forEach((clients, k) =>
      clients.send({
        type: 'start',
        urls,
        ids,
        subscribers: shares[k],
        perSocket: o.perSocket,
        distinct: o.distinct,
        arn: ARN,
        az: AZ,
        localAddress: o.clientProcesses > 1 ? `127.0.0.${k + 1}` : undefined,
      }),
    );
    const subscribed = await Promise.all(
      processes.map((clients) => waitFor(clients, 'subscribed', 900_000)),
    );
    const failed = subscribed.reduce((n, m) => n + Number(m.failed ?? 0), 0);
    console.log(
      `  client processes' longest event-loop stall while subscribing, ms: ${subscribed.map((m) => String(m.stallMaxMs)).join(' / ')}`,
    );
    if (failed > 0) {
      console.log(`  ${failed} subscribers failed to subscribe; sockets lost by reason:`);
      console.log(`  ${JSON.stringify(subscribed.map((m) => m.lostBy))}`);
    }

    // Idle: count the polls over several ticks, then weigh the gateway with its subscribers.
    sim.log.clear();
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    const idleCpu = process.cpuUsage();
    const idleStart = Date.now();
    await sleep(o.intervalMs * o.ticks);
    const idleWindowMs = Date.now() - idleStart;
    const idleCpuMs = cpuMs(process.cpuUsage(idleCpu)) / o.ticks;
    idle.disable();
    const polls = pollRates(sim, o.intervalMs);
    console.log(`  idle poll phases, ms: ${pollPhases(sim, o.intervalMs).join(' ')}`);
    const pollsByReplica = keys.map(
      (key) =>
        sim.log
          .entries()
          .filter((e) => e.operation === 'DescribeFlowOperation' && e.accessKeyId === key).length,
    );
    sim.log.clear();
    // Read as rssBefore was, after the heap settles: read before the GC, it also counted the
    // subscribing storm's garbage and the young generation it had grown (up to 2.2 KB per
    // subscriber at 19,000, varying from run to run), which no subscriber holds.
    const after = await settledHeap();
    const rssAfter = process.memoryUsage().rss;

    // A status change on every operation at once; every subscriber should hear within a tick.
    const burst = monitorEventLoopDelay({ resolution: 10 });
    burst.enable();
    const changedAt = Date.now();
    const burstCpu = process.cpuUsage();
    for (const id of ids) sim.control.completeOperation(id, 'COMPLETED');
    // Requests logged from here on were answered after the change (the simulator is in process).
    const seqAtChange = sim.log.entries().at(-1)?.seq ?? -1;
    const done = processes.map((clients) => waitFor(clients, 'done', o.intervalMs * 3 + 10_000));
    const timeout = setTimeout(
      () => processes.forEach((clients) => clients.send({ type: 'report' })),
      o.intervalMs * 3 + 5000,
    );
    const reports = (await Promise.all(done)) as {
      completedAt: number[];
      invalid: number;
      lostBy: Record<string, number>;
    }[];
    const completedAt = reports.flatMap((m) => m.completedAt);
    const invalid = reports.reduce((n, m) => n + m.invalid, 0);
    const lost = reports.map((m) => m.lostBy);
    if (lost.some((byReason) => Object.keys(byReason).length > 0)) {
      console.log(`  sockets lost by reason, over the whole run: ${JSON.stringify(lost)}`);
    }
    clearTimeout(timeout);
    const burstCpuMs = cpuMs(process.cpuUsage(burstCpu));
    const burstMs = Date.now() - changedAt;
    burst.disable();
    const ms = (h: IntervalHistogram) => ({
      p99: h.percentile(99) / 1e6,
      max: h.max / 1e6,
    });
    // Each operation's first poll after the change is the one that saw COMPLETED; subscriber i
    // of each process watches ids[i % ids.length].
    const polledAt = new Map<string, number>();
    for (const e of sim.log.entries()) {
      const id = e.input.FlowOperationId;
      if (e.seq <= seqAtChange || e.operation !== 'DescribeFlowOperation') continue;
      if (typeof id === 'string' && !polledAt.has(id)) polledAt.set(id, e.time);
    }
    const afterPoll = reports
      .flatMap((m) =>
        m.completedAt.map((t, i) =>
          // 0: never told (its socket was lost), so no time after the poll either.
          t > 0 ? t - (polledAt.get(ids[i % ids.length]!) ?? Infinity) : NaN,
        ),
      )
      .filter((t) => Number.isFinite(t))
      .sort((a, b) => a - b);
    const latencies = completedAt
      .filter((t) => t > 0)
      .map((t) => t - changedAt)
      .sort((a, b) => a - b);
    return {
      server,
      replicas,
      sockets: Math.ceil(o.subscribers / o.perSocket),
      pollsPerTick: polls.perTick,
      closestPollsMs: polls.closestMs,
      mostPollsOfOneOperation: polls.mostOfOne,
      idleWindowMs,
      pollsByReplica,
      idleLag: ms(idle),
      burstLag: ms(burst),
      // What the burst cost beyond the idle work (polls, keep-alive) of as long a time.
      burstCpuMs: burstCpuMs - (idleCpuMs * burstMs) / o.intervalMs,
      idleCpuMs,
      rssBytesPerSubscriber: (rssAfter - rssBefore) / o.subscribers,
      bytesPerSubscriber: (after - before) / o.subscribers,
      latency: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? NaN,
        told: latencies.length,
      },
      pollWaitMaxMs: Math.max(...[...polledAt.values()].map((t) => t - changedAt)),
      afterPoll: {
        p50: percentile(afterPoll, 50),
        p99: percentile(afterPoll, 99),
        max: afterPoll.at(-1) ?? NaN,
      },
      invalid,
    };
  } finally {
    await Promise.all(
      processes.map((clients) => {
        clients.send({ type: 'stop' });
        return new Promise((r) => clients.once('exit', r));
      }),
    );
    await Promise.allSettled(gateways.map((g) => g.close()));
  }
}

export async function runSubscriptionBenchmark(o: SubscriptionBenchOptions): Promise<Result[]> {
  // The gateways reach the simulator through the SDK's default credential chain, as on AWS.
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDBENCH';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  const sim = await createSimulator({ operationDelayMs: 3_600_000 });
  const needsRedis = o.replicas.some((r) => r > 1);
  if (o.pin) pinProcess(process.pid, GATEWAY_CPU);
  const redis = needsRedis ? await startRedis() : undefined;
  if (o.pin && redis?.pid !== undefined) pinProcess(redis.pid, LOAD_CPU);
  const results: Result[] = [];
  try {
    for (const replicas of o.replicas) {
      for (const server of o.servers) {
        results.push(await scenario(o, sim, server, replicas, replicas > 1 ? redis : undefined));
      }
    }
  } finally {
    await sim.close();
    await redis?.kill();
  }
  return results;
}

export function formatResults(o: SubscriptionBenchOptions, results: Result[]): string {
  const ms = (v: number) => v.toFixed(0);
  const lines = [
    `Subscriptions: ${o.subscribers} subscribers (${o.perSocket} per socket) over ${o.operations} operations${o.distinct ? ', each its own execution (--distinct)' : ''}, poll interval ${o.intervalMs} ms, ${gc ? 'heap after GC' : 'heap WITHOUT --expose-gc (inflated)'}${o.pin ? `, gateways and simulator on CPU ${GATEWAY_CPU}, clients and redis on CPU ${LOAD_CPU}` : ''}`,
    '| websocket server | replicas | sockets | AWS polls per tick (target) | polls per replica (idle) | closest polls of one operation, ms | event-loop delay idle p99 / max, ms | burst p99 / max, ms | gateway heap / RSS per subscriber, KB | push latency p50 / p90 / p99 / max, ms (target <= interval + 150) | longest poll wait / after the poll p50 / p99 / max, ms | subscribers told | invalid messages | CPU per idle interval / burst beyond idle, ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.server === 'gateway' ? 'gateway (src/ws)' : 'baseline: graphql-ws useServer'} | ${r.replicas} | ${r.sockets} | ${r.pollsPerTick.toFixed(2)} (${o.operations}) | ${r.pollsByReplica.join(' / ')} | ${ms(r.closestPollsMs)} | ${ms(r.idleLag.p99)} / ${ms(r.idleLag.max)} | ${ms(r.burstLag.p99)} / ${ms(r.burstLag.max)} | ${(r.bytesPerSubscriber / 1024).toFixed(2)} / ${(r.rssBytesPerSubscriber / 1024).toFixed(2)} | ${ms(r.latency.p50)} / ${ms(r.latency.p90)} / ${ms(r.latency.p99)} / ${ms(r.latency.max)} (${o.intervalMs + 150}) | ${ms(r.pollWaitMaxMs)} / ${ms(r.afterPoll.p50)} / ${ms(r.afterPoll.p99)} / ${ms(r.afterPoll.max)} | ${r.latency.told}/${o.subscribers} | ${r.invalid} | ${ms(r.idleCpuMs)} / ${ms(r.burstCpuMs)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseOptions(process.argv.slice(2));
  runSubscriptionBenchmark(options).then(
    (results) => {
      console.log(`\n${formatResults(options, results)}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
