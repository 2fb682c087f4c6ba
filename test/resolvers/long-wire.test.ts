import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

interface Counters {
  age: number;
  packetCount: number | string;
  byteCount: number | string;
}

const FLOWS = `query($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flows(first: 100) { edges { node { sourceAddress { addressDefinition } age packetCount byteCount } } }
  }
}`;

describe('Long counters above 2^53 end to end', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '3600000' });
  });
  after(() => gw.close());

  it('a flow of 2^53 + 1 bytes reads back as "9007199254740993" through the gateway', async () => {
    const flow = {
      destination: '10.0.0.1',
      sourcePort: 40000,
      destinationPort: 443,
      protocol: 6,
      ageSeconds: 600,
    };
    gw.sim.control.addFlows(DEMO_ARN, { availabilityZone: DEMO_AZ }, [
      { ...flow, source: '198.18.0.1', packetCount: 2n ** 63n - 1n, byteCount: 2n ** 53n + 1n },
      { ...flow, source: '198.18.0.2', packetCount: 2 ** 53 - 1, byteCount: 4096 },
    ]);
    gw.sim.log.clear();
    const id = await gw.startCapture({
      flowFilters: [{ sourceAddress: { addressDefinition: '198.18.0.0/30' } }],
    });
    gw.sim.control.completeOperation(id);

    const res = await gw.gql<{
      flowOperation: {
        flows: { edges: { node: Counters & { sourceAddress: { addressDefinition: string } } }[] };
      };
    }>(FLOWS, { arn: DEMO_ARN, az: DEMO_AZ, id });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const byHost = new Map(
      res.data!.flowOperation.flows.edges.map((e) => [
        e.node.sourceAddress.addressDefinition,
        e.node,
      ]),
    );
    assert.equal(byHost.size, 2);
    const big = byHost.get('198.18.0.1');
    assert.equal(big?.byteCount, '9007199254740993');
    assert.equal(big?.packetCount, '9223372036854775807');
    assert.ok(typeof big?.age === 'number' && big.age >= 600, 'safe counters stay JSON numbers');
    const small = byHost.get('198.18.0.2');
    assert.equal(small?.byteCount, 4096);
    assert.equal(small?.packetCount, Number.MAX_SAFE_INTEGER);
    assert.equal(gw.sim.log.count('StartFlowCapture'), 1);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    assert.equal(gw.sim.log.count('ListFlowOperationResults'), 1);
    assert.equal(gw.sim.log.count(), 3);
  });
});
