/**
 * The bare baseline: what a team would write by hand in front of Network Firewall. graphql-js
 * `graphql()` over `node:http`, one DataLoader per request, the SDK's DescribeFlowOperationCommand
 * on a client configured like the gateway's (same retries, timeouts and keep-alive sockets). No
 * cross-request coalescing, no cache: the difference the benchmark measures.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeFlowOperationCommand } from '@aws-sdk/client-network-firewall';
import type { DescribeFlowOperationResponse } from '@aws-sdk/client-network-firewall';
import DataLoader from 'dataloader';
import { buildSchema, graphql } from 'graphql';
import { createNetworkFirewallClient } from '../src/aws/client.js';

const schema = buildSchema(`
  type FlowOperation {
    firewallArn: String!
    availabilityZone: String
    flowOperationId: ID!
    flowOperationType: String
    flowOperationStatus: String
    statusMessage: String
  }
  type Query {
    flowOperation(firewallArn: String!, availabilityZone: String, flowOperationId: ID!): FlowOperation
  }
`);

interface Key {
  firewallArn: string;
  availabilityZone?: string;
  flowOperationId: string;
}

export interface BaselineOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  host?: string;
  port?: number;
}

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

export async function startBaseline(options: BaselineOptions): Promise<BaselineServer> {
  const client = createNetworkFirewallClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: 3,
    requestTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    maxSockets: 50,
  });

  const rootValue = {
    flowOperation: (args: Key, loader: DataLoader<Key, DescribeFlowOperationResponse, string>) =>
      loader.load(args).then((op) => ({
        firewallArn: args.firewallArn,
        availabilityZone: op.AvailabilityZone ?? args.availabilityZone ?? null,
        flowOperationId: args.flowOperationId,
        flowOperationType: op.FlowOperationType ?? null,
        flowOperationStatus: op.FlowOperationStatus ?? null,
        statusMessage: op.StatusMessage ?? null,
      })),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          res.writeHead(400).end();
          return;
        }
        // Per request, so that one request's answers are never served to another.
        const loader = new DataLoader<Key, DescribeFlowOperationResponse, string>(
          (keys) =>
            Promise.all(
              keys.map((k) =>
                client
                  .send(
                    new DescribeFlowOperationCommand({
                      FirewallArn: k.firewallArn,
                      ...(k.availabilityZone ? { AvailabilityZone: k.availabilityZone } : {}),
                      FlowOperationId: k.flowOperationId,
                    }),
                  )
                  .catch((error: unknown) => error as Error),
              ),
            ),
          {
            cacheKeyFn: (k) => `${k.firewallArn}|${k.availabilityZone ?? ''}|${k.flowOperationId}`,
          },
        );
        const result = await graphql({
          schema,
          source: body.query ?? '',
          rootValue,
          contextValue: loader,
          variableValues: body.variables ?? null,
          operationName: body.operationName ?? null,
        });
        const payload = JSON.stringify(result);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        });
        res.end(payload);
      })();
    });
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        client.destroy();
      }),
  };
}
