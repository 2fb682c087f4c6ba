import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { describe, it } from 'node:test';
import {
  DescribeFlowOperationCommand,
  ListFlowOperationResultsCommand,
  ListFlowOperationsCommand,
  StartFlowCaptureCommand,
  StartFlowFlushCommand,
  paginateListFlowOperationResults,
} from '@aws-sdk/client-network-firewall';
import type { Flow, FlowFilter } from '@aws-sdk/client-network-firewall';
import {
  ASSOC,
  ASSOC_ENDPOINT,
  DEMO,
  LAB,
  allResults,
  clientFor,
  flowKey,
  sortedKeys,
  startSimulator,
  waitUntilDone,
} from './helpers.js';
import type { AnyFlow } from './helpers.js';

// A frozen clock makes flow ages exact, so min-age boundaries cannot flake.
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const sim = await startSimulator({ operationDelayMs: 20, clock: () => NOW });
const client = clientFor(sim);
const AZ = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1b' };

/** Filter semantics re-implemented with node's BlockList, independent of src/net. */
function independentMatch(filters: FlowFilter[], minAge: number, flow: AnyFlow): boolean {
  if ((flow.Age ?? 0) < minAge) return false;
  const inBlock = (cidr: string | undefined, address: string | undefined): boolean => {
    if (cidr === undefined) return true;
    const [net = '', bits = ''] = cidr.split('/');
    const family = net.includes(':') ? 'ipv6' : 'ipv4';
    const addrFamily = (address ?? '').includes(':') ? 'ipv6' : 'ipv4';
    if (family !== addrFamily) return false;
    const list = new BlockList();
    list.addSubnet(net, Number(bits), family);
    return list.check(address ?? '', family);
  };
  const inPorts = (spec: string | undefined, port: string | undefined): boolean => {
    if (spec === undefined || spec === 'ANY') return true;
    const [lo = '', hi = lo] = spec.split(':');
    return Number(port) >= Number(lo) && Number(port) <= Number(hi);
  };
  return filters.some(
    (f) =>
      inBlock(f.SourceAddress?.AddressDefinition, flow.SourceAddress?.AddressDefinition) &&
      inBlock(
        f.DestinationAddress?.AddressDefinition,
        flow.DestinationAddress?.AddressDefinition,
      ) &&
      inPorts(f.SourcePort, flow.SourcePort) &&
      inPorts(f.DestinationPort, flow.DestinationPort) &&
      (f.Protocols === undefined ||
        f.Protocols.length === 0 ||
        f.Protocols.includes(flow.Protocol ?? '')),
  );
}

