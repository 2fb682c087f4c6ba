export interface RequestLogEntry {
  seq: number;
  /** Epoch ms the request arrived. */
  time: number;
  operation: string;
  input: Record<string, unknown>;
  /** HTTP status answered; 0 when the request was dropped or left hanging. */
  status: number;
  errorType?: string;
  region?: string;
  accessKeyId?: string;
  requestId: string;
}

export interface RequestLog {
  entries(): RequestLogEntry[];
  count(operation?: string): number;
  clear(): void;
}

export class MemoryRequestLog implements RequestLog {
  #entries: RequestLogEntry[] = [];
  #seq = 0;

  /** Records the request on arrival, so hung ones are visible; finish() fills in the answer. */
  begin(entry: Omit<RequestLogEntry, 'seq' | 'status'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.#seq, status: 0, ...entry };
    this.#entries.push(full);
    return full;
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e, input: structuredClone(e.input) }));
  }

  count(operation?: string): number {
    if (operation === undefined) return this.#entries.length;
    return this.#entries.filter((e) => e.operation === operation).length;
  }

  clear(): void {
    this.#entries = [];
  }
}
