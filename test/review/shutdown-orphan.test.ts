import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, waitFor } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/process.js';
import type { GatewayProcess } from '../helpers/process.js';
import { RawClient } from '../helpers/raw-client.js';

const CAPTURE = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`;
const INPUT = {
  firewallArn: DEMO_ARN,
  availabilityZone: DEMO_AZ,
  flowFilters: [{ destinationPort: '443' }],
};

async function simulator(gateway: GatewayProcess) {
  const line = await gateway.line((entry) => typeof entry.simulator === 'string');
  const base = String(line.simulator);
  return {
    slowStarts: (ms: number) =>
      fetch(new URL('/_simulator/faults', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answerDelayMs: ms, operations: ['StartFlowCapture'] }),
      }),
    startsArrived: () =>
      waitFor(async () => {
        const log = (await (await fetch(new URL('/_simulator/log', base))).json()) as {
          entries: { operation: string }[];
        };
        return log.entries.some((e) => e.operation === 'StartFlowCapture');
      }, 10_000),
  };
}

// websocket FAILS on 0cb5417 (http passes, kept as a regression test): drain waits for sockets and HTTP connections, not for the mutations they
// started. A caller that disconnects after sending a start leaves it running with nothing to wait
// for it: SIGTERM then exits 0 ("drained") at once, before AWS answered, and the start that AWS
// ran (answerDelayMs: it exists already) has no audit line at all, neither ok nor unknown.
describe('review: SIGTERM after the caller of a start in flight went away', () => {
  for (const transport of ['websocket', 'http'] as const) {
    it(
      `${transport}: the start is audited (ok or unknown) before exit`,
      {
        timeout: 30_000,
        ...(transport === 'websocket'
          ? { todo: 'FAILS on 0cb5417 (websocket): exit 0 at once, no audit line' }
          : {}),
      },
      async () => {
        const gw = await spawnGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
        try {
          const sim = await simulator(gw);
          await sim.slowStarts(3000);
          if (transport === 'websocket') {
            const client = await RawClient.acked(gw.url);
            client.send({
              type: 'subscribe',
              id: 'm',
              payload: { query: CAPTURE, variables: { input: INPUT } },
            });
            await sim.startsArrived();
            client.socket.terminate();
          } else {
            const abort = new AbortController();
            const pending = fetch(gw.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: CAPTURE, variables: { input: INPUT } }),
              signal: abort.signal,
            }).catch(() => undefined);
            await sim.startsArrived();
            abort.abort();
            await pending;
          }
          await new Promise((r) => setTimeout(r, 200));
          const started = Date.now();
          const code = await gw.kill('SIGTERM');
          const audits = gw.logs.filter(
            (l) => l.includes('"audit":true') && l.includes('startFlowCapture'),
          );
          console.log(
            `${transport}: exit ${code} after ${Date.now() - started} ms; audit lines: ${audits.length}`,
          );
          assert.equal(audits.length, 1, 'a start AWS ran has no audit line');
        } finally {
          await gw.kill('SIGKILL');
        }
      },
    );
  }
});
