/**
 * `npm run bench:poll-cpu -- [--operations 300] [--interval 1000] [--seconds 10] [--rounds 2]
 * [--pin] [--cpu-prof]`: the gateway's CPU per subscription poll. One gateway process (bench/
 * poll-cpu-gateway.ts) watches N operations, each with one subscriber, on the simulator in this
 * process; over an idle window (no status changes, so nothing is pushed) the gateway's
 * process.cpuUsage() delta is divided by the DescribeFlowOperation calls the simulator counted.
 * With BENCH_PREVIOUS (a checkout of the previous code, node_modules linked) the previous code
 * runs the same way, alternated with this one round by round, in one run.
 * --cpu-prof writes a V8 profile of this code's gateway over the window to bench/profiles/
 * (the profiler's own cost is then in that round's CPU figure).
 */
import './production-env.js';
import { mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO_FIREWALL_ARN, createSimulator } from '../src/simulator/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { startCaptures } from './subscriptions.js';
import { GATEWAY_CPU, LOAD_CPU, pinProcess, pinnedCommand, pinningRequested } from './pinning.js';

const AZ = 'us-east-1a';
const GATEWAY = fileURLToPath(new URL('./poll-cpu-gateway.ts', import.meta.url));
const THIS_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('./profiles', import.meta.url));
const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

const args = process.argv.slice(2);
const { values } = parseArgs({
  args,
  options: {
    operations: { type: 'string', default: '300' },
    interval: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    pin: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const operations = Number(values.operations);
const intervalMs = Number(values.interval);
const windowMs = Number(values.seconds) * 1000;
const pin = pinningRequested(args.includes('--pin'));
const previous = process.env.BENCH_PREVIOUS;

interface Gateway {
  child: ChildProcess;
  url: string;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

function nextMessage(child: ChildProcess, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`gateway exited (${code})`));
    const onMessage = (m: Record<string, unknown>) => {
      if (m.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(m);
    };
    child.on('message', onMessage).once('exit', onExit);
  });
}

async function startGateway(root: string, simUrl: string): Promise<Gateway> {
  const node = ['--import', 'tsx', GATEWAY, root, simUrl, String(intervalMs)];
  const [command, argv] = pinnedCommand(pin ? GATEWAY_CPU : undefined, process.execPath, node);
  const child = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = (await nextMessage(child, 'url')) as { url: string };
  return {
    child,
    url,
    async cpuMs() {
      const reply = nextMessage(child, 'cpu');
      child.send({ type: 'cpu' });
      const { usage } = (await reply) as { usage: NodeJS.CpuUsage };
      return (usage.user + usage.system) / 1000;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

/** One subscriber per operation on one socket; resolves once each has had its first event. */
async function subscribeAll(url: string, ids: string[]) {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket });
  let waiting = ids.length;
  await new Promise<void>((resolve, reject) => {
    for (const id of ids) {
      let first = true;
      client.subscribe(
        { query: SUB, variables: { arn: DEMO_FIREWALL_ARN, az: AZ, id } },
        {
          next: () => {
            if (first && --waiting === 0) resolve();
            first = false;
          },
          error: (e) => reject(new Error(`subscription failed: ${JSON.stringify(e)}`)),
          complete: () => {},
        },
      );
    }
  });
  return client;
}

interface Sample {
  code: 'this' | 'previous';
  polls: number;
  cpuMs: number;
}

async function measure(sim: Simulator, code: Sample['code'], root: string): Promise<Sample> {
  sim.control.reset();
  const gateway = await startGateway(root, sim.url);
  const profile =
    code === 'this' && values['cpu-prof']
      ? `${PROFILE_DIR}/poll-${Date.now()}.cpuprofile`
      : undefined;
  try {
    const ids = await startCaptures(gateway.url, operations);
    const client = await subscribeAll(gateway.url, ids);
    // Two intervals for every operation to be on its steady jittered schedule.
    await new Promise((r) => setTimeout(r, 2 * intervalMs));
    sim.log.clear();
    if (profile) gateway.child.send({ type: 'profile-start' });
    const before = await gateway.cpuMs();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await gateway.cpuMs();
    if (profile) {
      const written = nextMessage(gateway.child, 'profiled');
      gateway.child.send({ type: 'profile-stop', path: profile });
      await written;
      console.log(`profile of this code's window: ${profile}`);
    }
    const polls = sim.log.count('DescribeFlowOperation');
    await client.dispose();
    return { code, polls, cpuMs: after - before };
  } finally {
    await gateway.stop();
  }
}

if (pin) pinProcess(process.pid, LOAD_CPU);
if (values['cpu-prof']) mkdirSync(PROFILE_DIR, { recursive: true });
const sim = await createSimulator({ operationDelayMs: 24 * 3_600_000 });
const samples: Sample[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    if (previous) samples.push(await measure(sim, 'previous', previous));
    samples.push(await measure(sim, 'this', THIS_ROOT));
  }
} finally {
  await sim.close();
}
console.log(
  `Poll CPU: ${operations} watched operations, one subscriber each, interval ${intervalMs} ms, ` +
    `${windowMs / 1000} s idle window per round${pin ? `, gateway on CPU ${GATEWAY_CPU}, simulator and clients on CPU ${LOAD_CPU}` : ''}`,
);
console.log('| code | round polls | gateway CPU ms | CPU ms per poll |');
console.log('| --- | --- | --- | --- |');
for (const s of samples) {
  console.log(
    `| ${s.code} | ${s.polls} | ${s.cpuMs.toFixed(0)} | ${(s.cpuMs / s.polls).toFixed(3)} |`,
  );
}
const perPoll = (code: Sample['code']) => {
  const mine = samples.filter((s) => s.code === code);
  return mine.reduce((n, s) => n + s.cpuMs, 0) / mine.reduce((n, s) => n + s.polls, 0);
};
console.log(`\nthis code: ${perPoll('this').toFixed(3)} CPU ms per poll`);
if (previous) {
  console.log(
    `previous (${previous}): ${perPoll('previous').toFixed(3)} CPU ms per poll; ` +
      `ratio ${(perPoll('this') / perPoll('previous')).toFixed(2)}`,
  );
}
process.exit(0);
