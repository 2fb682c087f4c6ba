/**
 * Decides which process polls a topic, and carries what one process learns to the others.
 * In memory (one replica) this process polls everything; with Redis exactly one replica holds a
 * lease per topic and publishes what it reads, so AWS sees one poll per topic per interval however
 * many replicas serve subscribers.
 */
export interface Coordinator {
  /** True when this process should poll the topic now: it holds (or just took) its lease. */
  acquire(topics: readonly string[]): Promise<Set<string>>;
  /** Gives up leases, e.g. when the last local subscriber left or the topic ended. */
  release(topic: string): Promise<void>;
  /** Starts receiving the topic's messages; resolves with the last message stored for it, if any. */
  join(topic: string): Promise<CoordinatorMessage | undefined>;
  leave(topic: string): Promise<void>;
  /** Tells the other replicas (and stores it for late joiners). */
  publish(topic: string, message: CoordinatorMessage): Promise<void>;
  onMessage(handler: (topic: string, message: CoordinatorMessage) => void): void;
  /** Called after a lost connection is back, so that the multiplexer re-reads what it serves. */
  onReconnect(handler: () => void): void;
  /** `shared` with a healthy Redis; `local` in memory or while Redis is away. */
  readonly mode: 'local' | 'shared';
  close(): Promise<void>;
}

export type CoordinatorMessage =
  | { kind: 'state'; state: unknown; at: number }
  | { kind: 'error'; code: string; message: string; extensions: Record<string, unknown> };

export class LocalCoordinator implements Coordinator {
  readonly mode = 'local' as const;

  acquire(topics: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(topics));
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
  join(): Promise<CoordinatorMessage | undefined> {
    return Promise.resolve(undefined);
  }
  leave(): Promise<void> {
    return Promise.resolve();
  }
  publish(): Promise<void> {
    return Promise.resolve();
  }
  onMessage(): void {}
  onReconnect(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}
