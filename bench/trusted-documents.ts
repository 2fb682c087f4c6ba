import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server.js';
import type { GatewayServer } from '../src/server.js';

// npm run bench:trusted [-- --duration 5 --connections 10]
// The same operation sent as text and as a trusted document's hash, side by side in one run.
// The operation reads the schema only (no AWS call), so the figures are the gateway's own work
// per request: with an AWS call each request would wait for AWS, and both forms would measure
// the simulator's latency instead.

/**
 * A large client document whose execution costs next to nothing (no upstream call, no
 * introspection walk): 400 aliased fields, so that what differs between the forms, parsing and
 * validation (graphql-js's overlapping-fields rule grows with the square of the fields), shows.
 */
export const OPERATION = `query Tour {
${Array.from({ length: 400 }, (_, i) => `  f${i}: __typename`).join('\n')}
}`;

export const HASH = createHash('sha256').update(OPERATION).digest('hex');

export type Form = 'text, document cache on' | 'text, document cache off' | 'trusted hash';

export interface Result {
  form: Form;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

export interface Options {
  durationSec: number;
  connections: number;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = { durationSec: 5, connections: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--duration') options.durationSec = value;
    else if (argv[i] === '--connections') options.connections = value;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

async function load(url: string, body: string, options: Options): Promise<Omit<Result, 'form'>> {
  const first = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const expected = await first.text();
  if (!first.ok || expected.includes('"errors"'))
    throw new Error(`bench request failed: ${expected}`);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: options.connections,
    duration: options.durationSec,
    expectBody: expected,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0),
  };
}

/**
 * Two gateways with the operation in their manifest (TRUSTED_DOCUMENTS=allow): one with the
 * default document cache, so repeated text is parsed once too, and one with
 * DOCUMENT_CACHE_BYTES=0, where text is parsed and validated per request; the trusted hash runs
 * on the latter, showing that trusted documents need no cache to skip that work.
 */
export async function runTrustedBenchmark(options: Options): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nfw-bench-trusted-'));
  const manifest = join(dir, 'persisted-documents.json');
  writeFileSync(manifest, JSON.stringify({ [HASH]: OPERATION }));
  const gateways: GatewayServer[] = [];
  const start = async (env: Record<string, string>) => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PLAYGROUND: 'false',
      TRUSTED_DOCUMENTS: 'allow',
      TRUSTED_DOCUMENTS_FILE: manifest,
      ...env,
    });
    const server = await createServer(config, { logger: createLogger('silent') });
    gateways.push(server);
    return server.url;
  };
  try {
    const cached = await start({});
    const uncached = await start({ DOCUMENT_CACHE_BYTES: '0' });
    // Ad-hoc text is what would run without a manifest: a comment makes it not the manifest's.
    const text = JSON.stringify({ query: `${OPERATION}\n# ad hoc` });
    const hash = JSON.stringify({ documentId: `sha256:${HASH}` });
    return [
      { form: 'text, document cache on', ...(await load(cached, text, options)) },
      { form: 'text, document cache off', ...(await load(uncached, text, options)) },
      { form: 'trusted hash', ...(await load(uncached, hash, options)) },
    ];
  } finally {
    for (const gateway of gateways) await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatResults(options: Options, results: Result[]): string {
  const lines = [
    `${options.connections} connections, ${options.durationSec} s each, ${OPERATION.length} chars of document`,
    '',
    '| sent as | requests/s | p50 ms | p99 ms | failures |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) => `| ${r.form} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.failures} |`,
    ),
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseOptions(process.argv.slice(2));
  console.log(formatResults(options, await runTrustedBenchmark(options)));
}
