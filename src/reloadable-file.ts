import { unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
import type { Logger } from './logger.js';

export interface ReloadableFileOptions<T> {
  files: readonly string[];
  /** Polls each file's stat at this interval (survives editors' and Kubernetes' atomic renames); 0 = off. */
  pollMs: number;
  /** Reads every file into a value; throws when one cannot be read or is invalid. */
  read: (previous: T | undefined) => T;
  logger: Logger;
  /** The log lines of a reload: `failed` (the previous value stays) and `reloaded`. */
  messages: { failed: string; reloaded: string };
  /** What the `reloaded` line says of the new value (never secrets). */
  describe: (value: T) => Record<string, unknown>;
}

/**
 * A value read from operator files (API keys, trusted documents), read again when a file changes
 * and on demand (SIGHUP). A read that fails keeps the last good value, so a half-written or broken
 * file never locks everyone out, nor lets anything new in.
 */
export class ReloadableFile<T> {
  private current: T;
  private readonly listeners = new Set<() => void>();
  private readonly onStat = (current: Stats, previous: Stats) => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.size !== previous.size ||
      current.ino !== previous.ino
    ) {
      this.reload();
    }
  };

  /** Throws when the first read fails: the gateway must not start without the file. */
  constructor(private readonly options: ReloadableFileOptions<T>) {
    this.current = options.read(undefined);
    if (options.pollMs > 0) {
      for (const file of options.files) {
        watchFile(file, { interval: options.pollMs, persistent: false }, this.onStat);
      }
    }
  }

  get value(): T {
    return this.current;
  }

  /** Reads the files again; true when the new value is in use. */
  reload(): boolean {
    const { logger, messages } = this.options;
    try {
      this.current = this.options.read(this.current);
    } catch (error) {
      logger.error({ err: (error as Error).message }, messages.failed);
      return false;
    }
    logger.info(this.options.describe(this.current), messages.reloaded);
    for (const listener of this.listeners) listener();
    return true;
  }

  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const file of this.options.files) unwatchFile(file, this.onStat);
    this.listeners.clear();
  }
}
