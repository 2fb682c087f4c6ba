import { targetKey } from './routing.js';
import type { Target } from './routing.js';
import type {
  DescribeFirewallRequest,
  DescribeFirewallResponse,
  DescribeFlowOperationRequest,
  DescribeFlowOperationResponse,
  ListFirewallsRequest,
  ListFirewallsResponse,
  ListFlowOperationResultsRequest,
  ListFlowOperationResultsResponse,
  ListFlowOperationsRequest,
  ListFlowOperationsResponse,
  StartFlowCaptureRequest,
  StartFlowCaptureResponse,
  StartFlowFlushRequest,
  StartFlowFlushResponse,
} from '@aws-sdk/client-network-firewall';
import { canonicalJson } from '../canonical-json.js';
import { LRUCache } from 'lru-cache';
import { TERMINAL_STATUSES } from '../model.js';
import type { NetworkFirewallApi, StartResult } from './network-firewall-api.js';

/** AWS keeps flow operation history for 12 hours; a cached operation must not outlive it. */
export const MAX_TERMINAL_TTL_MS = 12 * 60 * 60 * 1000;

export { canonicalJson };

export type ReadOperation =
  | 'DescribeFlowOperation'
  | 'ListFlowOperations'
  | 'ListFlowOperationResults'
  | 'DescribeFirewall'
  | 'ListFirewalls';

/** How a read was answered: from the cache, by joining a call in flight, or by a new upstream call. */
export type LookupResult = 'hit' | 'coalesced' | 'miss';

export interface CachingOptions {
  /** Entries of the terminal-state LRU; 0 turns caching off (coalescing stays on). */
  maxEntries: number;
  /** Bytes of the terminal-state LRU, each value counted as the length of its JSON; 0 = no bound. */
  maxBytes?: number;
  /** Lifetime of a terminal operation or results page; clamped to 12 h. */
  terminalTtlMs: number;
  /** Lifetime of an IN_PROGRESS describe; 0 (the default) never caches one. */
  inProgressTtlMs?: number;
  clock?: () => number;
  /** Told about every read, for hit and coalescing ratios. */
  onLookup?: (operation: ReadOperation, result: LookupResult) => void;
}

function isTerminal(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_STATUSES.has(status);
}

/**
 * Decorates the upstream so that the whole process asks AWS less: identical reads in flight at
 * the same time share one call, and what can no longer change (a flow operation in a terminal
 * status, and its results pages) is kept in a bounded LRU. Queries' DataLoaders and the
 * subscription poller both read through one instance, so a query for a watched operation rides on
 * the poll. Values are shared between callers and must be treated as read-only.
 *
 * Writes are never coalesced or cached. Errors are never cached: a failed shared call rejects all
 * of its waiters with the same (already mapped) error and the next read tries again.
 */
export class CachingNetworkFirewallApi implements NetworkFirewallApi {
  private readonly inflight = new Map<string, Promise<unknown>>();
  // undefined when CACHE_MAX_ENTRIES is 0.
  private readonly cache: LRUCache<string, object> | undefined;
  private readonly terminalTtlMs: number;
  private readonly inProgressTtlMs: number;

  constructor(
    private readonly inner: NetworkFirewallApi,
    private readonly options: CachingOptions,
  ) {
    const clock = options.clock ?? Date.now;
    const maxBytes = options.maxBytes ?? 0;
    // Entries alone bound nothing: a results page can hold 1,000 flows (about 200 KB), and the
    // pages a caller makes cached depend on its `first` and cursors. So bytes too, measured as
    // the value's JSON (computed once per value, when a final state is cached).
    this.cache =
      options.maxEntries > 0
        ? new LRUCache<string, object>({
            max: options.maxEntries,
            ...(maxBytes > 0
              ? {
                  maxSize: maxBytes,
                  sizeCalculation: (value: object) => Math.max(1, JSON.stringify(value).length),
                }
              : {}),
            perf: { now: clock },
            // Read the clock on every lookup, not once per millisecond timer.
            ttlResolution: 0,
          })
        : undefined;
    this.terminalTtlMs = Math.min(Math.max(options.terminalTtlMs, 0), MAX_TERMINAL_TTL_MS);
    this.inProgressTtlMs = Math.max(options.inProgressTtlMs ?? 0, 0);
  }

  /** Entries in the terminal-state cache, for the metrics gauge. */
  get cacheSize(): number {
    return this.cache?.size ?? 0;
  }

  /** JSON bytes held by the terminal-state cache (0 without CACHE_MAX_BYTES). */
  get cacheBytes(): number {
    return this.cache?.calculatedSize ?? 0;
  }

