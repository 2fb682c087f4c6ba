/**
 * The gateway of bench/poll-cpu.ts, in a process of its own so that its CPU time
 * (process.cpuUsage) is the gateway's alone, not the simulator's or the subscribers'.
 * `node --import tsx bench/poll-cpu-gateway.ts <code root> <simulator url> <poll interval ms>`:
 * `<code root>` is this checkout or BENCH_PREVIOUS's; prints its URL, then answers `cpu` over IPC.
 */
import './production-env.js';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { gatewayEnv } from './gateway-env.js';
import type { createServer as CreateServer } from '../src/server.js';
import type { loadConfig as LoadConfig } from '../src/config.js';
import type { createLogger as CreateLogger } from '../src/logger.js';

const [root, simulatorUrl, intervalMs] = process.argv.slice(2);
if (!root || !simulatorUrl || !intervalMs) {
  throw new Error('usage: poll-cpu-gateway.ts <code root> <simulator url> <poll interval ms>');
}
const from = (path: string) => import(new URL(path, `file://${root}/`).href);
// That checkout's own modules, typed as this code's, which they must still match.
const { createServer } = (await from('src/server.ts')) as { createServer: typeof CreateServer };
const { loadConfig } = (await from('src/config.ts')) as { loadConfig: typeof LoadConfig };
const { createLogger } = (await from('src/logger.ts')) as { createLogger: typeof CreateLogger };

const server = await createServer(
  loadConfig(
    gatewayEnv(simulatorUrl, { POLL_INTERVAL_MS: intervalMs, WS_MAX_SUBSCRIPTIONS: '100000' }),
  ),
  {
    logger: createLogger('silent'),
    awsCredentials: { accessKeyId: 'AKIDPOLLCPU', secretAccessKey: 'bench' },
  },
);
process.send!({ type: 'url', url: server.url });
// --cpu-prof for bench/poll-cpu.ts: the measured window only, not the start and the captures.
const profiler = new Session();
profiler.connect();
const post = (method: string) =>
  new Promise<unknown>((resolve, reject) =>
    profiler.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
process.on('message', (message: { type: string; path?: string }) => {
  if (message.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (message.type === 'profile-start') {
    void post('Profiler.enable').then(() => post('Profiler.start'));
  }
  if (message.type === 'profile-stop' && message.path) {
    const path = message.path;
    void post('Profiler.stop').then((result) => {
      writeFileSync(path, JSON.stringify((result as { profile: unknown }).profile));
      process.send!({ type: 'profiled' });
    });
  }
  if (message.type === 'stop') void server.close().finally(() => process.exit(0));
});
