export interface RequestLogEntry {
  seq: number;
  /** Epoch ms the request arrived. */
  time: number;
  operation: string;
  input: Record<string, unknown>;
  /** HTTP status answered; 0 when the request was dropped or left hanging. */
  status: number;
  /**
   * Requests the simulator held unanswered when this one arrived, itself included (a hung one
   * until its socket closes): how many calls the client had open at once, so that a test reads a
   * concurrency cap from the log instead of from how long the calls took.
   */
  inFlight: number;
  errorType?: string;
  region?: string;
  accessKeyId?: string;
  requestId: string;
}

export interface RequestLog {
  /** The retained entries, oldest first: at most the log's limit, the newest ones. */
  entries(): RequestLogEntry[];
  /** Requests received since the last clear(), optionally of one operation; exact beyond the limit. */
  count(operation?: string): number;
  /** Forgets the entries and restarts count(). */
  clear(): void;
}

/** Enough for any test and for a demo session to inspect; about 10 MB at worst (1 MB bodies aside). */
const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

// Counters are kept per operation name, which comes from a request header: a bounded number of
// names, so that junk targets cannot grow the map either (the simulator knows seven operations).
const MAX_COUNTED_NAMES = 64;

/**
 * The simulator's record of AWS requests, kept as a ring of the last `limit` entries: a demo
 * gateway runs for weeks with the simulator in process, and an unbounded log of every poll's
 * request (inputs included) grew without end. Counts stay exact past the limit, so tests and
 * benchmarks that count calls do not depend on it.
 */
export class MemoryRequestLog implements RequestLog {
  readonly #limit: number;
  // A fixed ring: #ring[#start] is the oldest retained entry, #size of them in order.
  #ring: (RequestLogEntry | undefined)[];
  #start = 0;
  #size = 0;
  #seq = 0;
  #counted = 0;
  readonly #counts = new Map<string, number>();

  constructor(limit = DEFAULT_REQUEST_LOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`request log limit must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
    this.#ring = new Array<RequestLogEntry | undefined>(limit);
  }

  /** Records the request on arrival, so hung ones are visible; finish() fills in the answer. */
  begin(entry: Omit<RequestLogEntry, 'seq' | 'status'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.#seq, status: 0, ...entry };
    this.#counted += 1;
    const known = this.#counts.get(entry.operation);
    if (known !== undefined || this.#counts.size < MAX_COUNTED_NAMES) {
      this.#counts.set(entry.operation, (known ?? 0) + 1);
    }
    if (this.#size < this.#limit) {
      this.#ring[(this.#start + this.#size) % this.#limit] = full;
      this.#size += 1;
    } else {
      // Full: the oldest slot takes the new entry and the ring turns by one.
      this.#ring[this.#start] = full;
      this.#start = (this.#start + 1) % this.#limit;
    }
    return full;
  }

  #retained(): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = 0; i < this.#size; i++) {
      out.push(this.#ring[(this.#start + i) % this.#limit]!);
    }
    return out;
  }

  entries(): RequestLogEntry[] {
    return this.#retained().map((e) => ({ ...e, input: structuredClone(e.input) }));
  }

  count(operation?: string): number {
    if (operation === undefined) return this.#counted;
    return this.#counts.get(operation) ?? 0;
  }

  clear(): void {
    this.#ring = new Array<RequestLogEntry | undefined>(this.#limit);
    this.#start = 0;
    this.#size = 0;
    this.#counted = 0;
    this.#counts.clear();
  }
}
