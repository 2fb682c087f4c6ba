import { GraphQLError } from 'graphql';
import type { GatewayError } from '../errors.js';
import { ErrorCode, UpstreamError, mapAwsError } from '../errors.js';
import type { Loaders } from '../loaders/index.js';
import { requestContext } from '../observability/request-context.js';
import type { Coordinator, CoordinatorMessage } from './coordinator.js';
import { PushQueue } from './push-queue.js';
import { lateJoinerReplay } from './topics.js';
import type { TopicKind } from './topics.js';
import type { SpanContext } from '@opentelemetry/api';
import { inPollTickSpan, subscriberSpan } from '../telemetry/subscription-spans.js';

/**
 * Something many clients can watch and one poller reads: a flow operation, or the operations of
 * a firewall zone. `S` is what one poll reads; `E` is what subscribers are pushed.
 */
export interface Topic<S, E> {
  /** Unique and stable across replicas: the lease and channel name in cluster mode. */
  readonly id: string;
  poll(loaders: Loaders): Promise<S>;
  /** Events for subscribers that have seen `previous` (undefined before the first poll). */
  diff(previous: S | undefined, next: S): E[];
  /**
   * Whether a subscriber that joins now is owed the current state at once (src/subscriptions/
   * topics.ts). Only a topic whose state is itself an event can be a `state` topic.
   */
  readonly kind: S extends E ? TopicKind : 'changes';
  /** A final state: pushed, then every subscription on the topic completes. */
  isFinal(state: S): boolean;
  /** For the wire between replicas (JSON). */
  decode(raw: unknown): S;
}

/** The fraction of an interval over which a new watch's second poll is spread (secondDue). */
const SECOND_POLL_SPREAD = 0.9;

export interface MultiplexerOptions {
  intervalMs: number;
  /** Consecutive failed polls after which subscribers get UPSTREAM_ERROR. */
  maxFailures: number;
  /** Fraction by which each poll's spacing varies, so replicas and topics don't poll in lockstep. */
  jitter?: number;
  /** Fresh loaders for one tick, so that all due topics are read in one capped batch. */
  createLoaders: () => Loaders;
  coordinator: Coordinator;
  /** How late each poll started after it was due, in ms (the poll-lag metric). */
  onPollLag?: (lagMs: number) => void;
}

interface Subscriber<E> {
  queue: PushQueue<E>;
  primed: boolean;
  /** The subscribe operation's span, which the ticks polling for it link to. */
  span: SpanContext | undefined;
}

interface Watch<S, E> {
  topic: Topic<S, E>;
  subscribers: Set<Subscriber<E>>;
  last: S | undefined;
  failures: number;
  dueAt: number;
  polling: boolean;
  /** Whether this replica held the topic's lease at its last check (polls it, not fed by a peer). */
  held: boolean;
  ready: Promise<void>;
  settleReady: (error?: Error) => void;
}

type AnyWatch = Watch<unknown, unknown>;

function* subscriberSpans(watches: AnyWatch[]): Generator<SpanContext | undefined> {
  for (const watch of watches) for (const subscriber of watch.subscribers) yield subscriber.span;
}

function isTransient(error: GatewayError): boolean {
  return error.code === ErrorCode.THROTTLED || error.code === ErrorCode.UPSTREAM_ERROR;
}

/** Rebuilds an error a peer replica published, with its code, for this replica's subscribers. */
function errorFromMessage(message: Extract<CoordinatorMessage, { kind: 'error' }>): GraphQLError {
  return new GraphQLError(message.message, {
    extensions: { ...message.extensions, code: message.code },
  });
}

/**
 * Multiplexed polling (in the spirit of Hasura's multiplexed live queries): one watch per unique
 * topic shared by every subscriber of this process, one timer for all watches, and each tick's
 * polls batched through one set of loaders. With a shared coordinator, only the replica holding a
 * topic's lease polls it; the others are fed what it publishes.
 */
export class Multiplexer {
  private readonly watches = new Map<string, AnyWatch>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly jitter: number;
  private readonly granularityMs: number;

  constructor(private readonly options: MultiplexerOptions) {
    this.jitter = options.jitter ?? 0.1;
    // Standby replicas retry a lapsed lease this often, which bounds takeover time.
    this.granularityMs = Math.max(10, Math.floor(options.intervalMs / 4));
    options.coordinator.onMessage((topic, message) => this.onRemote(topic, message));
    options.coordinator.onReconnect(() => void this.rejoinAll());
  }

  get watchCount(): number {
    return this.watches.size;
  }

