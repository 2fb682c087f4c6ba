/**
 * Issue 11, item 2, replayed: distinct refused documents of about 24 KB (`{ u1_0 u1_1 … }`, unknown
 * fields that fail validation) sent by 5 read keys under the rate limit, over websockets and over
 * HTTP, to a production gateway in its own process with `--max-old-space-size=1024`. Beside them,
 * in the same run, the same number of distinct small documents that are accepted. Each scenario
 * gets a fresh gateway; the table shows its RSS before and after, its peak, and whether it still
 * answers. `--factor` instead measures the heap a parsed document holds per token, the figure
 * behind DOCUMENT_BYTES_PER_TOKEN (src/limits/document-size.ts).
 *
 *   npm run bench:documents [-- --count 1000 --fields 2400 --scenarios ws-refused,http-refused]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Lexer, Source, TokenKind, parse } from 'graphql';
import WebSocket from 'ws';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const DEMO_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
const KEYS = 5;
const HEAP_MB = 1024;

export const SCENARIOS = ['ws-refused', 'http-refused', 'ws-accepted', 'http-accepted'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Options {
  count: number;
  /** Unknown fields per refused document: 2,400 make about 24 KB. */
  fields: number;
  scenarios: Scenario[];
  factor: boolean;
}

export interface Result {
  scenario: Scenario;
  sent: number;
  /** Answers received (an `error` or a result: both mean the gateway handled the document). */
  answered: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  peakMb: number;
  /** Alive and answering `{ __typename }` after the run; else how it ended. */
  serving: string;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = { count: 1000, fields: 2400, scenarios: [...SCENARIOS], factor: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--count') options.count = Number(value);
    else if (flag === '--fields') options.fields = Number(value);
    else if (flag === '--scenarios') {
      options.scenarios = value.split(',').map((s) => {
        if (!(SCENARIOS as readonly string[]).includes(s))
          throw new Error(`unknown scenario "${s}"`);
        return s as Scenario;
      });
    } else if (flag === '--factor') {
      options.factor = true;
      continue;
    } else throw new Error(`unknown option "${flag}"`);
    i++;
  }
  return options;
}

/** The attack's document: distinct unknown fields, so each one is new to every cache. */
function refusedDocument(i: number, fields: number): string {
  return `{ ${Array.from({ length: fields }, (_, j) => `u${i}_${j}`).join(' ')} }`;
}

/** A distinct small document that passes every check and runs (no AWS call). */
function acceptedDocument(i: number): string {
  return `query Q${i} { a${i}: __typename }`;
}

interface Gateway {
  url: string;
  child: ChildProcess;
  keys: string[];
  /** Set when the process ends: its exit code or signal. */
  ended: string | undefined;
  stop(): Promise<void>;
}

