import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';

/**
 * Apollo's KeyValueCache, as `persistedQueries.cache` takes it (structurally: the package that
 * declares it is Apollo's, not ours). Keys arrive prefixed `apq:` by Apollo; values are texts.
 */
export interface ApqCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * One process's APQ registrations, bounded by DOCUMENT_CACHE_BYTES of text (UTF-16 code units
 * counted as bytes; the estimate errs high for ASCII). Registration is caller input: Apollo's
 * default would share its 30 MiB server cache with nothing else bounding it.
 */
export class MemoryApqCache implements ApqCache {
  private readonly texts: LRUCache<string, string>;

  constructor(maxBytes: number) {
    this.texts = new LRUCache<string, string>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (text, key) => Math.max(1, 2 * (text.length + key.length)),
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.texts.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.texts.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.texts.delete(key);
  }

  get bytes(): number {
    return this.texts.calculatedSize;
  }
}

export interface RedisApqCacheOptions {
  /** The coordinator's command connection: no new connection per replica for APQ. */
  redis: Redis;
  /** REDIS_PREFIX: keys are `<prefix><Apollo's key>`, e.g. `nfw:apq:<sha256>`. */
  prefix: string;
  /** Every entry expires: registrations are caller input and Redis is shared by all replicas. */
  ttlSeconds: number;
  /** A text longer than this is not shared (it still runs; its hash just misses next time). */
  maxEntryChars: number;
  logger: Logger;
}

/**
 * Cluster mode's APQ cache, shared by every replica over the existing ioredis connection: a
 * document registered on one replica runs by hash on the others. The same get/set/delete Apollo
 * would reach through KeyvAdapter and a Keyv Redis store, without two more layers and a second
 * client. Redis being away is a miss, never an error: the client registers the text again.
 */
export class RedisApqCache implements ApqCache {
  constructor(private readonly options: RedisApqCacheOptions) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.options.redis.get(this.options.prefix + key)) ?? undefined;
    } catch (error) {
      this.options.logger.debug({ err: (error as Error).message }, 'APQ lookup in Redis failed');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (value.length > this.options.maxEntryChars) return;
    // Apollo's ttl may ask for longer; ours is the ceiling.
    const ttl = Math.min(options?.ttl ?? this.options.ttlSeconds, this.options.ttlSeconds);
    try {
      await this.options.redis.set(this.options.prefix + key, value, 'EX', Math.max(1, ttl));
    } catch (error) {
      this.options.logger.debug({ err: (error as Error).message }, 'APQ register in Redis failed');
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.options.redis.del(this.options.prefix + key)) > 0;
    } catch {
      return false;
    }
  }
}