  /** Watched topics this replica polls itself; in cluster mode a peer polls the others. */
  get leaseCount(): number {
    let n = 0;
    for (const watch of this.watches.values()) if (watch.held) n++;
    return n;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const watch of this.watches.values()) n += watch.subscribers.size;
    return n;
  }

  /**
   * Resolves once the topic's first state is known (at once for a watched topic, with no AWS
   * call) and rejects when it cannot be read, so that NOT_FOUND reaches the client as the error of
   * its subscribe request rather than a silent wait.
   */
  async subscribe<S, E>(topic: Topic<S, E>): Promise<AsyncIterableIterator<E>> {
    if (this.closed) throw new UpstreamError('The gateway is shutting down');
    let watch = this.watches.get(topic.id) as Watch<S, E> | undefined;
    if (!watch) watch = this.createWatch(topic);
    const w = watch;
    const subscriber: Subscriber<E> = {
      primed: false,
      span: subscriberSpan(),
      queue: new PushQueue<E>(() =>
        this.unsubscribe(w as AnyWatch, subscriber as Subscriber<unknown>),
      ),
    };
    w.subscribers.add(subscriber);
    if (w.last !== undefined) this.prime(w, subscriber, w.last);
    try {
      await w.ready;
    } catch (error) {
      // A push queue's return() settles at once; the ready error is what the caller needs.
      void subscriber.queue.return();
      throw error;
    }
    return subscriber.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const watches = [...this.watches.values()];
    this.watches.clear();
    for (const watch of watches) {
      watch.settleReady(new UpstreamError('The gateway is shutting down'));
      for (const s of watch.subscribers) s.queue.end();
    }
    // Hand leases over now rather than letting them expire, so another replica takes over at once.
    await Promise.allSettled(watches.map((w) => this.options.coordinator.release(w.topic.id)));
  }

  private createWatch<S, E>(topic: Topic<S, E>): Watch<S, E> {
    let settleReady!: (error?: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    ready.catch(() => {});
    const watch: Watch<S, E> = {
      topic,
      subscribers: new Set(),
      last: undefined,
      failures: 0,
      dueAt: 0,
      polling: false,
      held: false,
      ready,
      settleReady,
    };
    this.watches.set(topic.id, watch as AnyWatch);
    void this.join(watch as AnyWatch).then(() => this.tick([watch as AnyWatch]));
    return watch;
  }

  private async join(watch: AnyWatch): Promise<void> {
    let stored: CoordinatorMessage | undefined;
    try {
      stored = await this.options.coordinator.join(watch.topic.id);
    } catch {
      stored = undefined;
    }
    if (stored?.kind === 'state' && this.isLive(watch) && watch.last === undefined) {
      this.applyState(watch, watch.topic.decode(stored.state));
      // The holder polls on its own schedule; take over only if it has gone quiet.
      watch.dueAt = stored.at + this.options.intervalMs;
    }
  }

  private async rejoinAll(): Promise<void> {
    await Promise.all(
      [...this.watches.values()].map(async (watch) => {
        try {
          const stored = await this.options.coordinator.join(watch.topic.id);
          if (stored?.kind === 'state' && this.isLive(watch)) {
            this.applyState(watch, watch.topic.decode(stored.state));
          }
        } catch {
          // Still away; local polling goes on.
        }
      }),
    );
  }

  private unsubscribe(watch: AnyWatch, subscriber: Subscriber<unknown>): void {
    watch.subscribers.delete(subscriber);
    if (watch.subscribers.size === 0 && this.isLive(watch)) this.dropWatch(watch);
  }

  private dropWatch(watch: AnyWatch): void {
    this.watches.delete(watch.topic.id);
    if (watch.last === undefined) watch.settleReady(new UpstreamError('Unsubscribed'));
    const { coordinator } = this.options;
    void coordinator.leave(watch.topic.id).catch(() => {});
    void coordinator.release(watch.topic.id).catch(() => {});
    if (this.watches.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private isLive(watch: AnyWatch): boolean {
    return this.watches.get(watch.topic.id) === watch;
  }

  private prime<S, E>(watch: Watch<S, E>, subscriber: Subscriber<E>, state: S): void {
    subscriber.primed = true;
    // A `state` topic's state is an event (its kind's type says S extends E).
    for (const event of lateJoinerReplay(watch.topic.kind, state as unknown as E)) {
      subscriber.queue.push(event);
    }
    if (watch.topic.isFinal(state)) subscriber.queue.end();
  }

  private schedule(): void {
    if (this.timer || this.closed || this.watches.size === 0) return;
    // Wake at the next due poll, and at least every granularity for standby lease checks.
    const now = Date.now();
    let next = Infinity;
    for (const w of this.watches.values()) {
      // A poll still in flight is not due again before it ends; don't spin on it.
      next = Math.min(next, w.polling ? Math.max(w.dueAt, now + this.granularityMs) : w.dueAt);
    }
    const delay = Math.max(0, Math.min(this.granularityMs, next - now));
    // Outside any request's context: later polls serve every subscriber, and their log lines
    // must not carry the id of whichever request happened to schedule the timer.
    this.timer = requestContext.exit(() =>
      setTimeout(() => {
        this.timer = undefined;
        const now = Date.now();
        const due = [...this.watches.values()].filter((w) => !w.polling && w.dueAt <= now);
        void this.tick(due);
      }, delay),
    );
    this.timer.unref();
  }

  /**
   * A new watch's second poll, anywhere from 0.1 to 1 interval after its first
   * (SECOND_POLL_SPREAD): watches started together (a dashboard opening twenty operations, clients
   * resubscribing after a replica restart) then poll, and push, out of step. With the jitter
   * alone, twenty watches started in one turn were still within a few hundred ms of each other
   * twenty intervals later, and when all their operations finished at once, each one's fan-out
   * queued behind the others' (issue 16). Phases spread evenly stay so under the jitter. Costs
   * each watch at most one early poll.
   */
  private secondDue(): number {
    return Date.now() + this.options.intervalMs * (1 - SECOND_POLL_SPREAD * Math.random());
  }

  private nextDue(): number {
    const spread = this.options.intervalMs * this.jitter;
    return Date.now() + this.options.intervalMs + (Math.random() * 2 - 1) * spread;
  }

  private async tick(candidates: AnyWatch[]): Promise<void> {
    try {
      const due = candidates.filter((w) => this.isLive(w) && !w.polling);
      if (due.length === 0) return;
      for (const w of due) w.polling = true;
      let held: Set<string>;
      try {
        held = await this.options.coordinator.acquire(due.map((w) => w.topic.id));
      } catch {
        held = new Set(due.map((w) => w.topic.id));
      }
      const mine = due.filter((w) => held.has(w.topic.id));
      for (const w of due) {
        w.held = held.has(w.topic.id);
        if (w.held) continue;
        // Another replica holds the lease: check again shortly, in case it dies.
        w.polling = false;
        w.dueAt = Date.now() + this.granularityMs;
      }
      // Spacing counts from the poll's start, so that AWS latency does not stretch the interval.
      const startedAt = Date.now();
      for (const w of mine) {
        // A first poll (dueAt 0) is immediate by design, not late.
        if (w.dueAt > 0) this.options.onPollLag?.(startedAt - w.dueAt);
        w.dueAt = w.dueAt === 0 ? this.secondDue() : this.nextDue();
      }
      if (mine.length > 0) {
        const loaders = this.options.createLoaders();
        await inPollTickSpan(mine.length, subscriberSpans(mine), () =>
          Promise.all(mine.map((watch) => this.pollOne(watch, loaders))),
        );
      }
    } finally {
      this.schedule();
    }
  }

  private async pollOne(watch: AnyWatch, loaders: Loaders): Promise<void> {
    try {
      const state = await watch.topic.poll(loaders);
      if (!this.isLive(watch)) return;
      watch.failures = 0;
      this.applyState(watch, state);
      await this.options.coordinator
        .publish(watch.topic.id, { kind: 'state', state, at: Date.now() })
        .catch(() => {});
    } catch (raw) {
      this.onPollError(watch, raw);
    } finally {
      watch.polling = false;
    }
  }

  private applyState(watch: AnyWatch, state: unknown): void {
    const events = watch.topic.diff(watch.last, state);
    watch.last = state;
    for (const subscriber of watch.subscribers) {
      if (!subscriber.primed) this.prime(watch, subscriber, state);
      else for (const event of events) subscriber.queue.push(event);
    }
    watch.settleReady();
    if (watch.topic.isFinal(state)) {
      for (const subscriber of watch.subscribers) subscriber.queue.end();
      if (this.isLive(watch)) this.dropWatch(watch);
    }
  }

  private onPollError(watch: AnyWatch, raw: unknown): void {
    if (!this.isLive(watch)) return;
    const error = mapAwsError(raw, 'polling');
    if (isTransient(error)) {
      watch.failures += 1;
      if (watch.failures < this.options.maxFailures) {
        const backoff = Math.min(this.options.intervalMs * 2 ** (watch.failures - 1), 30_000);
        watch.dueAt = Date.now() + backoff * (1 + Math.random() * this.jitter);
        return;
      }
      this.fail(
        watch,
        new UpstreamError(`Gave up after ${watch.failures} failed polls: ${error.message}`, {
          ...error.extensions,
        }),
      );
      return;
    }
    this.fail(watch, error);
  }

  private fail(watch: AnyWatch, error: GraphQLError): void {
    const { code, ...extensions } = error.extensions;
    void this.options.coordinator
      .publish(watch.topic.id, {
        kind: 'error',
        code: typeof code === 'string' ? code : ErrorCode.UPSTREAM_ERROR,
        message: error.message,
        extensions,
      })
      .catch(() => {});
    this.failLocal(watch, error);
  }

  private failLocal(watch: AnyWatch, error: GraphQLError): void {
    watch.settleReady(error);
    if (this.isLive(watch)) this.dropWatch(watch);
    for (const subscriber of watch.subscribers) subscriber.queue.fail(error);
  }

  private onRemote(topicId: string, message: CoordinatorMessage): void {
    const watch = this.watches.get(topicId);
    if (!watch) return;
    if (message.kind === 'state') {
      watch.failures = 0;
      // A peer polled: this replica need not until that peer goes quiet.
      watch.dueAt = Math.max(watch.dueAt, message.at + this.options.intervalMs);
      this.applyState(watch, watch.topic.decode(message.state));
    } else {
      this.failLocal(watch, errorFromMessage(message));
    }
  }
}