/** A production gateway in its own process, heap capped as in the attack, with 5 read keys. */
async function startGateway(): Promise<Gateway> {
  const dir = mkdtempSync(join(tmpdir(), 'nfw-bench-documents-'));
  const keys = Array.from({ length: KEYS }, () => `nfw_${randomBytes(32).toString('base64url')}`);
  const keysFile = join(dir, 'keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify({
      keys: keys.map((key, i) => ({
        name: `reader-${i}`,
        sha256: createHash('sha256').update(key, 'utf8').digest('hex'),
        scopes: ['read'],
        firewalls: ['arn:aws:network-firewall:*:*:firewall/*'],
      })),
    }),
  );
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', MAIN],
    {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        // With credentials required, /metrics gets a port of its own (9464 by default): any free
        // one, so that runs side by side do not collide.
        METRICS_PORT: '0',
        NODE_ENV: 'production',
        // As deployed: a line per request, read and dropped here (an undrained pipe would block).
        LOG_LEVEL: 'info',
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: keysFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const gateway: Gateway = {
    url: '',
    child,
    keys,
    ended: undefined,
    async stop() {
      if (gateway.ended === undefined) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
  child.once('exit', (code, signal) => {
    const oom = /heap out of memory/i.test(stderr) ? ' (heap out of memory)' : '';
    gateway.ended = `died: ${signal ?? `exit ${code}`}${oom}`;
  });
  gateway.url = await readyUrl(child);
  return gateway;
}

/** The URL the gateway logs once it listens; its output is drained for the rest of its life. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += String(chunk);
      const m = /GraphQL gateway ready at (\S+?)"/.exec(buffer);
      if (!m?.[1]) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      child.off('exit', onExit);
      resolve(m[1]);
    };
    const onExit = () => reject(new Error(`the gateway exited before it was ready:\n${buffer}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** RSS and its peak so far (Linux); zeros once the process is gone. */
function rssMb(pid: number): { rss: number; peak: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // Exited and reaped.
  }
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** One socket per key; documents go round the sockets, each socket waiting for its answer. */
async function sendOverWebsockets(
  gateway: Gateway,
  documents: (i: number) => string,
  count: number,
): Promise<number> {
  const sockets = await Promise.all(
    gateway.keys.map(async (key) => {
      const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), ['graphql-transport-ws']);
      await once(socket, 'open');
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }),
      );
      await once(socket, 'message');
      return socket;
    }),
  );
  let answered = 0;
  await Promise.all(
    sockets.map(async (socket, s) => {
      const closed = once(socket, 'close').then(() => false);
      for (let i = s; i < count && gateway.ended === undefined; i += sockets.length) {
        socket.send(
          JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: documents(i) } }),
        );
        const answer = new Promise<boolean>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const message = JSON.parse(String(data)) as { id?: string; type: string };
            if (message.id !== String(i) || message.type === 'complete') return;
            socket.off('message', onMessage);
            resolve(true);
          };
          socket.on('message', onMessage);
        });
        if (!(await Promise.race([answer, closed]))) return;
        answered++;
      }
    }),
  );
  for (const socket of sockets) socket.terminate();
  return answered;
}

/** Five callers at once, one per key, each waiting for its answer before the next request. */
async function sendOverHttp(
  gateway: Gateway,
  documents: (i: number) => string,
  count: number,
): Promise<number> {
  let answered = 0;
  await Promise.all(
    gateway.keys.map(async (key, k) => {
      for (let i = k; i < count && gateway.ended === undefined; i += gateway.keys.length) {
        try {
          const res = await fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: documents(i) }),
          });
          await res.arrayBuffer();
          if (res.status === 200 || res.status === 400) answered++;
        } catch {
          return;
        }
      }
    }),
  );
  return answered;
}

