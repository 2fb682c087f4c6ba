/**
 * Things held per key (sockets per client address, subscriptions per caller) up to a ceiling.
 * A key is forgotten when its count falls to zero, so memory follows the keys holding something.
 */
export class Ceiling {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more for `key`, unless it holds `max` already. */
  take(key: string): boolean {
    const held = this.counts.get(key) ?? 0;
    if (held >= this.max) return false;
    this.counts.set(key, held + 1);
    return true;
  }

  /** One thing `key` held is gone. */
  release(key: string, count = 1): void {
    const held = (this.counts.get(key) ?? 0) - count;
    if (held > 0) this.counts.set(key, held);
    else this.counts.delete(key);
  }
}
