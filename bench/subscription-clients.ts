/**
 * The subscribers of bench/subscriptions.ts, in their own process so that their memory is not
 * counted as the gateway's. Driven over IPC: `start` opens the subscriptions, reports `subscribed`
 * when each has its first event, then `done` with the wall-clock time each saw COMPLETED.
 *
 * They speak graphql-transport-ws over plain `ws` sockets rather than through the graphql-ws
 * client: with 19,000 subscribers the clients parse 38,000 messages in the burst on the same
 * machine as the gateway, and the client library's per-message validation, sinks and promises
 * were part of what the push latency measured. Each message is stamped on arrival, before it is
 * parsed, then parsed and checked (known type, one of this socket's ids, the expected payload
 * shape, nothing after `complete`); messages that fail a check are counted and reported.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { RawData } from 'ws';

interface Start {
  type: 'start';
  urls: string[];
  ids: string[];
  subscribers: number;
  perSocket: number;
  /** Every subscription its own execution: an extra variable, unused by the document, tells them apart. */
  distinct: boolean;
  arn: string;
  az: string;
  /** Source address of this process's sockets (127.0.0.x), so that ports do not run out. */
  localAddress?: string;
}

const SUB = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

const sockets: WebSocket[] = [];

interface ServerMessage {
  type?: unknown;
  id?: unknown;
  payload?: { data?: { flowOperationStatusChanged?: { flowOperationStatus?: unknown } } };
}

/** What every subscriber of this process saw; indexes are the process's subscriber numbers. */
class Tally {
  readonly firstSeen: boolean[];
  readonly completedAt: number[];
  readonly ended: boolean[];
  failed = 0;
  /** Sockets lost before their subscribers completed, by reason. */
  readonly lostBy: Record<string, number> = {};
  completed = 0;
  /** Messages that failed a check: not JSON, unknown type or id, bad payload, after `complete`. */
  invalid = 0;
  onFirst: () => void = () => {};

  constructor(readonly subscribers: number) {
    this.firstSeen = new Array<boolean>(subscribers).fill(false);
    this.completedAt = new Array<number>(subscribers).fill(0);
    this.ended = new Array<boolean>(subscribers).fill(false);
  }

  first(i: number): void {
    if (this.firstSeen[i]) return;
    this.firstSeen[i] = true;
    this.onFirst();
  }

  fail(i: number): void {
    if (this.ended[i]) return;
    this.ended[i] = true;
    this.failed++;
    this.first(i);
    this.maybeDone();
  }

  maybeDone(): void {
    if (this.completed + this.failed === this.subscribers) this.report();
  }

  report(): void {
    process.send!({
      type: 'done',
      completedAt: this.completedAt,
      invalid: this.invalid,
      lostBy: this.lostBy,
    });
  }
}

/** One message of subscriber i's socket, stamped `at` on arrival. */
function onMessage(tally: Tally, from: number, to: number, text: string, at: number): void {
  let message: ServerMessage;
  try {
    message = JSON.parse(text) as ServerMessage;
  } catch {
    tally.invalid++;
    return;
  }
  const i = Number(message.id);
  const ours = typeof message.id === 'string' && Number.isInteger(i) && i >= from && i < to;
  if (!ours || tally.ended[i]) {
    tally.invalid++;
    return;
  }
  switch (message.type) {
    case 'next': {
      const status = message.payload?.data?.flowOperationStatusChanged?.flowOperationStatus;
      if (typeof status !== 'string') {
        tally.invalid++;
        return;
      }
      tally.first(i);
      if (status === 'COMPLETED' && tally.completedAt[i] === 0) {
        tally.completedAt[i] = at;
        tally.completed++;
        tally.maybeDone();
      }
      return;
    }
    case 'complete':
      tally.ended[i] = true;
      return;
    case 'error':
      tally.fail(i);
      return;
    default:
      tally.invalid++;
  }
}

/** Subscribers [from, to) on one socket; resolves nothing, reports through `tally`. */
function open(url: string, start: Start, tally: Tally, from: number, to: number): void {
  const socket = new WebSocket(url, 'graphql-transport-ws', {
    ...(start.localAddress ? { localAddress: start.localAddress } : {}),
  });
  sockets.push(socket);
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.on('message', (data: RawData) => {
    const at = Date.now();
    const text = (data as Buffer).toString();
    // The handshake and pings are the only messages without an id; the ack starts the subscribes.
    if (text === '{"type":"connection_ack"}') {
      for (let i = from; i < to; i++) {
        const variables = {
          arn: start.arn,
          az: start.az,
          id: start.ids[i % start.ids.length],
          ...(start.distinct ? { subscriber: i } : {}),
        };
        socket.send(
          JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: SUB, variables } }),
        );
      }
      return;
    }
    onMessage(tally, from, to, text, at);
  });
  // A socket that fails or closes fails its subscribers that have not completed.
  // Why, counted once per socket: an error's code, or the close code (1006: cut without a close
  // frame, as the gateway's keep-alive cuts a socket whose pong was late).
  let why: string | undefined;
  const lost = (reason: string) => {
    if (why === undefined && tally.completedAt.slice(from, to).includes(0)) {
      why = reason;
      tally.lostBy[reason] = (tally.lostBy[reason] ?? 0) + 1;
    }
    for (let i = from; i < to; i++) if (tally.completedAt[i] === 0) tally.fail(i);
  };
  socket.on('error', (error: NodeJS.ErrnoException) => lost(error.code ?? error.message));
  socket.on('close', (code: number) => lost(`close ${code}`));
}

process.on('message', (message: Start | { type: 'stop' } | { type: 'report' }) => {
  if (message.type === 'stop') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
  if (message.type === 'report') {
    tally?.report();
    return;
  }
  void run(message);
});

let tally: Tally | undefined;

async function run(start: Start): Promise<void> {
  const { urls, ids, subscribers, perSocket } = start;
  // This process's own stalls while subscribing: a peer that cannot read its pings for a
  // keep-alive interval is cut by the gateway as dead, and that is the load generator's doing.
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const t = (tally = new Tally(subscribers));
  // Sockets open in batches, each once the previous batch has its first events: thousands of
  // connects at once overflow the listen queue and SYN retries time out, which is a test of the
  // kernel's backlog, not of the gateway's steady state.
  const BATCH = 500;
  let pending = 0;
  let settleBatch: () => void = () => {};
  t.onFirst = () => {
    if (--pending === 0) settleBatch();
  };
  const sockets = Math.ceil(subscribers / perSocket);
  for (let s = 0; s < sockets; s += BATCH) {
    const last = Math.min(sockets, s + BATCH);
    pending = Math.min(subscribers, last * perSocket) - s * perSocket;
    const settled = new Promise<void>((resolve) => (settleBatch = resolve));
    for (let k = s; k < last; k++) {
      const from = k * perSocket;
      // Replicas take turns by rounds of M subscribers, so every operation has subscribers on
      // every replica (alternating sockets would tie an operation to one replica whenever M is a
      // multiple of the replica count, and the lease and fan-out across replicas would go untested).
      const round = Math.floor(from / ids.length);
      const url = urls[round % urls.length]!.replace(/^http/, 'ws');
      open(url, start, t, from, Math.min(subscribers, from + perSocket));
    }
    await settled;
  }
  stalls.disable();
  process.send!({
    type: 'subscribed',
    failed: t.failed,
    lostBy: t.lostBy,
    stallMaxMs: Math.round(stalls.max / 1e6),
  });
}
