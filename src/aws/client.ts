import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import type { NetworkFirewallClientConfig } from '@aws-sdk/client-network-firewall';
import { exactIntegers } from './exact-integers.js';

export interface ClientSettings {
  region: string | undefined;
  /** Set for the simulator; for real AWS the SDK's own chain (incl. AWS_ENDPOINT_URL_NETWORK_FIREWALL) decides. */
  endpoint: string | undefined;
  /** Static credentials for the simulator; undefined means the SDK's default provider chain. */
  credentials?: NetworkFirewallClientConfig['credentials'] | undefined;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  maxSockets: number;
}

/**
 * Builds the SDK client with the gateway's retry and timeout policy: standard retry mode (which
 * backs off on throttling and 5xx), and a request timeout that throws, so that an upstream that
 * never answers becomes an UPSTREAM_ERROR instead of a hung GraphQL request.
 */
export function createNetworkFirewallClient(settings: ClientSettings): NetworkFirewallClient {
  const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
  const config: NetworkFirewallClientConfig = {
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts,
    // Without it, every send() copies and sorts the whole middleware stack again to build its
    // handler: about 5% of a subscription poll's CPU (BENCHMARKS.md, "CPU per poll"). The stack is
    // complete once this function returns (exactIntegers below) and never changed after, which is
    // the one condition for caching the handler per command class. Concurrent sends then share
    // its context object; what the SDK writes there (endpoint, signing region, auth scheme) is
    // the same for every call of one client, as Network Firewall's endpoint takes no input.
    cacheMiddleware: true,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
      connectionTimeout: settings.connectTimeoutMs,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  };
  if (settings.region) config.region = settings.region;
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.credentials) config.credentials = settings.credentials;
  const client = new NetworkFirewallClient(config);
  // Flow counters above 2^53 - 1 would otherwise be rounded by the SDK's JSON.parse.
  client.middlewareStack.use(exactIntegers);
  return client;
}
