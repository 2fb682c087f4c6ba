import type { DescribeFlowOperationResponse } from '@aws-sdk/client-network-firewall';
import type { NetworkFirewallApi } from '../aws/network-firewall-api.js';
import type { GatewayError } from '../errors.js';
import { ErrorCode, UpstreamError, mapAwsError } from '../errors.js';
import { createFlowOperationLoader } from '../loaders/index.js';
import { TERMINAL_STATUSES, operationCacheKey } from '../model.js';
import type { FlowOperationKey } from '../model.js';
import { PushQueue } from './push-queue.js';

export interface StatusPollerOptions {
  intervalMs: number;
  /** Consecutive transient failures after which watchers get UPSTREAM_ERROR. */
  maxFailures: number;
  /** AWS calls in flight at once for one tick. */
  concurrency: number;
  /** Fraction of the interval by which ticks and retries vary, so replicas don't poll in lockstep. */
  jitter?: number;
}

interface Subscriber {
  queue: PushQueue<DescribeFlowOperationResponse>;
  /** A late subscriber is owed the current state even when it has not changed. */
  received: boolean;
}

interface Watch {
  key: FlowOperationKey;
  subscribers: Set<Subscriber>;
  last: DescribeFlowOperationResponse | undefined;
  signature: string | undefined;
  failures: number;
  /** No poll before this time (ms); pushed forward by backoff after a failure. */
  dueAt: number;
  polling: boolean;
  /** Settles when the first state is known or the watch fails, for subscribe() to await. */
  ready: Promise<void>;
  settleReady: (error?: unknown) => void;
}

function signatureOf(state: DescribeFlowOperationResponse): string {
  return JSON.stringify([state.FlowOperationStatus ?? null, state.StatusMessage ?? null]);
}

function isTransient(error: GatewayError): boolean {
  return error.code === ErrorCode.THROTTLED || error.code === ErrorCode.UPSTREAM_ERROR;
}

/**
 * Multiplexed polling: one watch per unique operation, shared by every subscriber in this process,
 * and one timer for all watches. Each tick describes the due operations through the same batching
 * loader as queries, so 10,000 subscribers on one operation are still one DescribeFlowOperation
 * per interval.
 */
export class StatusPoller {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly jitter: number;

  constructor(
    private readonly api: NetworkFirewallApi,
    private readonly options: StatusPollerOptions,
  ) {
    this.jitter = options.jitter ?? 0.1;
  }

  get watchCount(): number {
    return this.watches.size;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const watch of this.watches.values()) n += watch.subscribers.size;
    return n;
  }

  /**
   * Subscribes to an operation. Resolves once its first state is known (at once for a watched
   * operation, without an AWS call), and rejects when that first state cannot be read, so that
   * NOT_FOUND and BAD_USER_INPUT reach the client as errors of its subscribe request.
   */
  async watch(
    key: FlowOperationKey,
  ): Promise<AsyncIterableIterator<DescribeFlowOperationResponse>> {
    if (this.closed) throw new UpstreamError('The gateway is shutting down');
    const id = operationCacheKey(key);
    let watch = this.watches.get(id);
    if (!watch) {
      let settleReady!: (error?: unknown) => void;
      const ready = new Promise<void>((resolve, reject) => {
        settleReady = (error) => (error === undefined ? resolve() : reject(error));
      });
      // The subscribe path handles the rejection; this keeps an unwatched one from being reported.
      ready.catch(() => {});
      watch = {
        key,
        subscribers: new Set(),
        last: undefined,
        signature: undefined,
        failures: 0,
        dueAt: 0,
        polling: false,
        ready,
        settleReady,
      };
      this.watches.set(id, watch);
      void this.poll([watch]);
    }
    const w = watch;
    const subscriber: Subscriber = {
      received: false,
      queue: new PushQueue(() => this.unsubscribe(id, w, subscriber)),
    };
    w.subscribers.add(subscriber);
    if (w.last) this.deliver(subscriber, w.last);
    this.schedule();
    try {
      await w.ready;
    } catch (error) {
      subscriber.queue.return();
      throw error;
    }
    return subscriber.queue;
  }

  /** Ends every subscription (they complete) and stops polling. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const watch of [...this.watches.values()]) {
      watch.settleReady(new UpstreamError('The gateway is shutting down'));
      for (const s of watch.subscribers) s.queue.end();
    }
    this.watches.clear();
  }

  private unsubscribe(id: string, watch: Watch, subscriber: Subscriber): void {
    watch.subscribers.delete(subscriber);
    if (watch.subscribers.size === 0 && this.watches.get(id) === watch) {
      this.watches.delete(id);
      if (watch.last === undefined) watch.settleReady(new UpstreamError('Unsubscribed'));
    }
    if (this.watches.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private deliver(subscriber: Subscriber, state: DescribeFlowOperationResponse): void {
    subscriber.received = true;
    subscriber.queue.push(state);
    if (TERMINAL_STATUSES.has(state.FlowOperationStatus ?? '')) subscriber.queue.end();
  }

  private schedule(): void {
    if (this.timer || this.closed || this.watches.size === 0) return;
    const spread = this.options.intervalMs * this.jitter;
    const delay = this.options.intervalMs + (Math.random() * 2 - 1) * spread;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      const due = [...this.watches.values()].filter((w) => !w.polling && w.dueAt <= now);
      void this.poll(due).finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private async poll(watches: Watch[]): Promise<void> {
    if (watches.length === 0) return;
    const loader = createFlowOperationLoader(this.api, this.options.concurrency);
    for (const w of watches) w.polling = true;
    await Promise.all(
      watches.map(async (watch) => {
        try {
          const state = await loader.load(watch.key);
          this.onState(watch, state);
        } catch (error) {
          this.onError(watch, error);
        } finally {
          watch.polling = false;
        }
      }),
    );
  }

  private isLive(watch: Watch): boolean {
    return this.watches.get(operationCacheKey(watch.key)) === watch;
  }

  private onState(watch: Watch, state: DescribeFlowOperationResponse): void {
    if (!this.isLive(watch)) return;
    watch.failures = 0;
    const signature = signatureOf(state);
    const changed = signature !== watch.signature;
    watch.last = state;
    watch.signature = signature;
    for (const subscriber of watch.subscribers) {
      if (changed || !subscriber.received) this.deliver(subscriber, state);
    }
    watch.settleReady();
    if (TERMINAL_STATUSES.has(state.FlowOperationStatus ?? '')) {
      this.watches.delete(operationCacheKey(watch.key));
    }
  }

  private onError(watch: Watch, raw: unknown): void {
    if (!this.isLive(watch)) return;
    const error = mapAwsError(raw, 'DescribeFlowOperation');
    if (isTransient(error)) {
      watch.failures += 1;
      if (watch.failures < this.options.maxFailures) {
        const backoff = Math.min(this.options.intervalMs * 2 ** (watch.failures - 1), 30_000);
        watch.dueAt = Date.now() + backoff * (1 + Math.random() * this.jitter);
        return;
      }
      this.fail(
        watch,
        new UpstreamError(
          `Gave up watching the operation after ${watch.failures} failed polls: ${error.message}`,
          { ...error.extensions },
        ),
      );
      return;
    }
    this.fail(watch, error);
  }

  private fail(watch: Watch, error: GatewayError): void {
    this.watches.delete(operationCacheKey(watch.key));
    watch.settleReady(error);
    for (const subscriber of watch.subscribers) subscriber.queue.fail(error);
  }
}
