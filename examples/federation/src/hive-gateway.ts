// Runs Hive Gateway's own CLI (the npm package's bin, as an operator would) on a supergraph file,
// on a free port, and tells when it listens. No fixed waits: readiness is its "Listening" log line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFIG = fileURLToPath(new URL('../gateway.config.ts', import.meta.url));
/** How long the CLI may take to load its config and the supergraph (a cold tsx-less TS load). */
const START_TIMEOUT_MS = 30_000;
/** What the CLI keeps of its own output, for the error when it does not start. */
const MAX_OUTPUT_CHARS = 8192;

function hiveGatewayBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
}

/** A port free now: the CLI prints the port it was given, not the one it got, so 0 won't do. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RunningHiveGateway {
  /** The supergraph's GraphQL endpoint; ws: on the same URL for subscriptions. */
  url: string;
  stop(): Promise<void>;
}

export async function startHiveGateway(supergraphSdl: string): Promise<RunningHiveGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'nfw-supergraph-'));
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, supergraphSdl);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      hiveGatewayBin(),
      'supergraph',
      file,
      '-c',
      CONFIG,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      // Only what it needs: no HIVE_* / APOLLO_* token or endpoint can switch reporting on.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`hive-gateway did not listen in ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
        if (/Listening on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hive-gateway exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, stop };
}
