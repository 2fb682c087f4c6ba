import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DescribeFlowOperationCommand } from '@aws-sdk/client-network-firewall';
import type { DescribeFlowOperationResponse } from '@aws-sdk/client-network-firewall';
import { createNetworkFirewallClient } from '../../src/aws/client.js';
import { createSimulator } from '../../src/simulator/index.js';

const DEMO = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';

// Every subscription poll is one send(); resolving the middleware stack per send was about 5% of
// a poll's CPU (BENCHMARKS.md, "CPU per poll"). The client resolves it once per command class.
describe('the gateway client resolves its middleware once per command class', () => {
  it('builds the DescribeFlowOperation handler once over three polls, against the simulator', async () => {
    const sim = await createSimulator({ operationDelayMs: 3_600_000 });
    const client = createNetworkFirewallClient({
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestTimeoutMs: 5000,
      connectTimeoutMs: 5000,
      maxSockets: 4,
    });
    after(async () => {
      client.destroy();
      await sim.close();
    });
    const [operation] = sim.control
      .operations(DEMO)
      .filter((o) => o.availabilityZone === 'us-east-1a');
    assert.ok(operation, 'the demo data has an operation in us-east-1a');
    const proto = DescribeFlowOperationCommand.prototype;
    // Called below with each command as `this`, and put back after the test.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const resolve = proto.resolveMiddleware;
    let resolved = 0;
    proto.resolveMiddleware = function (...args: Parameters<typeof resolve>) {
      resolved++;
      return resolve.apply(this, args);
    };
    after(() => {
      proto.resolveMiddleware = resolve;
    });
    for (let i = 0; i < 3; i++) {
      const answer: DescribeFlowOperationResponse = await client.send(
        new DescribeFlowOperationCommand({
          FirewallArn: DEMO,
          AvailabilityZone: 'us-east-1a',
          FlowOperationId: operation.flowOperationId,
        }),
      );
      assert.equal(answer.FlowOperationId, operation.flowOperationId);
    }
    assert.equal(sim.log.count('DescribeFlowOperation'), 3, 'every send reached the simulator');
    assert.equal(resolved, 1);
  });
});
