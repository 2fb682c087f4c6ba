import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ListFlowOperationsCommand,
  StartFlowCaptureCommand,
} from '@aws-sdk/client-network-firewall';
import { DEMO, clientFor, startSimulator } from './helpers.js';

const sim = await startSimulator({ operationDelayMs: 60_000 });
const client = clientFor(sim);
const AZ = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };

async function rawCall(
  target: string | undefined,
  body: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      ...(target === undefined ? {} : { 'X-Amz-Target': `NetworkFirewall_20201112.${target}` }),
      ...headers,
    },
    body,
  });
  return { res, json: (await res.json()) as Record<string, unknown> };
}

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/_simulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('AWS JSON 1.0 wire format', { timeout: 10_000 }, () => {
  it('answers with the AWS content type, a request id and epoch-second timestamps', async () => {
    const { res, json } = await rawCall('ListFlowOperations', JSON.stringify(AZ));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const ops = json.FlowOperations as { FlowRequestTimestamp: unknown }[];
    assert.equal(typeof ops[0]?.FlowRequestTimestamp, 'number');
    assert.ok(Math.abs((ops[0]?.FlowRequestTimestamp as number) * 1000 - Date.now()) < 86_400_000);
  });

  it('reports AWS error bodies', async () => {
    const unknown = await rawCall('DeleteFirewall', '{}');
    assert.equal(unknown.res.status, 400);
    assert.equal(unknown.json.__type, 'UnknownOperationException');
    assert.match(unknown.res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const missing = await rawCall(undefined, '{}');
    assert.equal(missing.json.__type, 'UnknownOperationException');
    const malformed = await rawCall('ListFirewalls', '{nope');
    assert.equal(malformed.res.status, 400);
    assert.equal(malformed.json.__type, 'SerializationException');
    const invalid = await rawCall('ListFirewalls', JSON.stringify({ MaxResults: 0 }));
    assert.deepEqual(Object.keys(invalid.json).sort(), ['__type', 'message']);
    assert.equal(invalid.json.__type, 'InvalidRequestException');
    const unsigned = await rawCall('ListFirewalls', '');
    assert.equal(unsigned.res.status, 200, 'an unsigned call defaults to us-east-1');
    assert.equal(sim.log.entries().at(-1)?.region, undefined);
  });
});

describe('control API', { timeout: 10_000 }, () => {
  it('completes operations, sets messages and resets to the seeded state', async () => {
    const before = sim.control.operations(DEMO).length;
    const { FlowOperationId = '' } = await client.send(
      new StartFlowCaptureCommand({ ...AZ, FlowFilters: [{ Protocols: ['6'] }] }),
    );
    let info = sim.control.operations(DEMO).find((o) => o.flowOperationId === FlowOperationId);
    assert.equal(info?.flowOperationStatus, 'IN_PROGRESS');
    sim.control.completeOperation(FlowOperationId);
    sim.control.setStatusMessage(FlowOperationId, 'done early');
    info = sim.control.operations(DEMO).find((o) => o.flowOperationId === FlowOperationId);
    assert.equal(info?.flowOperationStatus, 'COMPLETED');
    assert.equal(info?.statusMessage, 'done early');
    assert.throws(() => sim.control.completeOperation('00000000-0000-4000-8000-000000000000'));

    sim.control.reset();
    assert.equal(sim.control.operations(DEMO).length, before);
    assert.equal(
      sim.control.operations(DEMO).some((o) => o.flowOperationId === FlowOperationId),
      false,
    );
  });

  it('is reachable over HTTP and is not written to the request log', async () => {
    sim.log.clear();
    assert.equal((await admin('GET', '/health')).status, 200);
    const { FlowOperationId = '' } = await client.send(
      new StartFlowCaptureCommand({ ...AZ, FlowFilters: [{ Protocols: ['17'] }] }),
    );
    const completed = await admin('POST', `/operations/${FlowOperationId}/complete`, {
      status: 'FAILED',
      statusMessage: 'Flow timeout',
    });
    assert.equal(completed.status, 200);
    assert.equal((completed.json as { flowOperationStatus: string }).flowOperationStatus, 'FAILED');
    assert.equal((await admin('POST', '/operations/nope/complete')).status, 404);

    const log = await admin('GET', '/log');
    const entries = (log.json as { entries: { operation: string }[] }).entries;
    assert.deepEqual(
      entries.map((e) => e.operation),
      ['StartFlowCapture'],
    );

    assert.equal((await admin('POST', '/faults', { throttleNext: 1 })).status, 200);
    await assert.rejects(client.send(new ListFlowOperationsCommand(AZ)), {
      name: 'ThrottlingException',
    });
    assert.equal((await admin('POST', '/faults', { throttleNext: -3 })).status, 400);
    assert.equal((await admin('DELETE', '/faults')).status, 204);
    assert.equal((await admin('DELETE', '/log')).status, 204);
    assert.equal(sim.log.count(), 0);

    const firewalls = await admin('GET', '/firewalls');
    assert.equal((firewalls.json as { firewalls: unknown[] }).firewalls.length, 4);
    assert.equal((await admin('POST', '/reset')).status, 204);
    assert.equal(
      sim.control.operations(DEMO).some((o) => o.flowOperationId === FlowOperationId),
      false,
    );
    assert.equal((await admin('GET', '/nope')).status, 404);
    assert.equal(sim.log.count(), 0);
  });

  it('lists the firewalls', () => {
    assert.deepEqual(
      sim.control.firewalls().map((f) => [f.arn, f.region, f.accountId, f.availabilityZones]),
      [
        [DEMO, 'us-east-1', '111122223333', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
        [
          'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress',
          'us-east-1',
          '111122223333',
          ['us-east-1a', 'us-east-1b'],
        ],
        [
          'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection',
          'eu-west-1',
          '444455556666',
          ['eu-west-1a', 'eu-west-1b'],
        ],
        [
          'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab',
          'us-west-2',
          '111122223333',
          ['us-west-2a'],
        ],
      ],
    );
  });
});
