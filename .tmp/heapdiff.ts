import { fork } from 'node:child_process';
import { writeHeapSnapshot } from 'node:v8';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server.js';
import { createSimulator } from '../src/simulator/index.js';

const N = 1000;
const distinct = process.argv.includes('--distinct');
process.env.AWS_ACCESS_KEY_ID = 'AKID'; process.env.AWS_SECRET_ACCESS_KEY = 'x';
const sim = await createSimulator({ operationDelayMs: 3_600_000 });
const gw = await createServer(loadConfig({ HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production', NFW_BACKEND: 'aws', AUTH_MODE: 'none', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_NETWORK_FIREWALL: sim.url, POLL_INTERVAL_MS: '1000' }), { logger: createLogger('warn') });
const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
const ids: string[] = [];
for (let i = 0; i < 5; i++) {
  const r = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`, variables: { input: { firewallArn: ARN, availabilityZone: 'us-east-1a', flowFilters: [{ destinationPort: String(1000 + i) }] } } }) });
  ids.push(((await r.json()) as any).data.startFlowCapture.flowOperationId);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(300);
function summarize(file: string) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[]; const types = snap.snapshot.meta.node_types[0] as string[];
  const nf = f.length; const nodes = snap.nodes as number[]; const strings = snap.strings as string[];
  const m = new Map<string, { n: number; size: number }>();
  for (let i = 0; i < nodes.length; i += nf) {
    const type = types[nodes[i + f.indexOf('type')]!]; const name = strings[nodes[i + f.indexOf('name')]!];
    const key = type === 'object' || type === 'closure' ? `${type}:${name}` : type!;
    const e = m.get(key) ?? { n: 0, size: 0 }; e.n++; e.size += nodes[i + f.indexOf('self_size')]!; m.set(key, e);
  }
  return m;
}
(globalThis as any).gc?.(); await sleep(100); (globalThis as any).gc?.();
const a = writeHeapSnapshot('/tmp/a.heapsnapshot');
const clients = fork(new URL('../bench/subscription-clients.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
clients.send({ type: 'start', urls: [gw.url], ids, subscribers: N, perSocket: 1, distinct, arn: ARN, az: 'us-east-1a' });
await new Promise((r) => clients.on('message', (m: any) => m.type === 'subscribed' && r(null)));
await sleep(3000);
(globalThis as any).gc?.(); await sleep(100); (globalThis as any).gc?.();
const b = writeHeapSnapshot('/tmp/b.heapsnapshot');
const A = summarize(a), B = summarize(b);
const rows = [...B].map(([k, v]) => ({ k, dn: v.n - (A.get(k)?.n ?? 0), ds: v.size - (A.get(k)?.size ?? 0) })).sort((x, y) => y.ds - x.ds).slice(0, 45);
let total = 0; for (const [k, v] of B) total += v.size - (A.get(k)?.size ?? 0);
console.log('total per subscriber', (total / N).toFixed(0), 'B');
for (const r of rows) console.log((r.ds / N).toFixed(0).padStart(6), (r.dn / N).toFixed(2).padStart(7), r.k);
clients.send({ type: 'stop' }); await gw.close(); await sim.close(); process.exit(0);
