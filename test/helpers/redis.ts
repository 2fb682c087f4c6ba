import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  /** The server's process id (benchmarks pin it to a CPU), undefined once killed. */
  readonly pid: number | undefined;
  /** Kills the server, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Stops (SIGSTOP) or resumes (SIGCONT) the server: connections stay open and go unanswered. */
  freeze(frozen: boolean): void;
}

/** A private redis-server on a free port, so tests never touch the machine's shared Redis. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  // Ready when the server says so on stdout: no probing loop, no sleep between probes.
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      child = server;
      let output = '';
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4096);
        if (!output.includes('Ready to accept connections')) return;
        server.stdout.off('data', onData);
        // Drained, never read again: a full pipe would block the server.
        server.stdout.resume();
        server.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) =>
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
      server.stdout.on('data', onData);
      server.once('exit', onExit);
      server.once('error', reject);
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async kill() {
      const c = child;
      // A killed server has a signalCode and no exitCode.
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
    start,
    freeze(frozen) {
      child?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
    },
  };
}
