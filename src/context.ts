import type { GraphQLError } from 'graphql';
import type { Principal } from './auth/principal.js';
import { RequestTargets } from './auth/targets.js';
import type { NetworkFirewallApi } from './aws/network-firewall-api.js';
import type { Router } from './aws/routing.js';
import type { GatewayConfig } from './config.js';
import type { CursorCodec } from './cursor.js';
import type { GlobalIdCodec } from './global-id.js';
import { createLoaders } from './loaders/index.js';
import type { BatchObserver, Loaders } from './loaders/index.js';
import type { InFlightMutations } from './lifecycle/in-flight.js';
import type { Logger } from './logger.js';
import type { ErrorReporter } from './reported-errors.js';
import type { Multiplexer } from './subscriptions/multiplexer.js';

/** What every resolver gets: the upstream, this request's loaders, and process-wide services. */
export interface GatewayContext extends ErrorReporter {
  api: NetworkFirewallApi;
  loaders: Loaders;
  cursors: CursorCodec;
  /** Seals and opens the `id` of every `Node` (src/global-id.ts). */
  ids: GlobalIdCodec;
  subscriptions: Multiplexer;
  config: GatewayConfig;
  /** Which regions and accounts the gateway reaches; `firewalls` spans them. */
  router: Router;
  /** The authenticated caller; resolvers check it with `authorize` (src/auth/authorize.ts). */
  principal: Principal;
  /** Each firewall ARN of this request parsed and routed once; `authorize` fills it. */
  targets: RequestTargets;
  /** The audit trail of mutations (src/auth/audit.ts). */
  audit: Logger;
  /** Mutations running now, audited as unknown if shutdown cannot wait for them. */
  inFlight: InFlightMutations;
  /**
   * Swaps in fresh loaders. A subscription keeps one context for all its events, so each event
   * starts with empty caches; otherwise the second event would show the first event's fields.
   */
  refreshLoaders(): void;
}

export interface ContextDependencies {
  api: NetworkFirewallApi;
  cursors: CursorCodec;
  ids: GlobalIdCodec;
  subscriptions: Multiplexer;
  config: GatewayConfig;
  router: Router;
  audit: Logger;
  inFlight: InFlightMutations;
  /** Told each loader batch's size (metrics). */
  onBatch?: BatchObserver;
}

/**
 * One context per HTTP request or websocket subscription. A class rather than an object literal:
 * the shared services are one reference and the accessors live on the prototype, so the many
 * contexts of idle subscriptions cost a few words each instead of a copy of every service.
 */
class RequestContext implements GatewayContext {
  // Created on first use: a subscription that never loads a field holds no loaders at all.
  private current: Loaders | undefined = undefined;
  private reported: GraphQLError[] | undefined = undefined;
  private resolved: RequestTargets | undefined = undefined;

  constructor(
    private readonly deps: ContextDependencies,
    readonly principal: Principal,
  ) {}

  get api(): NetworkFirewallApi {
    return this.deps.api;
  }
  get cursors(): CursorCodec {
    return this.deps.cursors;
  }
  get ids(): GlobalIdCodec {
    return this.deps.ids;
  }
  get subscriptions(): Multiplexer {
    return this.deps.subscriptions;
  }
  get config(): GatewayConfig {
    return this.deps.config;
  }
  get router(): Router {
    return this.deps.router;
  }
  get audit(): Logger {
    return this.deps.audit;
  }
  get inFlight(): InFlightMutations {
    return this.deps.inFlight;
  }
  get targets(): RequestTargets {
    return (this.resolved ??= new RequestTargets(this.deps.router));
  }
  get loaders(): Loaders {
    const { deps } = this;
    // Kept across refreshLoaders(): a subscription's ARN is routed once, not once per event.
    const targets = this.targets;
    return (this.current ??= createLoaders(
      deps.api,
      deps.config.awsMaxConcurrency,
      (arn) => targets.target(arn, 'firewallArn'),
      deps.onBatch,
    ));
  }

  refreshLoaders(): void {
    this.current = undefined;
  }

  reportError(error: GraphQLError): void {
    (this.reported ??= []).push(error);
  }

  takeReportedErrors(): GraphQLError[] {
    const taken = this.reported ?? [];
    this.reported = undefined;
    return taken;
  }
}

/**
 * One factory for HTTP requests and websocket operations alike: each call gets fresh loaders,
 * so batching and de-duplication never leak data between requests or callers, and the caller
 * proved by the HTTP middleware or the websocket's `connection_init`.
 */
export function createContextFactory(
  deps: ContextDependencies,
): (principal: Principal) => GatewayContext {
  return (principal) => new RequestContext(deps, principal);
}
