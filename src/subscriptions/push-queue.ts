/**
 * An async iterator fed from outside: the poller pushes states, a websocket operation pulls them.
 * `return()` (the client unsubscribed) runs `onClose` once, so the poller can forget the consumer.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: {
    resolve: (r: IteratorResult<T>) => void;
    reject: (e: unknown) => void;
  } | null = null;
  private ended = false;
  private failure: { error: unknown } | null = null;

  constructor(private readonly onClose: () => void = () => {}) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  /** Ends the stream after what is buffered has been read. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.close();
    if (this.waiting && this.buffer.length === 0) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the stream with an error, after what is buffered has been read. */
  fail(error: unknown): void {
    if (this.ended) return;
    if (this.waiting && this.buffer.length === 0) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    } else {
      this.failure = { error };
    }
    this.end();
  }

  get size(): number {
    return this.buffer.length;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) {
      return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    // return() ends the queue synchronously; its promise only echoes `done`.
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    // Only end() calls this, once: `ended` guards it.
    this.onClose();
  }
}
