import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express } from 'express';
import type { GatewayConfig } from '../config.js';
import { assignRequestId } from '../observability/request-context.js';

/** Node's headersTimeout: a client has this long for its request line and headers. */
const HEADERS_TIMEOUT_MS = 10_000;

/** The express app and the Node server it runs in; routes are mounted by http-routes.ts. */
export function createHttpApp(config: GatewayConfig): { app: Express; httpServer: Server } {
  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId);
  // A client trickling its headers or body holds a connection and a parser: it gets 408 instead.
  // Node checks these every connectionsCheckingInterval (30 s by default, too coarse for them).
  const httpServer = createHttpServer(
    {
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, config.httpRequestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, config.httpRequestTimeoutMs),
    },
    app,
  );
  return { app, httpServer };
}

/**
 * The URL clients use once `httpServer` listens: a wildcard host is shown as localhost (what a
 * browser on this machine can open), and an IPv6 address in brackets.
 */
export function graphqlUrl(config: GatewayConfig, httpServer: Server): string {
  const address = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/graphql`;
}
