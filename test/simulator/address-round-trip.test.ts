import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StartFlowCaptureCommand } from '@aws-sdk/client-network-firewall';
import type { Flow, FlowFilter } from '@aws-sdk/client-network-firewall';
import type { IpAddress } from '../../src/net/ip.js';
import { filterMatches, toWireFlow } from '../../src/simulator/matching.js';
import type { FlowRecord } from '../../src/simulator/model.js';
import { flowFilters } from '../../src/simulator/validation.js';
import { validateStartInput } from '../../src/validation/inputs.js';
import { ASSOC, DEMO, allResults, clientFor, flowKey, startSimulator } from './helpers.js';

// A frozen clock keeps ages, and so flow keys, equal between two captures of the same table.
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
// Operations finish only when a test completes them: the tests wait for that, not for a delay.
const sim = await startSimulator({ operationDelayMs: 600_000, clock: () => NOW });
const client = clientFor(sim);

type Scope = { AvailabilityZone: string } | { VpcEndpointAssociationArn: string };
const SCOPES: Scope[] = [
  { AvailabilityZone: 'us-east-1a' },
  { AvailabilityZone: 'us-east-1b' },
  { AvailabilityZone: 'us-east-1c' },
  { VpcEndpointAssociationArn: ASSOC },
];

/** Starts a capture on the demo firewall, completes it at once and returns its results. */
async function capture(scope: Scope, filters: FlowFilter[]): Promise<Flow[]> {
  const where = { FirewallArn: DEMO, ...scope };
  const { FlowOperationId = '' } = await client.send(
    new StartFlowCaptureCommand({ ...where, FlowFilters: filters }),
  );
  sim.control.completeOperation(FlowOperationId);
  return (await allResults(client, { ...where, FlowOperationId, MaxResults: 100 })).flows;
}

/** The gateway's and the simulator's validation of one filter on this address; both must pass. */
function acceptedByBoth(address: string, side: 'source' | 'destination') {
  validateStartInput({
    firewallArn: DEMO,
    availabilityZone: 'us-east-1a',
    flowFilters: [{ [`${side}Address`]: { addressDefinition: address } }],
  });
  const wireSide = side === 'source' ? 'SourceAddress' : 'DestinationAddress';
  const compiled = flowFilters({ FlowFilters: [{ [wireSide]: { AddressDefinition: address } }] })
    .compiled[0];
  assert.ok(compiled);
  return compiled;
}

const address: fc.Arbitrary<IpAddress> = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value): IpAddress => ({ version: 4, value })),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value): IpAddress => ({ version: 6, value })),
);
const flowRecord: fc.Arbitrary<FlowRecord> = fc.record({
  id: fc.nat(),
  source: address,
  destination: address,
  sourcePort: fc.integer({ min: 0, max: 65535 }),
  destinationPort: fc.integer({ min: 0, max: 65535 }),
  protocol: fc.integer({ min: 0, max: 255 }),
  startedAt: fc.integer({ min: NOW - 86_400_000, max: NOW }),
  packetCount: fc.nat(),
  byteCount: fc.nat(),
});

describe('bare addresses from flow results are filters', { timeout: 30_000 }, () => {
  it('every address a result can carry is accepted by the gateway and the simulator, as that one host', () => {
    fc.assert(
      fc.property(flowRecord, address, (flow, other) => {
        const wire = toWireFlow(flow, NOW);
        const source = acceptedByBoth(wire.SourceAddress.AddressDefinition, 'source');
        const destination = acceptedByBoth(
          wire.DestinationAddress.AddressDefinition,
          'destination',
        );
        assert.ok(filterMatches(source, flow));
        assert.ok(filterMatches(destination, flow));
        const elsewhere = { ...flow, source: other, destination: other };
        const same = (a: IpAddress, b: IpAddress) => a.version === b.version && a.value === b.value;
        assert.equal(filterMatches(source, elsewhere), same(other, flow.source));
        assert.equal(filterMatches(destination, elsewhere), same(other, flow.destination));
      }),
      { numRuns: 500 },
    );
  });

  it('every address in every demo capture is accepted by the gateway and the simulator', async () => {
    let seen = 0;
    for (const scope of SCOPES) {
      const flows = await capture(scope, [{ SourcePort: 'ANY' }]);
      assert.ok(flows.length > 0, `the demo table ${JSON.stringify(scope)} has flows`);
      for (const flow of flows) {
        acceptedByBoth(flow.SourceAddress?.AddressDefinition ?? '', 'source');
        acceptedByBoth(flow.DestinationAddress?.AddressDefinition ?? '', 'destination');
        seen += 2;
      }
    }
    assert.ok(seen > 100, `only ${seen} addresses checked`);
  });

  it("a result's bare IPv4 and IPv6 source, as a new capture's filter, captures that flow and only that host", async () => {
    const scope = { AvailabilityZone: 'us-east-1a' };
    const all = await capture(scope, [{ SourcePort: 'ANY' }]);
    const v4 = all.find((f) => !f.SourceAddress?.AddressDefinition?.includes(':'));
    const v6 = all.find((f) => f.SourceAddress?.AddressDefinition?.includes(':'));
    assert.ok(v4 && v6, 'the demo zone has IPv4 and IPv6 flows');
    for (const flow of [v4, v6]) {
      const bare = flow.SourceAddress?.AddressDefinition ?? '';
      assert.doesNotMatch(bare, /\//, 'results carry bare addresses');
      const again = await capture(scope, [{ SourceAddress: { AddressDefinition: bare } }]);
      assert.ok(
        again.some((f) => flowKey(f) === flowKey(flow)),
        `the capture on ${bare} holds the flow`,
      );
      assert.deepEqual(
        again.map(flowKey).sort(),
        all
          .filter((f) => f.SourceAddress?.AddressDefinition === bare)
          .map(flowKey)
          .sort(),
      );
    }
  });
});
