import { Worker } from 'node:worker_threads';
import { OPERATIONS, createSimulator } from '../src/simulator/index.js';
import type { OperationInfo, RequestLog } from '../src/simulator/index.js';

/** What the benchmark needs of the simulator, wherever it runs. */
export interface BenchSimulator {
  url: string;
  /** Requests received per operation since the last clear. */
  counts(): Promise<Record<string, number>>;
  clear(): Promise<void>;
  setLatency(ms: number): Promise<void>;
  operations(firewallArn: string): Promise<OperationInfo[]>;
  close(): Promise<void>;
}

export type SimulatorCommand =
  | { kind: 'counts' | 'clear' | 'close' }
  | { kind: 'latency'; latencyMs: number }
  | { kind: 'operations'; firewallArn: string };

export type SimulatorRequest = SimulatorCommand & { id: number };

export interface SimulatorResponse {
  id: number;
  url?: string;
  counts?: Record<string, number>;
  operations?: OperationInfo[];
}

export function countByOperation(log: RequestLog): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const operation of OPERATIONS) {
    const n = log.count(operation);
    if (n > 0) counts[operation] = n;
  }
  return counts;
}

// Operations stay IN_PROGRESS for the whole run, so scenario (a) keeps describing a live one.
export const OPERATION_DELAY_MS = 24 * 3_600_000;

/** In this thread: for the smoke test, where timing does not matter. */
export async function inProcessSimulator(): Promise<BenchSimulator> {
  const sim = await createSimulator({ operationDelayMs: OPERATION_DELAY_MS });
  return {
    url: sim.url,
    async counts() {
      const counts = countByOperation(sim.log);
      return counts;
    },
    async clear() {
      sim.log.clear();
    },
    async setLatency(ms) {
      sim.faults.set({ latencyMs: ms });
    },
    async operations(firewallArn) {
      return sim.control.operations(firewallArn);
    },
    close: () => sim.close(),
  };
}

/** On a worker thread: for measurements, so that "AWS" does not steal the measured event loop. */
export async function workerSimulator(): Promise<BenchSimulator> {
  // A worker's entry is loaded before any --import hook runs, so it registers tsx itself first.
  const entry = new URL('./simulator-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
  const waiting = new Map<number, (r: SimulatorResponse) => void>();
  let nextId = 1;
  const ready = new Promise<SimulatorResponse>((resolve, reject) => {
    waiting.set(0, resolve);
    worker.once('error', reject);
  });
  worker.on('message', (r: SimulatorResponse) => {
    waiting.get(r.id)?.(r);
    waiting.delete(r.id);
  });
  const ask = (request: SimulatorCommand): Promise<SimulatorResponse> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      worker.postMessage({ ...request, id });
    });
  const { url } = await ready;
  if (!url) throw new Error('the simulator worker did not report its URL');
  return {
    url,
    counts: async () => (await ask({ kind: 'counts' })).counts ?? {},
    clear: async () => void (await ask({ kind: 'clear' })),
    setLatency: async (latencyMs) => void (await ask({ kind: 'latency', latencyMs })),
    operations: async (firewallArn) =>
      (await ask({ kind: 'operations', firewallArn })).operations ?? [],
    close: async () => {
      await ask({ kind: 'close' });
      await worker.terminate();
    },
  };
}
