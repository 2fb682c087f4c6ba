import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logger.js';
import type { Coordinator, CoordinatorMessage } from './coordinator.js';

export interface RedisCoordinatorOptions {
  url: string;
  /** The poll interval; leases last 1.5 of them, so a dead holder is replaced within two. */
  intervalMs: number;
  /** Key and channel prefix, so several gateways can share one Redis. */
  prefix?: string;
  logger?: Logger;
}

// Acquire-or-renew in one round trip, spread over the replicas that watch the topic. KEYS[1] is
// the lease, KEYS[2] the topic's watchers (a sorted set of replica ids by last check, on Redis's
// clock). The topic's preferred replica is the fresh watcher with the highest hash of (replica,
// topic): rendezvous hashing, so each replica prefers about 1/N of the topics and a replica
// joining or leaving moves only its own share. A free lease goes to the preferred replica; the
// others take it only once that replica has gone stale (dead or no longer watching), which the
// window bounds. A holder that is not preferred hands the lease over (deletes it and does not
// poll) when the preferred replica is fresh: it takes it at its next check, within a quarter
// interval, so a handover stretches one interval a little and never adds a poll.
// Returns 1 when this replica holds the lease (and polls), else 0.
const ACQUIRE = `
local me, leaseMs, windowMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[2], now, me)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - windowMs)
redis.call('PEXPIRE', KEYS[2], windowMs * 2)
local best, bestHash = me, redis.sha1hex(me .. '|' .. KEYS[1])
for _, r in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local h = redis.sha1hex(r .. '|' .. KEYS[1])
  if h > bestHash then best, bestHash = r, h end
end
local v = redis.call('GET', KEYS[1])
if v == me then
  if best ~= me then redis.call('DEL', KEYS[1]) return 0 end
  redis.call('PEXPIRE', KEYS[1], leaseMs)
  return 1
end
if not v and best == me then
  redis.call('SET', KEYS[1], me, 'PX', leaseMs)
  return 1
end
return 0`;

