import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import type { GatewayConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Logger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';
import type { GatewayServer } from '../../src/server.js';
import type { Simulator } from '../../src/simulator/index.js';

export const DEMO_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
export const DEMO_AZ = 'us-east-1a';

/** A query of `n` aliases of flow operations nobody started: `n` DescribeFlowOperation calls, cost `n`. */
export function unknownOperationsQuery(n: number): string {
  const aliases = Array.from(
    { length: n },
    (_, i) =>
      `a${i}: flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${randomUUID()}") { flowOperationStatus }`,
  );
  return `{ ${aliases.join('\n')} }`;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  server: GatewayServer;
  sim: Simulator;
  url: string;
  /** Where /metrics answers: its own port with credentials required (METRICS_PORT), else beside url. */
  metricsUrl: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
    /** Extra request headers, e.g. `{ authorization: 'Bearer …' }`. */
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** `connectionParams` is the `connection_init` payload, e.g. `{ authorization: 'Bearer …' }`. */
  wsClient(options?: { lazy?: boolean; connectionParams?: Record<string, unknown> }): Client;
  /** Starts a capture through GraphQL (demo firewall and zone unless given) and returns its id. */
  startCapture(input?: Record<string, unknown>, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** A real gateway on port 0 with its embedded simulator, reached over real HTTP and websockets. */
export async function startGateway(
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<TestGateway> {
  const config: GatewayConfig = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SIMULATOR_OPERATION_DELAY_MS: '200',
    POLL_INTERVAL_MS: '100',
    // Generous: the simulator shares this process, and on a loaded machine (four test files at a
    // time on two cores) a 1 s timeout made the SDK retry reads the simulator had answered late,
    // which wire tests then counted as extra AWS calls (208 for 200). Tests of timeouts set theirs.
    AWS_REQUEST_TIMEOUT_MS: '10000',
    // With credentials, metrics have a port of their own: a free one, not 9464 for every test.
    ...(env.AUTH_MODE && env.AUTH_MODE !== 'none' ? { METRICS_PORT: '0' } : {}),
    ...env,
  });
  const server = await createServer(config, { logger: options.logger ?? createLogger('silent') });
  if (!server.simulator) throw new Error('expected the embedded simulator');
  const clients: Client[] = [];
  return {
    server,
    sim: server.simulator,
    url: server.url,
    metricsUrl: server.metricsUrl,
    async gql(query, variables, operationName, headers = {}) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables, operationName }),
      });
      const body = (await res.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: res.status, ...body } as GraphQLResponse<never>;
    },
    async startCapture(this: TestGateway, input = {}, headers = {}) {
      const res = await this.gql<{ startFlowCapture: { flowOperationId: string } }>(
        `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
        {
          input: {
            firewallArn: DEMO_ARN,
            availabilityZone: DEMO_AZ,
            flowFilters: [{ destinationPort: '443' }],
            ...input,
          },
        },
        undefined,
        headers,
      );
      if (!res.data) throw new Error(`startFlowCapture failed: ${JSON.stringify(res.errors)}`);
      return res.data.startFlowCapture.flowOperationId;
    },
    wsClient(options = {}) {
      const client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: options.lazy ?? true,
        retryAttempts: 0,
        ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map(async (c) => c.dispose()));
      await server.close();
    },
  };
}

/** Collects every message of one subscription until it completes or errors. */
export function subscribeAll<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  options: { operationName?: string; onNext?: (value: GraphQLResponse<T>) => void } = {},
): Promise<{ results: GraphQLResponse<T>[]; error?: unknown }> {
  return new Promise((resolve) => {
    const results: GraphQLResponse<T>[] = [];
    client.subscribe<T>(
      {
        query,
        variables,
        ...(options.operationName ? { operationName: options.operationName } : {}),
      },
      {
        next: (value) => {
          const result = value as unknown as GraphQLResponse<T>;
          results.push(result);
          options.onNext?.(result);
        },
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

const SHARED_CONTRACT = fileURLToPath(
  new URL('../../../shared/contract/operations.graphql', import.meta.url),
);
const VENDORED_CONTRACT = fileURLToPath(new URL('../contract/operations.graphql', import.meta.url));

/** The public contract: the shared copy when it sits beside the repository, else the vendored one. */
export function contractDocument(): string {
  return readFileSync(existsSync(SHARED_CONTRACT) ? SHARED_CONTRACT : VENDORED_CONTRACT, 'utf8');
}

export const contractPaths = { shared: SHARED_CONTRACT, vendored: VENDORED_CONTRACT };

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
  stepMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