async function serving(gateway: Gateway): Promise<string> {
  if (gateway.ended) return gateway.ended;
  try {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.keys[0]}` },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: { __typename?: string } };
    return body.data?.__typename === 'Query' ? 'yes' : `no (HTTP ${res.status})`;
  } catch (error) {
    return gateway.ended ?? `no (${(error as Error).message})`;
  }
}

async function runScenario(scenario: Scenario, options: Options): Promise<Result> {
  const gateway = await startGateway();
  try {
    const pid = gateway.child.pid!;
    // Warm: the first requests load code paths and allocate pools that are not the attack's.
    await sendOverHttp(gateway, (i) => `query W${i} { __typename }`, 20);
    await sendOverWebsockets(gateway, (i) => `query V${i} { __typename }`, 20);
    const before = rssMb(pid);
    const documents = scenario.endsWith('refused')
      ? (i: number) => refusedDocument(i, options.fields)
      : acceptedDocument;
    const send = scenario.startsWith('ws') ? sendOverWebsockets : sendOverHttp;
    // The kernel's peak (VmHWM) is gone with the process: sampled while it lives.
    let peak = before.peak;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid).peak)), 100);
    const answered = await send(gateway, documents, options.count);
    clearInterval(sampler);
    // Cut short: most likely dying; let its exit (and its reason) arrive before reporting.
    if (answered < options.count && gateway.ended === undefined) {
      await Promise.race([once(gateway.child, 'exit'), delay(5000)]);
    }
    const after = gateway.ended ? { rss: 0, peak } : rssMb(pid);
    peak = Math.max(peak, after.peak);
    return {
      scenario,
      sent: options.count,
      answered,
      rssBeforeMb: before.rss,
      rssAfterMb: after.rss,
      peakMb: peak,
      serving: await serving(gateway),
    };
  } finally {
    await gateway.stop();
  }
}

export async function runDocumentsBenchmark(options: Options): Promise<Result[]> {
  const results: Result[] = [];
  for (const scenario of options.scenarios) results.push(await runScenario(scenario, options));
  return results;
}

const LABELS: Record<Scenario, string> = {
  'ws-refused': 'refused ~24 KB, websockets',
  'http-refused': 'refused ~24 KB, HTTP',
  'ws-accepted': 'accepted small (baseline), websockets',
  'http-accepted': 'accepted small (baseline), HTTP',
};

export function formatResults(options: Options, results: Result[]): string {
  const mb = (n: number) => n.toFixed(0);
  const lines = [
    `${options.count} distinct documents per scenario, ${KEYS} read keys (AUTH_MODE=apikey, default RATE_LIMIT_PER_MINUTE), NODE_ENV=production, --max-old-space-size=${HEAP_MB}, a fresh gateway process each`,
    '',
    '| scenario | answered | RSS before MB | RSS after MB | growth MB | peak RSS MB | still serving |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const growth = r.rssAfterMb > 0 ? mb(r.rssAfterMb - r.rssBeforeMb) : '—';
    lines.push(
      `| ${LABELS[r.scenario]} | ${r.answered}/${r.sent} | ${mb(r.rssBeforeMb)} | ${r.rssAfterMb > 0 ? mb(r.rssAfterMb) : '—'} | ${growth} | ${mb(r.peakMb)} | ${r.serving} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Heap held by the parsed documents of `texts` (texts excluded). A function of its own, so that
 * nothing of one shape's run is still reachable from the caller's frame during the next.
 */
function heldByParsing(texts: string[], gc: () => void): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = texts.map((t) => parse(t));
  gc();
  gc();
  const held = process.memoryUsage().heapUsed - before;
  if (kept.length !== texts.length) throw new Error('unreachable');
  return held;
}

/** Heap held per token and per character by parsed documents of several shapes (needs --expose-gc). */
export function measureFactor(): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('--factor needs node --expose-gc (npm run bench:documents does it)');
  const tokens = (text: string) => {
    const lexer = new Lexer(new Source(text));
    let n = 1; // the end-of-file token, held like the others
    while (lexer.advance().kind !== TokenKind.EOF) n++;
    return n;
  };
  const list = (n: number, field: (j: number) => string) =>
    `{ ${Array.from({ length: n }, (_, j) => field(j)).join(' ')} }`;
  const shapes: [string, (i: number) => string, number][] = [
    ['unknown fields (the attack)', (i) => refusedDocument(i, 2400), 100],
    ['one-letter fields', (i) => list(4000, (j) => `a${j % 10}`) + `# ${i}`, 50],
    [
      'aliases with arguments',
      (i) => list(300, (j) => `a${j}: firewall(firewallArn: "${DEMO_ARN}${i}") { firewallArn }`),
      50,
    ],
    ['nested selections', (i) => `{ ${'a { '.repeat(500)}b${i}${' }'.repeat(501)}`, 100],
    [
      'small query',
      (i) => `query Q${i}($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`,
      5000,
    ],
  ];
  const lines = [
    '| shape | chars/doc | tokens/doc | heap bytes/char | heap bytes/token |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, make, n] of shapes) {
    const texts = Array.from({ length: n }, (_, i) => make(i));
    const held = heldByParsing(texts, gc);
    const chars = texts.reduce((sum, t) => sum + t.length, 0);
    const toks = texts.reduce((sum, t) => sum + tokens(t), 0);
    lines.push(
      `| ${name} | ${Math.round(chars / n)} | ${Math.round(toks / n)} | ${(held / chars).toFixed(0)} | ${(held / toks).toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseOptions(process.argv.slice(2));
  if (options.factor) {
    console.log(measureFactor());
  } else {
    const results = await runDocumentsBenchmark(options);
    console.log(formatResults(options, results));
  }
}
