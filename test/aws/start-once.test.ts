import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ASSOCIATION_ARN } from '../../src/simulator/index.js';
import { captureLogger } from '../auth/support.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

// Issue 11, item 3: one startFlowFlush against a slow AWS became three flushes and an error.
const FLUSH = `mutation($input: StartFlowOperationInput!) {
  startFlowFlush(input: $input) { flowOperationId flowOperationStatus }
}`;
const CAPTURE = `mutation($input: StartFlowOperationInput!) {
  startFlowCapture(input: $input) { flowOperationId }
}`;
const INPUT = {
  firewallArn: DEMO_ARN,
  availabilityZone: DEMO_AZ,
  minimumFlowAgeInSeconds: 30,
  flowFilters: [{ destinationPort: '443', protocols: ['6'] }],
};

type Flush = GraphQLResponse<{ startFlowFlush: { flowOperationId: string } }>;

describe('starts are sent to AWS at most once', () => {
  let gw: TestGateway;
  const log = captureLogger();
  const audit = () => log.lines.filter((l) => l.audit === true);

  before(async () => {
    gw = await startGateway(
      {
        AWS_MAX_ATTEMPTS: '3',
        AWS_REQUEST_TIMEOUT_MS: '300',
        AWS_START_TIMEOUT_MS: '300',
      },
      { logger: log.logger },
    );
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.control.reset();
    gw.sim.faults.reset();
    gw.sim.log.clear();
    log.lines.length = 0;
  });

  /** New flushes the simulator holds for the demo firewall, newest first. */
  const newFlushes = (since: number) =>
    gw.sim.control
      .operations(DEMO_ARN)
      .filter((o) => o.flowOperationType === 'FLOW_FLUSH' && o.flowRequestTimestamp >= since)
      .map((o) => o.flowOperationId);

  it('a flush slower than AWS_START_TIMEOUT_MS reaches AWS once; the caller gets its id by reconciliation', async () => {
    const since = Date.now();
    gw.sim.faults.set({ answerDelayMs: 1000, operations: ['StartFlowFlush'] });
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(gw.sim.log.count('StartFlowFlush'), 1, 'one StartFlowFlush at AWS');
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(newFlushes(since), [res.data!.startFlowFlush.flowOperationId]);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 1);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    const lines = audit();
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.outcome, 'ok');
    assert.equal(lines[0]!.reconciled, true);
    assert.equal(lines[0]!.flowOperationId, res.data!.startFlowFlush.flowOperationId);
  });

  it('an identical flush already started in the window makes it OUTCOME_UNKNOWN, with how to find it', async () => {
    const first: Flush = await gw.gql(FLUSH, { input: INPUT });
    const firstId = first.data!.startFlowFlush.flowOperationId;
    gw.sim.faults.set({ answerDelayMs: 1000, operations: ['StartFlowFlush'] });
    const before = Date.now();
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(res.data, null);
    const error = res.errors?.[0];
    assert.equal(error?.extensions?.code, 'OUTCOME_UNKNOWN', JSON.stringify(res.errors));
    const requestedAt = Date.parse(String(error?.extensions?.requestedAt));
    assert.ok(
      requestedAt >= before - 5 && requestedAt <= Date.now(),
      `${requestedAt} vs ${before}`,
    );
    assert.match(error.message, /flowOperations\(/);
    assert.match(error.message, /flowOperationType: FLOW_FLUSH/);
    assert.match(error.message, /flowRequestTimestamp at or after \d{4}-\d\d-\d\dT/);
    const secondId = newFlushes(before - 2000).find((id) => id !== firstId);
    assert.deepEqual(
      [...(error.extensions.candidates as string[])].sort(),
      [firstId, secondId].sort(),
    );
    assert.equal(gw.sim.log.count('StartFlowFlush'), 2, 'one per mutation, no retry');
    const lines = audit();
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!.outcome, 'unknown');
    assert.equal(lines[1]!.requestedAt, error.extensions.requestedAt);
  });

  it('a different flush in the window is not mistaken for this one', async () => {
    await gw.gql(FLUSH, {
      input: { ...INPUT, flowFilters: [{ destinationPort: '22', protocols: ['6'] }] },
    });
    const since = Date.now();
    gw.sim.faults.set({ answerDelayMs: 1000, operations: ['StartFlowFlush'] });
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(newFlushes(since), [res.data!.startFlowFlush.flowOperationId]);
  });

  it('a throttled start is retried and succeeds: exactly 2 calls', async () => {
    gw.sim.faults.set({ throttleNext: 1, operations: ['StartFlowFlush'] });
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(gw.sim.log.count('StartFlowFlush'), 2);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 0, 'no reconciliation needed');
    assert.equal(audit()[0]!.reconciled, undefined);
  });

  it('throttled on every attempt: THROTTLED after AWS_MAX_ATTEMPTS calls, audited as failed', async () => {
    gw.sim.faults.set({ throttleNext: 10, operations: ['StartFlowCapture'] });
    const res = await gw.gql(CAPTURE, { input: INPUT });
    assert.equal(res.errors?.[0]?.extensions?.code, 'THROTTLED');
    assert.match(res.errors[0].message, /after 3 attempt/);
    assert.equal(gw.sim.log.count('StartFlowCapture'), 3);
    assert.equal(audit()[0]!.outcome, 'THROTTLED');
  });

  it('a 5xx is not retried (1 call) and is OUTCOME_UNKNOWN, never a failure', async () => {
    gw.sim.faults.set({ errorNext: 1, operations: ['StartFlowFlush'] });
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(res.errors?.[0]?.extensions?.code, 'OUTCOME_UNKNOWN', JSON.stringify(res.errors));
    assert.equal(res.errors?.[0]?.extensions?.awsErrorName, 'InternalServerError');
    assert.match(res.errors[0].message, /AWS answered HTTP 500/);
    assert.match(res.errors[0].message, /No operation with the same filters is listed yet/);
    assert.equal(gw.sim.log.count('StartFlowFlush'), 1);
    assert.equal(audit()[0]!.outcome, 'unknown');
  });

  it('when looking for it fails too, the outcome is still unknown, not failed', async () => {
    // One 500 for the start, then three for the reconciliation's list (reads do retry).
    gw.sim.faults.set({ errorNext: 4, operations: ['StartFlowFlush', 'ListFlowOperations'] });
    const res: Flush = await gw.gql(FLUSH, { input: INPUT });
    assert.equal(res.errors?.[0]?.extensions?.code, 'OUTCOME_UNKNOWN', JSON.stringify(res.errors));
    assert.match(res.errors[0].message, /could not look for it: listing failed/);
    assert.equal(gw.sim.log.count('StartFlowFlush'), 1);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 3);
    assert.equal(audit()[0]!.outcome, 'unknown');
  });

  it('a connection lost after AWS acted is not retried (1 call); the operation is found', async () => {
    const since = Date.now();
    gw.sim.faults.set({ dropAnswerNext: 1, operations: ['StartFlowFlush'] });
    const input = {
      firewallArn: DEMO_ARN,
      vpcEndpointAssociationArn: DEMO_ASSOCIATION_ARN,
      flowFilters: [{ sourceAddress: { addressDefinition: '10.0.0.0/8' } }],
    };
    const res: Flush = await gw.gql(FLUSH, { input });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(gw.sim.log.count('StartFlowFlush'), 1);
    assert.deepEqual(newFlushes(since), [res.data!.startFlowFlush.flowOperationId]);
    const listed = gw.sim.log.entries().find((e) => e.operation === 'ListFlowOperations');
    assert.equal(listed?.input.VpcEndpointAssociationArn, DEMO_ASSOCIATION_ARN, 'same scope');
    assert.equal(audit()[0]!.reconciled, true);
  });

  it('reads keep their retries', async () => {
    gw.sim.faults.set({ errorNext: 1, operations: ['ListFlowOperations'] });
    const res = await gw.gql(
      `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 1) { edges { node { flowOperationId } } } }`,
    );
    assert.equal(res.errors, undefined);
    assert.equal(gw.sim.log.count('ListFlowOperations'), 2);
  });
});

describe('AWS_START_TIMEOUT_MS', () => {
  it('gives starts their own, longer timeout than reads', async () => {
    const gw = await startGateway({ AWS_REQUEST_TIMEOUT_MS: '300', AWS_START_TIMEOUT_MS: '5000' });
    try {
      gw.sim.faults.set({ answerDelayMs: 600, operations: ['StartFlowCapture'] });
      const res = await gw.gql(CAPTURE, { input: INPUT });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      assert.equal(gw.sim.log.count('StartFlowCapture'), 1);
      assert.equal(gw.sim.log.count('ListFlowOperations'), 0, 'answered, not reconciled');
    } finally {
      await gw.close();
    }
  });
});
