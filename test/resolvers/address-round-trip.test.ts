import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

interface FlowNode {
  sourceAddress: { addressDefinition: string };
  destinationAddress: { addressDefinition: string };
  sourcePort: string;
  destinationPort: string;
  protocol: string;
  packetCount: number;
  byteCount: number;
}
interface FlowsPage {
  flowOperation: {
    flowOperationStatus: string;
    flows: { edges: { node: FlowNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  };
}

const FLOWS = `query($arn: String!, $az: String, $id: ID!, $after: String) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationStatus
    flows(first: 100, after: $after) {
      edges { node {
        sourceAddress { addressDefinition } destinationAddress { addressDefinition }
        sourcePort destinationPort protocol packetCount byteCount
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** A flow's identity without its age, which grows between two captures. */
function key(f: FlowNode): string {
  return [
    f.sourceAddress.addressDefinition,
    f.sourcePort,
    f.destinationAddress.addressDefinition,
    f.destinationPort,
    f.protocol,
    f.packetCount,
    f.byteCount,
  ].join('|');
}

describe('a bare address from a capture filters a new capture through the gateway', () => {
  let gw: TestGateway;
  before(async () => {
    // Operations finish when the test completes them, so nothing waits on a delay.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '3600000' });
  });
  after(() => gw.close());

  async function flowsOf(id: string): Promise<FlowNode[]> {
    const flows: FlowNode[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await gw.gql<FlowsPage>(FLOWS, {
        arn: DEMO_ARN,
        az: DEMO_AZ,
        id,
        after: cursor,
      });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const page = res.data!.flowOperation;
      assert.equal(page.flowOperationStatus, 'COMPLETED');
      flows.push(...page.flows.edges.map((e) => e.node));
      if (!page.flows.pageInfo.hasNextPage) return flows;
      cursor = page.flows.pageInfo.endCursor;
    }
  }

  it('IPv4 and IPv6, with exactly one StartFlowCapture, DescribeFlowOperation and ListFlowOperationResults', async () => {
    const first = await gw.startCapture({ flowFilters: [{ sourcePort: 'ANY' }] });
    gw.sim.control.completeOperation(first);
    const all = await flowsOf(first);
    const v4 = all.find((f) => !f.sourceAddress.addressDefinition.includes(':'));
    const v6 = all.find((f) => f.sourceAddress.addressDefinition.includes(':'));
    assert.ok(v4 && v6, 'the demo zone has IPv4 and IPv6 flows');

    for (const flow of [v4, v6]) {
      const bare = flow.sourceAddress.addressDefinition;
      assert.doesNotMatch(bare, /\//, 'results carry bare addresses');
      gw.sim.log.clear();
      const id = await gw.startCapture({
        flowFilters: [{ sourceAddress: { addressDefinition: bare } }],
      });
      const sent = gw.sim.log.entries().find((e) => e.operation === 'StartFlowCapture');
      assert.deepEqual(sent?.input.FlowFilters, [{ SourceAddress: { AddressDefinition: bare } }]);
      gw.sim.control.completeOperation(id);
      const again = await flowsOf(id);
      assert.ok(
        again.some((f) => key(f) === key(flow)),
        `the capture on ${bare} holds the flow`,
      );
      assert.deepEqual(
        again.map(key).sort(),
        all
          .filter((f) => f.sourceAddress.addressDefinition === bare)
          .map(key)
          .sort(),
        'only that host, and every flow of it',
      );
      assert.equal(gw.sim.log.count('StartFlowCapture'), 1);
      assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
      assert.equal(gw.sim.log.count('ListFlowOperationResults'), 1);
      assert.equal(gw.sim.log.count(), 3);
    }
  });
});
