import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { entryArgs } from './entry.js';

type LogEntry = Record<string, unknown>;

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
  /** The first JSON log line matching `match`, written already or waited for. */
  line(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

function parsed(line: string): LogEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway as its own OS process (what a replica is): dist/ when current, else the source. */
export async function spawnGateway(
  env: Record<string, string>,
  options: { fdLimit?: number } = {},
): Promise<GatewayProcess> {
  const argv = [process.execPath, ...entryArgs('main')];
  // `prlimit --nofile` runs the gateway under a lower open-file limit, soft and hard.
  const [command, ...args] =
    options.fdLimit === undefined
      ? argv
      : ['prlimit', `--nofile=${options.fdLimit}`, '--', ...argv];
  const child = spawn(command!, args, {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      // With credentials, metrics have a port of their own: a free one, not 9464 for every test.
      ...(env.AUTH_MODE && env.AUTH_MODE !== 'none' ? { METRICS_PORT: '0' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    // A bound on a hang, not a measure: a start from source has tsx compile the gateway (and,
    // with OTEL_* set, the OpenTelemetry SDK), which takes 4-5 s idle and more on a busy CI.
    const timer = setTimeout(() => {
      // Killed, or the late gateway would keep the test file's process alive after its failure.
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${logs.join('\n')}`));
    }, 60_000);
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        logs.push(line);
        for (const watch of watchers) watch(line);
        const m = /GraphQL gateway ready at (\S+?)"/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  return {
    url,
    child,
    logs,
    exited,
    line(match, timeoutMs = 10_000) {
      const found = logs.map(parsed).find((entry) => entry && match(entry));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          watchers.delete(watch);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching log line within ${timeoutMs} ms:\n${logs.join('\n')}`));
        }, timeoutMs);
        const watch = (line: string) => {
          const entry = parsed(line);
          if (entry && match(entry)) {
            done();
            resolve(entry);
          }
        };
        watchers.add(watch);
      });
    },
    kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

/**
 * The environment of one cluster-mode replica on the AWS backend against `simulatorUrl`: each
 * replica signs with its own access key, so the simulator's log tells who polled.
 */
export function replicaEnv(
  simulatorUrl: string,
  redisUrl: string,
  pollIntervalMs: number,
  accessKeyId: string,
): Record<string, string> {
  return {
    NFW_BACKEND: 'aws',
    AUTH_MODE: 'none',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_NETWORK_FIREWALL: simulatorUrl,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    REDIS_URL: redisUrl,
    POLL_INTERVAL_MS: String(pollIntervalMs),
    CURSOR_SECRET: 'shared-secret',
  };
}
