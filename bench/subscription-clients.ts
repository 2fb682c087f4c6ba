/**
 * The subscribers of bench/subscriptions.ts, in their own process so that their memory is not
 * counted as the gateway's. Driven over IPC: `start` opens the subscriptions, reports `subscribed`
 * when each has its first event, then `done` with the wall-clock time each saw COMPLETED.
 */
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

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

const clients: Client[] = [];

process.on('message', (message: Start | { type: 'stop' }) => {
  if (message.type === 'stop') {
    void Promise.allSettled(clients.map(async (c) => c.dispose())).then(() => process.exit(0));
    return;
  }
  const { urls, ids, subscribers, perSocket, distinct, arn, az, localAddress } = message;
  // graphql-ws constructs the socket itself: a subclass passes ws the source address.
  const Impl = localAddress
    ? class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { localAddress });
        }
      }
    : WebSocket;
  const sockets = Math.ceil(subscribers / perSocket);
  for (let s = 0; s < sockets; s++) {
    // Replicas take turns by rounds of M subscribers, so every operation has subscribers on every
    // replica (alternating sockets would tie an operation to one replica whenever M is a multiple
    // of the replica count, and the lease and fan-out across replicas would go untested).
    const round = Math.floor((s * perSocket) / ids.length);
    const url = urls[round % urls.length]!.replace(/^http/, 'ws');
    clients.push(createClient({ url, webSocketImpl: Impl, retryAttempts: 0, lazy: true }));
  }
  const firstSeen = new Array<boolean>(subscribers).fill(false);
  const completedAt = new Array<number>(subscribers).fill(0);
  let failed = 0;
  let completed = 0;
  // Sockets open in batches, each once the previous batch has its first events: thousands of
  // connects at once overflow the listen queue and SYN retries time out, which is a test of the
  // kernel's backlog, not of the gateway's steady state.
  const BATCH = 500;
  let settleBatch: (() => void) | undefined;
  let pending = 0;
  const settled = () => {
    if (--pending === 0) settleBatch?.();
  };
  const subscribe = (i: number) =>
    clients[Math.floor(i / perSocket)]!.subscribe(
      {
        query: SUB,
        variables: { arn, az, id: ids[i % ids.length], ...(distinct ? { subscriber: i } : {}) },
      },
      {
        next: (v) => {
          if (!firstSeen[i]) {
            firstSeen[i] = true;
            settled();
          }
          const status = (
            v.data as { flowOperationStatusChanged: { flowOperationStatus: string } } | null
          )?.flowOperationStatusChanged.flowOperationStatus;
          if (status === 'COMPLETED' && completedAt[i] === 0) {
            completedAt[i] = Date.now();
            if (++completed + failed === subscribers) process.send!({ type: 'done', completedAt });
          }
        },
        // A refused or failed subscriber is reported, not waited for forever.
        error: () => {
          failed++;
          if (!firstSeen[i]) {
            firstSeen[i] = true;
            settled();
          }
        },
        complete: () => {},
      },
    );
  void (async () => {
    for (let from = 0; from < subscribers; from += BATCH * perSocket) {
      const to = Math.min(subscribers, from + BATCH * perSocket);
      pending = to - from;
      const done = new Promise<void>((resolve) => (settleBatch = resolve));
      for (let i = from; i < to; i++) subscribe(i);
      await done;
    }
    process.send!({ type: 'subscribed', failed });
  })();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'report') process.send!({ type: 'done', completedAt });
  });
});
