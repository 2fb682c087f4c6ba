import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFirewallsCommand } from '@aws-sdk/client-network-firewall';
import { MemoryRequestLog } from '../../src/simulator/request-log.js';
import { waitFor } from '../helpers/gateway.js';
import { clientFor, startSimulator } from './helpers.js';

// Issue 11, item 11: a long-running demo gateway's simulator kept every request it ever received.
describe('the request log is bounded', () => {
  const entry = (operation: string, i: number) => ({
    time: i,
    operation,
    input: { i },
    requestId: `r${i}`,
    inFlight: 1,
  });

  it('keeps the newest N entries, oldest first, while counts stay exact', () => {
    const log = new MemoryRequestLog(3);
    for (let i = 1; i <= 10; i++) log.begin(entry(i % 2 === 0 ? 'Even' : 'Odd', i));
    assert.deepEqual(
      log.entries().map((e) => [e.seq, e.input.i]),
      [
        [8, 8],
        [9, 9],
        [10, 10],
      ],
    );
    assert.equal(log.count(), 10);
    assert.equal(log.count('Even'), 5);
    log.clear();
    assert.deepEqual(log.entries(), []);
    assert.equal(log.count(), 0);
    log.begin(entry('Odd', 11));
    assert.deepEqual(
      log.entries().map((e) => e.seq),
      [11],
    );
  });

  it('a thousand junk operation names do not grow the counters', () => {
    const log = new MemoryRequestLog(2);
    for (let i = 0; i < 1000; i++) log.begin(entry(`Junk${i}`, i));
    log.begin(entry('ListFirewalls', 1000));
    assert.equal(log.entries().length, 2);
    assert.equal(log.count(), 1001);
    assert.equal(log.count('Junk999'), 0, 'names beyond the cap are not counted one by one');
    assert.equal(log.count('Junk0'), 1);
  });

  it('refuses a limit that is not a positive integer', () => {
    assert.throws(() => new MemoryRequestLog(0), RangeError);
    assert.throws(() => new MemoryRequestLog(1.5), RangeError);
  });

  it('a simulator retains requestLogLimit entries over the wire', async () => {
    const sim = await startSimulator({ requestLogLimit: 5 });
    const client = clientFor(sim);
    for (let i = 0; i < 12; i++) await client.send(new ListFirewallsCommand({}));
    const entries = sim.log.entries();
    assert.equal(entries.length, 5);
    assert.deepEqual(
      entries.map((e) => e.seq),
      [8, 9, 10, 11, 12],
    );
    assert.equal(sim.log.count('ListFirewalls'), 12);
  });

  it('records how many requests were open at each arrival, hung ones included', async () => {
    const sim = await startSimulator();
    const client = clientFor(sim);
    await client.send(new ListFirewallsCommand({}));
    // One request held by a long latency and one hung: both still open when the third arrives.
    sim.faults.set({ latencyMs: 60_000 });
    const held = client.send(new ListFirewallsCommand({})).catch(() => undefined);
    await waitFor(() => sim.log.count() >= 2 || undefined);
    sim.faults.reset();
    sim.faults.set({ hangNext: 1 });
    const hung = client.send(new ListFirewallsCommand({})).catch(() => undefined);
    await waitFor(() => sim.log.count() >= 3 || undefined);
    await client.send(new ListFirewallsCommand({}));
    assert.deepEqual(
      sim.log.entries().map((e) => [e.status, e.inFlight]),
      [
        [200, 1],
        [0, 1],
        [0, 2],
        [200, 3],
      ],
    );
    await sim.close();
    await Promise.all([held, hung]);
  });
});
