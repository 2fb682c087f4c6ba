import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LookupResult, ReadOperation } from '../aws/caching-api.js';

/** How many subscriptions, shared executions and watches the subscription layer holds. */
export interface SubscriptionGaugeSource {
  /** Distinct topics polled (or followed from a peer replica). */
  readonly watchCount: number;
  /** Operations clients hold open over websockets. */
  readonly subscriberCount: number;
  /** Shared executions serving them (one per identical subscription, see src/ws/cohorts.ts). */
  readonly executionCount: number;
  /** Watched topics this replica polls itself (holds the lease of, in cluster mode). */
  readonly leaseCount?: number;
}

export interface GaugeSources {
  openWebsockets: () => number;
  subscriptions: () => SubscriptionGaugeSource;
  cacheEntries: () => number;
  inflightReads: () => number;
}

// Operation names come from clients; beyond this many distinct ones, new names share one label.
const MAX_OPERATION_NAMES = 200;
// How many of those one caller may introduce: it takes ten callers, not one, to fill the labels
// and push other callers' names into __other.
const MAX_NAMES_PER_CALLER = 20;
const OTHER = '__other';
/**
 * A label longer than this is not a name anyone reads on a dashboard, and every scrape repeats it
 * once per series and histogram bucket: a caller's 500 KB name made /metrics hundreds of MB.
 */
const MAX_OPERATION_NAME_LENGTH = 64;
// GraphQL's Name grammar; only tested after the length check, so it runs over 64 chars at most.
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ANONYMOUS = '__anonymous';

/**
 * Every metric of one gateway server, in its own Registry: several servers in one process (tests,
 * benchmarks) never collide, and `/metrics` shows exactly this server.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  /** Names introduced per caller; at most MAX_OPERATION_NAMES entries, as each introduced one. */
  private readonly introducedBy = new Map<string, number>();

  readonly graphqlRequests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL operations answered, by operation name, type and outcome (ok or the first error code).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response.',
    labelNames: ['operation_name', 'operation_type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly awsCalls = new Counter({
    name: 'gateway_aws_calls_total',
    help: 'Calls that reached AWS (after coalescing and caching), by operation and outcome (ok or error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly awsDuration = new Histogram({
    name: 'gateway_aws_call_duration_seconds',
    help: 'Duration of AWS calls including the SDK retries.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly awsRetries = new Counter({
    name: 'gateway_aws_retries_total',
    help: 'AWS call attempts beyond the first (the SDK retried after throttling, 5xx or a network fault).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly pollLag = new Histogram({
    name: 'gateway_poll_lag_seconds',
    help: 'How late a subscription poll started after it was due (event-loop or AWS concurrency pressure).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly awsThrottles = new Counter({
    name: 'gateway_aws_throttles_total',
    help: 'AWS calls that stayed throttled after the SDK retries (answered THROTTLED).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly readLookups = new Counter({
    name: 'gateway_aws_read_lookups_total',
    help: 'AWS reads asked of the caching layer: hit (cache), coalesced (joined a call in flight) or miss (new call).',
    labelNames: ['operation', 'result'] as const,
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  readonly documentRequests = new Counter({
    name: 'gateway_graphql_documents_total',
    help: 'GraphQL requests by where their document came from: trusted (the manifest), apq (a registered hash) or adhoc (text), and transport.',
    labelNames: ['source', 'transport'] as const,
    registers: [this.registry],
  });

  readonly documentsRefused = new Counter({
    name: 'gateway_graphql_documents_refused_total',
    help: 'Requests refused before parsing for their document: not_allowed (not in the manifest under TRUSTED_DOCUMENTS=enforce), not_found (an unknown id) or bad_request.',
    labelNames: ['reason', 'transport'] as const,
    registers: [this.registry],
  });

  constructor(sources: GaugeSources) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    new Gauge({
      name: 'gateway_websocket_connections',
      help: 'Open websocket connections.',
      registers,
      collect() {
        this.set(sources.openWebsockets());
      },
    });
    new Gauge({
      name: 'gateway_subscriptions_active',
      help: 'Active GraphQL subscriptions in this process.',
      registers,
      collect() {
        this.set(sources.subscriptions().subscriberCount);
      },
    });
    new Gauge({
      name: 'gateway_subscription_executions',
      help: 'Shared executions serving the active subscriptions: one per distinct document, variables and caller.',
      registers,
      collect() {
        this.set(sources.subscriptions().executionCount);
      },
    });
    new Gauge({
      name: 'gateway_poller_watches',
      help: 'Distinct topics (operations) this process polls for its subscribers.',
      registers,
      collect() {
        this.set(sources.subscriptions().watchCount);
      },
    });
    new Gauge({
      name: 'gateway_poller_leases',
      help: 'Watched topics this process polls itself; with Redis, peers poll the rest and feed it.',
      registers,
      collect() {
        this.set(sources.subscriptions().leaseCount ?? 0);
      },
    });
    new Gauge({
      name: 'gateway_cache_entries',
      help: 'Entries in the terminal-operation cache.',
      registers,
      collect() {
        this.set(sources.cacheEntries());
      },
    });
    new Gauge({
      name: 'gateway_aws_reads_in_flight',
      help: 'Distinct AWS reads in flight (each may have many coalesced waiters).',
      registers,
      collect() {
        this.set(sources.inflightReads());
      },
    });
  }

  /**
   * Bounds label cardinality: operation names are chosen by clients. A name gets a label of its
   * own the first time it is seen, if fewer than 200 names have one and its caller (`rateKey`)
   * introduced fewer than 20; once labelled it stays, for every caller. The HTTP plugin passes
   * names of validated operations only. Names over 64 characters (or not GraphQL names) are
   * `__other`, so a label costs a few bytes per series.
   */
  operationLabel(name: string | null | undefined, caller = ''): string {
    if (!name) return ANONYMOUS;
    if (name.length > MAX_OPERATION_NAME_LENGTH || !GRAPHQL_NAME.test(name)) return OTHER;
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return OTHER;
    const introduced = this.introducedBy.get(caller) ?? 0;
    if (introduced >= MAX_NAMES_PER_CALLER) return OTHER;
    this.introducedBy.set(caller, introduced + 1);
    this.operationNames.add(name);
    return name;
  }

  onLookup = (operation: ReadOperation, result: LookupResult): void => {
    this.readLookups.inc({ operation, result });
  };

  onAttempts = (operation: string, attempts: number): void => {
    if (attempts > 1) this.awsRetries.inc({ operation }, attempts - 1);
  };

  onPollLag = (lagMs: number): void => {
    this.pollLag.observe(Math.max(0, lagMs) / 1000);
  };

  onBatch = (loader: string, size: number): void => {
    this.loaderBatchSize.observe({ loader }, size);
  };

  onDocument = (
    transport: 'http' | 'websocket',
    outcome: { source: 'trusted' | 'apq' | 'adhoc' } | { refused: string },
  ): void => {
    if ('source' in outcome) this.documentRequests.inc({ source: outcome.source, transport });
    else this.documentsRefused.inc({ reason: refusalReason(outcome.refused), transport });
  };

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Error codes to a fixed set of labels. */
function refusalReason(code: string): string {
  if (code === 'PERSISTED_QUERY_NOT_ALLOWED') return 'not_allowed';
  if (code === 'PERSISTED_QUERY_NOT_FOUND') return 'not_found';
  return 'bad_request';
}
