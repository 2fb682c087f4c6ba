import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import type { GatewayConfig } from './config.js';
import type { CursorCodec } from './cursor.js';
import { createLoaders } from './loaders/index.js';
import type { Loaders } from './loaders/index.js';
import type { StatusPoller } from './subscriptions/status-poller.js';

/** What every resolver gets: the upstream, this request's loaders, and process-wide services. */
export interface GatewayContext {
  api: NetworkFirewallApi;
  loaders: Loaders;
  cursors: CursorCodec;
  poller: StatusPoller;
  config: GatewayConfig;
}

export interface ContextDependencies {
  api: NetworkFirewallApi;
  cursors: CursorCodec;
  poller: StatusPoller;
  config: GatewayConfig;
}

/**
 * One factory for HTTP requests and websocket operations alike: each call gets fresh loaders,
 * so batching and de-duplication never leak data between requests or callers.
 */
export function createContextFactory(deps: ContextDependencies): () => GatewayContext {
  return () => ({
    ...deps,
    loaders: createLoaders(deps.api, deps.config.awsMaxConcurrency),
  });
}
