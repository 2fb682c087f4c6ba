import { loadAccountsFile } from '../aws/accounts.js';
import { CachingNetworkFirewallApi } from '../aws/caching-api.js';
import { SdkNetworkFirewallApi } from '../aws/network-firewall-api.js';
import type { NetworkFirewallApi } from '../aws/network-firewall-api.js';
import { ObservedNetworkFirewallApi } from '../aws/observed-api.js';
import { Router } from '../aws/routing.js';
import { ReconcilingNetworkFirewallApi } from '../aws/start-reconciler.js';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import { createSimulator } from '../simulator/index.js';
import type { Simulator } from '../simulator/index.js';

/** Static AWS credentials (e.g. for a standalone simulator); else the SDK's default chain. */
export type AwsCredentials = { accessKeyId: string; secretAccessKey: string };

/** Where each call goes (region and account by firewall ARN), from NFW_REGIONS and NFW_ACCOUNTS_FILE. */
export function createRouter(config: GatewayConfig): Router {
  return new Router({
    regions: config.regions,
    accounts: config.accountsFile ? loadAccountsFile(config.accountsFile) : [],
    defaultAccountId: config.defaultAccountId,
    defaultRegion: config.awsRegion,
  });
}

export interface Upstream {
  api: NetworkFirewallApi;
  simulator: Simulator | undefined;
}

/** The SDK client against AWS, or against the embedded simulator with `backend: 'simulator'`. */
export async function createUpstream(
  config: GatewayConfig,
  logger: Logger,
  credentials?: AwsCredentials,
): Promise<Upstream> {
  const common = {
    maxAttempts: config.awsMaxAttempts,
    requestTimeoutMs: config.awsRequestTimeoutMs,
    startTimeoutMs: config.awsStartTimeoutMs,
    connectTimeoutMs: config.awsConnectTimeoutMs,
    maxSockets: 50,
  };
  if (config.backend === 'simulator') {
    const simulator = await createSimulator({
      seed: config.simulator.seed,
      operationDelayMs: config.simulator.operationDelayMs,
      port: config.simulator.port,
      host: config.simulator.host,
      logger: (line) => logger.debug({ component: 'simulator' }, line),
    });
    // The real SDK client, over HTTP, signed like any AWS call: the simulator is only an endpoint.
    const api = new SdkNetworkFirewallApi({
      ...common,
      region: config.awsRegion,
      endpoint: simulator.url,
      // The simulator is also the STS that account roles are assumed through.
      stsEndpoint: simulator.url,
      credentials: { accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator' },
    });
    return { api, simulator };
  }
  const api = new SdkNetworkFirewallApi({
    ...common,
    region: config.awsRegion,
    endpoint: config.awsEndpoint,
    credentials,
  });
  return { api, simulator: undefined };
}

/**
 * The API every resolver and poller uses: one instance for queries and subscription polls alike,
 * so that they share calls and cache. Below the cache, a start whose answer was lost is looked
 * for with fresh reads from AWS; below that, every call is counted and logged.
 */
export function createCachedApi(
  config: GatewayConfig,
  upstream: Upstream,
  logger: Logger,
  metrics: GatewayMetrics,
): CachingNetworkFirewallApi {
  if (upstream.api instanceof SdkNetworkFirewallApi) upstream.api.onAttempts = metrics.onAttempts;
  const observed = new ObservedNetworkFirewallApi(upstream.api, logger, metrics);
  return new CachingNetworkFirewallApi(new ReconcilingNetworkFirewallApi(observed, { logger }), {
    ...config.cache,
    onLookup: metrics.onLookup,
  });
}