describe('StartFlowCapture', { timeout: 20_000 }, () => {
  it('returns exactly the flows matching any filter and the minimum age', async () => {
    const table = sim.control.flows(DEMO, { availabilityZone: 'us-east-1b' });
    const filters: FlowFilter[] = [
      {
        SourceAddress: { AddressDefinition: '10.0.0.0/16' },
        DestinationPort: '443',
        Protocols: ['6'],
      },
      {
        DestinationAddress: { AddressDefinition: '2001:db8:ffff::/48' },
        SourcePort: '1024:40000',
      },
      { Protocols: ['1', '58'] },
      // Host bits set: AWS accepts it and matches the /24 network.
      { SourceAddress: { AddressDefinition: '198.51.100.77/24' }, DestinationPort: '0:1023' },
    ];
    const minAge = 120;
    const expected = table.filter((f) => independentMatch(filters, minAge, f));
    const tooYoung = table.filter((f) => independentMatch(filters, 0, f) && (f.Age ?? 0) < minAge);
    assert.ok(expected.length > 5, `expected a meaningful match set, got ${expected.length}`);
    assert.ok(expected.length < table.length);
    assert.ok(tooYoung.length > 0, 'the minimum age must actually exclude something');

    const start = await client.send(
      new StartFlowCaptureCommand({ ...AZ, FlowFilters: filters, MinimumFlowAgeInSeconds: minAge }),
    );
    assert.equal(start.FirewallArn, DEMO);
    assert.equal(start.FlowOperationStatus, 'IN_PROGRESS');
    assert.match(start.FlowOperationId ?? '', /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/);
    const id = start.FlowOperationId ?? '';

    assert.equal(await waitUntilDone(client, { ...AZ, FlowOperationId: id }), 'COMPLETED');
    const { flows } = await allResults(client, { ...AZ, FlowOperationId: id, MaxResults: 100 });
    assert.deepEqual(sortedKeys(flows), sortedKeys(expected));

    const described = await client.send(
      new DescribeFlowOperationCommand({ ...AZ, FlowOperationId: id }),
    );
    assert.equal(described.FirewallArn, DEMO);
    assert.equal(described.AvailabilityZone, 'us-east-1b');
    assert.equal(described.FlowOperationId, id);
    assert.equal(described.FlowOperationType, 'FLOW_CAPTURE');
    assert.equal(described.FlowOperationStatus, 'COMPLETED');
    assert.equal(described.StatusMessage, undefined);
    assert.equal(described.FlowRequestTimestamp?.getTime(), NOW);
    assert.deepEqual(described.FlowOperation, {
      MinimumFlowAgeInSeconds: minAge,
      FlowFilters: filters,
    });
  });

  it('reports IN_PROGRESS with no Flows until the operation finishes', async () => {
    const slow = await startSimulator({ operationDelayMs: 60_000 });
    const c = clientFor(slow);
    const { FlowOperationId = '' } = await c.send(
      new StartFlowCaptureCommand({ ...AZ, FlowFilters: [{ Protocols: ['6'] }] }),
    );
    const pending = await c.send(new ListFlowOperationResultsCommand({ ...AZ, FlowOperationId }));
    assert.equal(pending.FlowOperationStatus, 'IN_PROGRESS');
    assert.equal(pending.Flows, undefined);
    slow.control.completeOperation(FlowOperationId, 'FAILED', 'Flow timeout');
    const failed = await c.send(new ListFlowOperationResultsCommand({ ...AZ, FlowOperationId }));
    assert.equal(failed.FlowOperationStatus, 'FAILED');
    assert.equal(failed.StatusMessage, 'Flow timeout');
    assert.deepEqual(failed.Flows, []);
  });

  it('applies setNextOutcome to newly started operations', async () => {
    sim.control.setNextOutcome({
      status: 'COMPLETED_WITH_ERRORS',
      statusMessage: 'Flow operation error',
      count: 1,
    });
    const all = [{ SourcePort: 'ANY' }];
    const a = await client.send(new StartFlowCaptureCommand({ ...AZ, FlowFilters: all }));
    const b = await client.send(new StartFlowCaptureCommand({ ...AZ, FlowFilters: all }));
    assert.equal(
      await waitUntilDone(client, { ...AZ, FlowOperationId: a.FlowOperationId ?? '' }),
      'COMPLETED_WITH_ERRORS',
    );
    assert.equal(
      await waitUntilDone(client, { ...AZ, FlowOperationId: b.FlowOperationId ?? '' }),
      'COMPLETED',
    );
    const partial = await allResults(client, {
      ...AZ,
      FlowOperationId: a.FlowOperationId ?? '',
      MaxResults: 100,
    });
    const full = await allResults(client, {
      ...AZ,
      FlowOperationId: b.FlowOperationId ?? '',
      MaxResults: 100,
    });
    assert.ok(partial.flows.length > 0 && partial.flows.length < full.flows.length);
    const described = await client.send(
      new DescribeFlowOperationCommand({ ...AZ, FlowOperationId: a.FlowOperationId ?? '' }),
    );
    assert.equal(described.StatusMessage, 'Flow operation error');
  });

  it('works on a VPC endpoint association and on a single-AZ firewall without a scope', async () => {
    const start = await client.send(
      new StartFlowCaptureCommand({
        FirewallArn: DEMO,
        VpcEndpointAssociationArn: ASSOC,
        FlowFilters: [{ DestinationPort: 'ANY' }],
      }),
    );
    const id = start.FlowOperationId ?? '';
    const scope = { FirewallArn: DEMO, VpcEndpointAssociationArn: ASSOC };
    await waitUntilDone(client, { ...scope, FlowOperationId: id });
    const described = await client.send(
      new DescribeFlowOperationCommand({
        FirewallArn: DEMO,
        VpcEndpointId: ASSOC_ENDPOINT,
        FlowOperationId: id,
      }),
    );
    assert.equal(described.VpcEndpointAssociationArn, ASSOC);
    assert.equal(described.VpcEndpointId, ASSOC_ENDPOINT);
    assert.equal(described.AvailabilityZone, undefined);
    const { flows } = await allResults(client, { ...scope, FlowOperationId: id, MaxResults: 100 });
    assert.equal(
      flows.length,
      sim.control.flows(DEMO, { vpcEndpointAssociationArn: ASSOC }).length,
    );
    // The id is scoped: the same id in an AZ is not found.
    await assert.rejects(
      client.send(new DescribeFlowOperationCommand({ ...AZ, FlowOperationId: id })),
      { name: 'ResourceNotFoundException' },
    );

    const west = clientFor(sim, 'us-west-2');
    const lab = await west.send(
      new StartFlowCaptureCommand({ FirewallArn: LAB, FlowFilters: [{ Protocols: ['17'] }] }),
    );
    const labDescribed = await west.send(
      new DescribeFlowOperationCommand({
        FirewallArn: LAB,
        FlowOperationId: lab.FlowOperationId ?? '',
      }),
    );
    assert.equal(labDescribed.AvailabilityZone, 'us-west-2a');
  });
});

