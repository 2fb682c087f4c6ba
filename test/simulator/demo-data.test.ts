import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeFirewallCommand, StartFlowCaptureCommand } from '@aws-sdk/client-network-firewall';
import type { Simulator } from '../../src/simulator/index.js';
import {
  ASSOC,
  DEMO,
  EU,
  allResults,
  clientFor,
  startSimulator,
  waitUntilDone,
} from './helpers.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

function snapshot(sim: Simulator) {
  const flows = sim.control
    .firewalls()
    .flatMap((fw) =>
      fw.availabilityZones.map((az) => sim.control.flows(fw.arn, { availabilityZone: az })),
    );
  const operations = sim.control.operations().map((o) => ({ ...o }));
  return { flows, operations };
}

describe('seeded demo data', { timeout: 20_000 }, () => {
  it('is identical for the same seed and different for another seed', async () => {
    const a = await startSimulator({ seed: 7, clock: () => NOW });
    const b = await startSimulator({ seed: 7, clock: () => NOW });
    const c = await startSimulator({ seed: 8, clock: () => NOW });
    assert.deepEqual(snapshot(a), snapshot(b));
    assert.notDeepEqual(snapshot(a).flows, snapshot(c).flows);
    const describeA = await clientFor(a).send(new DescribeFirewallCommand({ FirewallArn: DEMO }));
    const describeB = await clientFor(b).send(new DescribeFirewallCommand({ FirewallArn: DEMO }));
    assert.deepEqual(
      { ...describeA, $metadata: undefined },
      { ...describeB, $metadata: undefined },
    );
    // Recorded results of the seeded history are part of the data too.
    const op = a.control.operations(DEMO).find((o) => o.availabilityZone === 'us-east-1a');
    const scope = {
      FirewallArn: DEMO,
      AvailabilityZone: 'us-east-1a',
      FlowOperationId: op?.flowOperationId,
      MaxResults: 100,
    };
    assert.deepEqual(
      (await allResults(clientFor(a), scope)).flows,
      (await allResults(clientFor(b), scope)).flows,
    );
  });

  it('looks like a real flow table', async () => {
    const sim = await startSimulator({ clock: () => NOW });
    for (const fw of sim.control.firewalls()) {
      for (const az of fw.availabilityZones) {
        const flows = sim.control.flows(fw.arn, { availabilityZone: az });
        assert.ok(flows.length >= 150 && flows.length <= 300, `${fw.name}/${az}: ${flows.length}`);
        const v6 = flows.filter((f) => f.SourceAddress.AddressDefinition.includes(':'));
        assert.ok(v6.length > 0 && v6.length < flows.length / 2);
        assert.ok(v6.every((f) => f.SourceAddress.AddressDefinition.startsWith('2001:db8:')));
        const protocols = new Set(flows.map((f) => f.Protocol));
        for (const p of ['6', '17']) assert.ok(protocols.has(p));
        assert.ok([...protocols].every((p) => ['1', '6', '17', '58'].includes(p)));
        const big = flows.filter((f) => f.ByteCount > 2 ** 31);
        assert.ok(big.length >= 3);
        assert.ok(flows.every((f) => Number.isSafeInteger(f.ByteCount) && f.PacketCount < 2 ** 31));
        assert.ok(
          flows.every(
            (f) => f.Protocol !== '1' || (f.SourcePort === '0' && f.DestinationPort === '0'),
          ),
        );
        const ages = flows.map((f) => f.Age);
        assert.ok(Math.min(...ages) < 600 && Math.max(...ages) > 86_400);
        assert.ok(flows.some((f) => f.DestinationPort === '443'));
      }
    }
    assert.ok(sim.control.flows(DEMO, { vpcEndpointAssociationArn: ASSOC }).length > 0);
  });

  it('has an operation history with every outcome', async () => {
    const sim = await startSimulator({ clock: () => NOW });
    const ops = sim.control.operations(EU).filter((o) => o.availabilityZone === 'eu-west-1b');
    const byStatus = (s: string) => ops.filter((o) => o.flowOperationStatus === s);
    assert.ok(
      byStatus('COMPLETED').filter((o) => o.flowOperationType === 'FLOW_CAPTURE').length >= 2,
    );
    assert.equal(
      byStatus('COMPLETED').filter((o) => o.flowOperationType === 'FLOW_FLUSH').length,
      1,
    );
    assert.deepEqual(
      byStatus('FAILED').map((o) => o.statusMessage),
      ['Flow timeout'],
    );
    assert.deepEqual(
      byStatus('COMPLETED_WITH_ERRORS').map((o) => o.statusMessage),
      ['Flow operation error'],
    );
    assert.ok(
      ops.every((o) => o.flowRequestTimestamp < NOW && o.flowRequestTimestamp > NOW - 86_400_000),
    );
    // The newest one captured everything, so results can be paged right away.
    const newest = ops[0];
    assert.equal(newest?.flowOperationStatus, 'COMPLETED');
    const client = clientFor(sim, 'eu-west-1');
    const { flows } = await allResults(client, {
      FirewallArn: EU,
      AvailabilityZone: 'eu-west-1b',
      FlowOperationId: newest?.flowOperationId,
      MaxResults: 100,
    });
    assert.ok(flows.length > 40, `only ${flows.length} flows`);
  });

  it('ages flows with the clock', async () => {
    let now = NOW;
    const sim = await startSimulator({ clock: () => now, operationDelayMs: 5 });
    const before = sim.control.flows(DEMO, { availabilityZone: 'us-east-1a' });
    now += 90_000;
    const later = sim.control.flows(DEMO, { availabilityZone: 'us-east-1a' });
    assert.deepEqual(
      later.map((f) => f.Age),
      before.map((f) => f.Age + 90),
    );
    const client = clientFor(sim);
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const { FlowOperationId = '' } = await client.send(
      new StartFlowCaptureCommand({ ...scope, FlowFilters: [{}], MinimumFlowAgeInSeconds: 0 }),
    );
    await waitUntilDone(client, { ...scope, FlowOperationId });
    const { flows } = await allResults(client, { ...scope, FlowOperationId, MaxResults: 100 });
    assert.equal(flows.length, later.length);
  });

  it('demoData: false keeps the firewalls with empty tables, which addFlows can fill', async () => {
    const sim = await startSimulator({ demoData: false, clock: () => NOW, operationDelayMs: 5 });
    assert.equal(sim.control.firewalls().length, 4);
    assert.deepEqual(sim.control.operations(), []);
    assert.deepEqual(sim.control.flows(DEMO, { availabilityZone: 'us-east-1a' }), []);
    sim.control.addFlows(DEMO, { availabilityZone: 'us-east-1a' }, [
      {
        source: '10.0.0.5',
        destination: '198.51.100.7',
        sourcePort: 50000,
        destinationPort: 443,
        protocol: 6,
        ageSeconds: 30,
      },
      {
        source: '2001:db8::1',
        destination: '2001:db8::2',
        sourcePort: 0,
        destinationPort: 0,
        protocol: 58,
        ageSeconds: 5,
      },
    ]);
    const client = clientFor(sim);
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const { FlowOperationId = '' } = await client.send(
      new StartFlowCaptureCommand({ ...scope, FlowFilters: [{ Protocols: ['58'] }] }),
    );
    await waitUntilDone(client, { ...scope, FlowOperationId });
    const { flows } = await allResults(client, { ...scope, FlowOperationId });
    assert.deepEqual(flows, [
      {
        SourceAddress: { AddressDefinition: '2001:db8::1' },
        DestinationAddress: { AddressDefinition: '2001:db8::2' },
        SourcePort: '0',
        DestinationPort: '0',
        Protocol: '58',
        Age: 5,
        PacketCount: 1,
        ByteCount: 64,
      },
    ]);
  });
});
