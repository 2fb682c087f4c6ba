import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { entryArgs } from './helpers/entry.js';

const GATEWAY = 'main';
const SIMULATOR = 'simulator/main';

/** Runs an entry point until it exits, with its stderr kept apart from stdout. */
function runToExit(
  entry: 'main' | 'simulator/main',
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, entryArgs(entry), {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // 'close', not 'exit': stderr is then read to its end.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

function assertOneLineNaming(stderr: string, setting: string, port: number): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, no stack trace:\n${stderr}`);
  assert.match(lines[0]!, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assert.match(lines[0]!, new RegExp(`set ${setting} to a free port`));
}

describe('a start on a busy port', () => {
  let holder: Server;
  let port: number;
  before(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('of the gateway exits 1 with one line naming PORT', async () => {
    const { code, stderr } = await runToExit(GATEWAY, { PORT: String(port) });
    assert.equal(code, 1);
    assertOneLineNaming(stderr, 'PORT', port);
  });

  it('of the gateway’s metrics exits 1 with one line naming METRICS_PORT', async () => {
    const { code, stderr } = await runToExit(GATEWAY, { METRICS_PORT: String(port) });
    assert.equal(code, 1);
    assertOneLineNaming(stderr, 'METRICS_PORT', port);
  });

  it('of the gateway’s built-in simulator exits 1 with one line naming SIMULATOR_PORT', async () => {
    const { code, stderr } = await runToExit(GATEWAY, { SIMULATOR_PORT: String(port) });
    assert.equal(code, 1);
    assertOneLineNaming(stderr, 'SIMULATOR_PORT', port);
  });

  it('of `npm run simulator` exits 1 with one line naming SIMULATOR_PORT', async () => {
    const { code, stderr } = await runToExit(SIMULATOR, { SIMULATOR_PORT: String(port) });
    assert.equal(code, 1);
    assertOneLineNaming(stderr, 'SIMULATOR_PORT', port);
  });
});