describe('StartFlowFlush', { timeout: 20_000 }, () => {
  it('removes the matching flows so a following capture no longer sees them', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1c' };
    const filters: FlowFilter[] = [{ DestinationPort: '53', Protocols: ['17'] }];
    const before = sim.control.flows(DEMO, { availabilityZone: 'us-east-1c' });
    const doomed = before.filter((f) => independentMatch(filters, 0, f));
    assert.ok(doomed.length > 0);

    const flush = await client.send(new StartFlowFlushCommand({ ...scope, FlowFilters: filters }));
    const flushId = flush.FlowOperationId ?? '';
    assert.equal(await waitUntilDone(client, { ...scope, FlowOperationId: flushId }), 'COMPLETED');
    const flushed = await allResults(client, {
      ...scope,
      FlowOperationId: flushId,
      MaxResults: 100,
    });
    assert.deepEqual(sortedKeys(flushed.flows), sortedKeys(doomed));

    const after = sim.control.flows(DEMO, { availabilityZone: 'us-east-1c' });
    assert.equal(after.length, before.length - doomed.length);
    assert.ok(!after.some((f) => independentMatch(filters, 0, f)));

    const capture = await client.send(
      new StartFlowCaptureCommand({ ...scope, FlowFilters: filters }),
    );
    const captureId = capture.FlowOperationId ?? '';
    await waitUntilDone(client, { ...scope, FlowOperationId: captureId });
    const seen = await allResults(client, { ...scope, FlowOperationId: captureId });
    assert.equal(seen.flows.length, 0);

    const flushes = await client.send(
      new ListFlowOperationsCommand({ ...scope, FlowOperationType: 'FLOW_FLUSH' }),
    );
    assert.equal(flushes.FlowOperations?.[0]?.FlowOperationId, flushId);
    assert.ok(flushes.FlowOperations?.every((op) => op.FlowOperationType === 'FLOW_FLUSH'));
  });

  it('a FAILED flush leaves the table alone', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const before = sim.control.flows(DEMO, { availabilityZone: 'us-east-1a' }).length;
    sim.control.setNextOutcome({ status: 'FAILED', statusMessage: 'Flow timeout', count: 1 });
    const flush = await client.send(new StartFlowFlushCommand({ ...scope, FlowFilters: [{}] }));
    assert.equal(
      await waitUntilDone(client, { ...scope, FlowOperationId: flush.FlowOperationId ?? '' }),
      'FAILED',
    );
    assert.equal(sim.control.flows(DEMO, { availabilityZone: 'us-east-1a' }).length, before);
  });
});