  /** Reads in flight upstream right now. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  private read<T>(
    operation: ReadOperation,
    input: object,
    call: () => Promise<T>,
    ttlOf?: (value: T) => number,
  ): Promise<T> {
    const key = `${operation}:${canonicalJson(input)}`;
    if (ttlOf) {
      const cached = this.cache?.get(key);
      if (cached !== undefined) {
        this.options.onLookup?.(operation, 'hit');
        return Promise.resolve(cached as T);
      }
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.options.onLookup?.(operation, 'coalesced');
      return pending as Promise<T>;
    }
    this.options.onLookup?.(operation, 'miss');
    // Deferred by a microtask so that even a synchronous throw settles through the same path.
    const promise: Promise<T> = Promise.resolve()
      .then(call)
      .then((value) => {
        // lru-cache reads a ttl of 0 as "forever": here it means "do not cache".
        const ttl = ttlOf ? ttlOf(value) : 0;
        if (ttl > 0) this.cache?.set(key, value as object, { ttl });
        return value;
      })
      .finally(() => {
        // Only this call's own entry: a write may already have detached it (see forgetLists).
        if (this.inflight.get(key) === promise) this.inflight.delete(key);
      });
    this.inflight.set(key, promise);
    return promise;
  }

  // The ARN-bound reads are keyed by their input alone: a firewall ARN has one target (its own
  // region and account), so the same input never means two different calls.
  describeFlowOperation(
    input: DescribeFlowOperationRequest,
    target: Target,
  ): Promise<DescribeFlowOperationResponse> {
    return this.read(
      'DescribeFlowOperation',
      input,
      () => this.inner.describeFlowOperation(input, target),
      (value) =>
        isTerminal(value.FlowOperationStatus)
          ? this.terminalTtlMs
          : value.FlowOperationStatus === 'IN_PROGRESS'
            ? this.inProgressTtlMs
            : 0,
    );
  }

  listFlowOperationResults(
    input: ListFlowOperationResultsRequest,
    target: Target,
  ): Promise<ListFlowOperationResultsResponse> {
    // A page carries its operation's status; only a finished operation's flows are final.
    return this.read(
      'ListFlowOperationResults',
      input,
      () => this.inner.listFlowOperationResults(input, target),
      (value) => (isTerminal(value.FlowOperationStatus) ? this.terminalTtlMs : 0),
    );
  }

  listFlowOperations(
    input: ListFlowOperationsRequest,
    target: Target,
  ): Promise<ListFlowOperationsResponse> {
    return this.read('ListFlowOperations', input, () =>
      this.inner.listFlowOperations(input, target),
    );
  }

  listFirewalls(input: ListFirewallsRequest, target?: Target): Promise<ListFirewallsResponse> {
    // The same request in another region or account is another list.
    const keyed = { ...input, $target: target ? targetKey(target) : '' };
    return this.read('ListFirewalls', keyed, () => this.inner.listFirewalls(input, target));
  }

  describeFirewall(
    input: DescribeFirewallRequest,
    target: Target,
  ): Promise<DescribeFirewallResponse> {
    return this.read('DescribeFirewall', input, () => this.inner.describeFirewall(input, target));
  }

  // In finally: a start that failed with OUTCOME_UNKNOWN may have created an operation too.
  async startFlowCapture(
    input: StartFlowCaptureRequest,
    target: Target,
  ): Promise<StartResult<StartFlowCaptureResponse>> {
    try {
      return await this.inner.startFlowCapture(input, target);
    } finally {
      this.forgetLists(input.FirewallArn);
    }
  }

  async startFlowFlush(
    input: StartFlowFlushRequest,
    target: Target,
  ): Promise<StartResult<StartFlowFlushResponse>> {
    try {
      return await this.inner.startFlowFlush(input, target);
    } finally {
      this.forgetLists(input.FirewallArn);
    }
  }

  /**
   * A list call that left before a start returned may not show the new operation, so a reader
   * arriving after the start must not join it: read-your-writes for the client that started it.
   */
  private forgetLists(firewallArn: string | undefined): void {
    const prefix = 'ListFlowOperations:';
    for (const key of this.inflight.keys()) {
      if (!key.startsWith(prefix)) continue;
      if (firewallArn === undefined || key.includes(JSON.stringify(firewallArn))) {
        this.inflight.delete(key);
      }
    }
  }

  destroy(): void {
    this.cache?.clear();
    this.inflight.clear();
    this.inner.destroy();
  }
}