// Gives the lease up and leaves the watchers, so the preferred replica is recomputed at once.
const RELEASE = `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Cluster mode: one lease per topic in Redis (SET NX PX, renewed by each poll, spread over the
 * replicas watching the topic by rendezvous hashing: see ACQUIRE), states published
 * on a channel per topic and stored with a TTL for replicas that join later. Redis pub/sub is
 * lossy, so after a reconnect the multiplexer re-reads the stored states. While Redis is away,
 * every replica polls for its own subscribers (`mode` is `local`) and shared polling resumes
 * when it is back.
 */
export class RedisCoordinator implements Coordinator {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly replicaId = randomUUID();
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly watcherWindowMs: number;
  private readonly stateTtlMs: number;
  private readonly messageHandlers: ((topic: string, message: CoordinatorMessage) => void)[] = [];
  private readonly reconnectHandlers: (() => void)[] = [];
  private wasReady = false;
  private lostConnection = false;

  constructor(options: RedisCoordinatorOptions) {
    this.prefix = options.prefix ?? 'nfw:';
    this.leaseMs = Math.ceil(options.intervalMs * 1.5);
    // Every watcher checks each topic about once an interval (the holder at each poll, the others
    // when its state is due), so 1.25 intervals tell a live watcher from a dead one; and a dead
    // holder's entry is stale before its lease expires, so takeover stays within two intervals.
    this.watcherWindowMs = Math.ceil(options.intervalMs * 1.25);
    // Long enough for a late subscriber to get the state without a poll, short enough to expire
    // for operations nobody watches any more.
    this.stateTtlMs = Math.max(options.intervalMs * 5, 10_000);
    const common = {
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(100 * 2 ** times, 2000),
      lazyConnect: false,
    };
    // Commands fail fast while Redis is away, so that polling falls back to local at once; and
    // while it stalls (connected, not answering), so that a request waiting on a shared rate limit
    // falls back to the replica's own limit instead of waiting with it.
    this.commands = new Redis(options.url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.subscriber = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', (error: Error) =>
        options.logger?.debug({ err: error.message }, 'Redis connection error'),
      );
    }
    this.commands.on('ready', () => {
      if (this.wasReady && this.lostConnection) {
        options.logger?.info('Redis is back: shared polling resumes');
        for (const handler of this.reconnectHandlers) handler();
      }
      this.wasReady = true;
      this.lostConnection = false;
    });
    this.commands.on('close', () => {
      if (this.wasReady && !this.lostConnection) {
        options.logger?.warn('Redis connection lost: polling locally until it is back');
      }
      this.lostConnection = true;
    });
    this.subscriber.on('message', (channel: string, payload: string) => {
      const topic = channel.slice(this.channelPrefix.length);
      let envelope: { from?: string; message?: CoordinatorMessage };
      try {
        envelope = JSON.parse(payload) as typeof envelope;
      } catch {
        return;
      }
      // This replica applied its own poll already; hearing it back would only delay its schedule.
      const message = envelope.message;
      if (!message || envelope.from === this.replicaId) return;
      for (const handler of this.messageHandlers) handler(topic, message);
    });
  }

  /** The command connection (fails fast while Redis is away), shared by the cluster-wide rate limits. */
  get client(): Redis {
    return this.commands;
  }

  get mode(): 'local' | 'shared' {
    return this.commands.status === 'ready' ? 'shared' : 'local';
  }

  /**
   * Whether Redis answers a PING within `deadlineMs`. A stalled Redis (stopped, saturated, behind
   * a silent partition) keeps its connection `ready`, so `mode` alone would report it up while
   * every command to it times out. The PING itself is bounded by the command timeout.
   */
  async answers(deadlineMs: number): Promise<boolean> {
    if (this.commands.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.commands.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(resolve, deadlineMs, false))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when both connections are up (or rejects after the timeout), for start-up checks. */
  async ready(timeoutMs = 5000): Promise<void> {
    const wait = (client: Redis) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([wait(this.commands), wait(this.subscriber)]),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis not ready within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private get channelPrefix(): string {
    return `${this.prefix}channel:`;
  }

  private leaseKey(topic: string): string {
    return `${this.prefix}lease:${topic}`;
  }

  private watchersKey(topic: string): string {
    return `${this.prefix}watchers:${topic}`;
  }

  private stateKey(topic: string): string {
    return `${this.prefix}state:${topic}`;
  }

  async acquire(topics: readonly string[]): Promise<Set<string>> {
    if (this.mode !== 'shared') return new Set(topics);
    try {
      const pipeline = this.commands.pipeline();
      for (const topic of topics) {
        pipeline.eval(
          ACQUIRE,
          2,
          this.leaseKey(topic),
          this.watchersKey(topic),
          this.replicaId,
          String(this.leaseMs),
          String(this.watcherWindowMs),
        );
      }
      const results = (await pipeline.exec()) ?? [];
      const held = new Set<string>();
      topics.forEach((topic, i) => {
        const [error, value] = results[i] ?? [new Error('no reply'), 0];
        // A topic whose lease could not be checked is polled here: a duplicate poll beats a gap.
        if (error || value === 1) held.add(topic);
      });
      return held;
    } catch {
      return new Set(topics);
    }
  }

  async release(topic: string): Promise<void> {
    if (this.mode !== 'shared') return;
    await this.commands
      .eval(RELEASE, 2, this.leaseKey(topic), this.watchersKey(topic), this.replicaId)
      .catch(() => {});
  }

  async join(topic: string): Promise<CoordinatorMessage | undefined> {
    // Not awaited: while Redis is away the subscription waits in ioredis's queue, and autoResubscribe
    // restores it after a reconnect.
    this.subscriber.subscribe(this.channelPrefix + topic).catch(() => {});
    if (this.mode !== 'shared') return undefined;
    try {
      const raw = await this.commands.get(this.stateKey(topic));
      return raw ? (JSON.parse(raw) as CoordinatorMessage) : undefined;
    } catch {
      return undefined;
    }
  }

  async leave(topic: string): Promise<void> {
    await this.subscriber.unsubscribe(this.channelPrefix + topic).catch(() => {});
  }

  async publish(topic: string, message: CoordinatorMessage): Promise<void> {
    if (this.mode !== 'shared') return;
    const pipeline = this.commands.pipeline();
    if (message.kind === 'state') {
      pipeline.set(this.stateKey(topic), JSON.stringify(message), 'PX', this.stateTtlMs);
    } else {
      pipeline.del(this.stateKey(topic));
    }
    pipeline.publish(this.channelPrefix + topic, JSON.stringify({ from: this.replicaId, message }));
    await pipeline.exec();
  }

  onMessage(handler: (topic: string, message: CoordinatorMessage) => void): void {
    this.messageHandlers.push(handler);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  async close(): Promise<void> {
    await Promise.allSettled([goodbye(this.commands), goodbye(this.subscriber)]);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}

// Redis answers in well under a millisecond on a healthy network; a command unanswered this long
// means a stalled server or a silent partition.
const COMMAND_TIMEOUT_MS = 1000;

// A QUIT that Redis answers within this lets it drop the connection cleanly; past it, cut.
const QUIT_TIMEOUT_MS = 1000;

/**
 * QUIT waits for Redis to answer it, and ioredis queues commands while Redis is away until it is
 * back: a shutdown with Redis down would wait forever. A connected client says goodbye within a
 * bound; any other is cut by the caller's disconnect().
 */
async function goodbye(client: Redis): Promise<void> {
  if (client.status !== 'ready') return;
  await within(
    QUIT_TIMEOUT_MS,
    client.quit().catch(() => undefined),
  );
}
