import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, measure, prepareScenarios, startStack } from '../../bench/harness.js';
import type { Measurement, Scenario, Stack } from '../../bench/harness.js';
import { inProcessSimulator } from '../../bench/simulator.js';
import type { BenchSimulator } from '../../bench/simulator.js';

// Proves the harness end to end on one short scenario; throughput figures belong to BENCHMARKS.md.
describe('benchmark harness smoke run', () => {
  let sim: BenchSimulator;
  let stack: Stack;
  let scenarios: Scenario[];

  before(async () => {
    sim = await inProcessSimulator();
    stack = await startStack(sim);
    scenarios = await prepareScenarios(stack);
    await sim.setLatency(5);
  });
  after(async () => {
    await stack.close();
    await sim.close();
  });

  it('runs the 30-alias scenario against the baseline and both gateways, answering alike', async () => {
    const scenario = scenarios.find((s) => s.key === 'c')!;
    const load = { connections: 4, durationSec: 1, warmupSec: 0, workers: 0 };
    const rows: Measurement[] = [];
    for (const target of scenario.targets) rows.push(await measure(stack, target, scenario, load));

    const [baseline, gateway] = rows;
    for (const row of rows) {
      assert.ok(row.requests > 0, `${row.target} answered requests`);
      assert.equal(row.failures, 0, `${row.target} answered every request like the first`);
      assert.equal(row.coldDescribes, 10, `${row.target}: one describe per unique operation`);
    }
    // The baseline calls AWS for every operation of every request; the gateway shares calls.
    assert.ok(baseline!.callsPerRequest >= 10, `baseline ${baseline!.callsPerRequest}`);
    assert.ok(gateway!.callsPerRequest < baseline!.callsPerRequest);

    const baselineAnswer = await fetch(stack.urls.baseline, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: scenario.body,
    }).then((r) => r.json());
    const gatewayAnswer = await fetch(stack.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: scenario.body,
    }).then((r) => r.json());
    assert.deepEqual(gatewayAnswer, baselineAnswer, 'the baseline serves the same data');

    const table = formatTable([scenario], rows);
    assert.equal(table.split('\n').length, 2 + rows.length);
  });
});
