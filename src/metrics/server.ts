import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../net/listen.js';
import type { GatewayMetrics } from './registry.js';

export interface MetricsServer {
  /** `http://host:port/metrics`, what Prometheus scrapes. */
  url: string;
  close(): Promise<void>;
}

/**
 * METRICS_PORT: /metrics on a port of its own, so that with credentials required on the GraphQL
 * port the metrics (operation names, error codes, cache and AWS traffic) are not open to anyone
 * who can reach it. The port is meant for the cluster's network (Prometheus), not the load
 * balancer. Only GET /metrics is answered; nothing else runs here.
 */
export async function startMetricsServer(
  metrics: GatewayMetrics,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n'),
    );
  });
  // Scrapes are short; an idle scraper's keep-alive socket must not hold shutdown.
  server.keepAliveTimeout = 5000;
  await listen(server, { port, host, portSetting: 'METRICS_PORT', hostSetting: 'HOST' });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : address.address;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