describe('pagination', { timeout: 20_000 }, () => {
  it('walks all results with MaxResults without duplicates', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const ops = await client.send(
      new ListFlowOperationsCommand({ ...scope, FlowOperationType: 'FLOW_CAPTURE' }),
    );
    const newest = ops.FlowOperations?.find((op) => op.FlowOperationStatus === 'COMPLETED');
    const id = newest?.FlowOperationId ?? '';
    const whole = await allResults(client, { ...scope, FlowOperationId: id, MaxResults: 100 });
    const paged = await allResults(client, { ...scope, FlowOperationId: id, MaxResults: 7 });
    assert.equal(paged.pages, Math.ceil(whole.flows.length / 7));
    assert.equal(new Set(paged.flows.map(flowKey)).size, paged.flows.length);
    assert.deepEqual(paged.flows, whole.flows);

    const viaPaginator: Flow[] = [];
    for await (const page of paginateListFlowOperationResults(
      { client, pageSize: 50 },
      { ...scope, FlowOperationId: id },
    )) {
      viaPaginator.push(...(page.Flows ?? []));
    }
    assert.deepEqual(viaPaginator, whole.flows);
  });

  it('uses 20 results per page by default', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const ops = sim.control.operations(DEMO).filter((o) => o.availabilityZone === 'us-east-1a');
    const id =
      ops.find(
        (o) => o.flowOperationStatus === 'COMPLETED' && o.flowOperationType === 'FLOW_CAPTURE',
      )?.flowOperationId ?? '';
    const first = await client.send(
      new ListFlowOperationResultsCommand({ ...scope, FlowOperationId: id }),
    );
    assert.equal(first.Flows?.length, 20);
    assert.ok(first.NextToken);
  });

  it('lists operations newest first, stable while new ones are started', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1b' };
    const seen: string[] = [];
    let NextToken: string | undefined;
    let startedMidWalk = false;
    let previous = Number.POSITIVE_INFINITY;
    do {
      const page = await client.send(
        new ListFlowOperationsCommand({ ...scope, MaxResults: 2, NextToken }),
      );
      for (const op of page.FlowOperations ?? []) {
        seen.push(op.FlowOperationId ?? '');
        const t = op.FlowRequestTimestamp?.getTime() ?? 0;
        assert.ok(t <= previous, 'newest first');
        previous = t;
      }
      if (!startedMidWalk) {
        startedMidWalk = true;
        await client.send(
          new StartFlowCaptureCommand({ ...scope, FlowFilters: [{ Protocols: ['6'] }] }),
        );
      }
      NextToken = page.NextToken;
    } while (NextToken);
    assert.equal(new Set(seen).size, seen.length);
    const total = sim.control
      .operations(DEMO)
      .filter((o) => o.availabilityZone === 'us-east-1b').length;
    assert.equal(seen.length, total - 1, 'everything except the operation started mid-walk');
  });

  it('refuses foreign and malformed NextTokens and bad MaxResults', async () => {
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    const ops = sim.control.operations(DEMO).filter((o) => o.availabilityZone === 'us-east-1a');
    const [a, b] = ops.filter(
      (o) => o.flowOperationType === 'FLOW_CAPTURE' && o.flowOperationStatus !== 'FAILED',
    );
    const page = await client.send(
      new ListFlowOperationResultsCommand({
        ...scope,
        FlowOperationId: a?.flowOperationId,
        MaxResults: 1,
      }),
    );
    assert.ok(page.NextToken);
    const expectInvalid = (promise: Promise<unknown>, message: RegExp) =>
      assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'InvalidRequestException');
        assert.equal(e.$metadata?.httpStatusCode, 400);
        assert.match(e.message, message);
        return true;
      });
    // Same token, other operation.
    await expectInvalid(
      client.send(
        new ListFlowOperationResultsCommand({
          ...scope,
          FlowOperationId: b?.flowOperationId,
          NextToken: page.NextToken,
        }),
      ),
      /Invalid NextToken/,
    );
    // Same token, other list.
    await expectInvalid(
      client.send(new ListFlowOperationsCommand({ ...scope, NextToken: page.NextToken })),
      /Invalid NextToken/,
    );
    // Tampered and garbage tokens.
    await expectInvalid(
      client.send(
        new ListFlowOperationResultsCommand({
          ...scope,
          FlowOperationId: a?.flowOperationId,
          NextToken: `x${page.NextToken}`,
        }),
      ),
      /Invalid NextToken/,
    );
    await expectInvalid(
      client.send(new ListFlowOperationsCommand({ ...scope, NextToken: 'not a token!' })),
      /Invalid NextToken/,
    );
    // A token from another simulator instance.
    const other = await startSimulator();
    const otherPage = await clientFor(other).send(
      new ListFlowOperationsCommand({ ...scope, MaxResults: 1 }),
    );
    await expectInvalid(
      client.send(new ListFlowOperationsCommand({ ...scope, NextToken: otherPage.NextToken })),
      /Invalid NextToken/,
    );
    for (const MaxResults of [0, 101, -1]) {
      await expectInvalid(
        client.send(new ListFlowOperationsCommand({ ...scope, MaxResults })),
        /MaxResults/,
      );
    }
  });
});
