import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  DescribeFlowOperationRequest,
  FlowFilter,
  ListFlowOperationsRequest,
  StartFlowFlushRequest,
} from '@aws-sdk/client-network-firewall';
import type { NetworkFirewallApi } from '../../src/aws/network-firewall-api.js';
import { ReconcilingNetworkFirewallApi } from '../../src/aws/start-reconciler.js';
import {
  BadUserInputError,
  ErrorCode,
  GatewayError,
  OutcomeUnknownError,
} from '../../src/errors.js';
import type { Target } from '../../src/aws/routing.js';

/** Where the calls go: routed by the caller (src/auth/targets.ts), as resolvers do. */
const TARGET: Target = { region: 'us-east-1', account: undefined };

const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
const NOW = Date.parse('2026-01-01T12:00:00Z');

interface Op {
  id: string;
  type: 'FLOW_FLUSH' | 'FLOW_CAPTURE';
  at: number;
  filters: FlowFilter[];
  minAge?: number;
}

/** AWS as far as reconciliation sees it: a scope's history, newest first, paged by MaxResults. */
function upstream(ops: Op[], startError: unknown) {
  const calls: string[] = [];
  const sorted = [...ops].sort((a, b) => b.at - a.at);
  const api = {
    startFlowFlush: () => {
      calls.push('start');
      return Promise.reject(startError);
    },
    listFlowOperations: (input: ListFlowOperationsRequest) => {
      calls.push('list');
      const from = Number(input.NextToken ?? 0);
      const matching = sorted.filter((o) => o.type === input.FlowOperationType);
      const page = matching.slice(from, from + (input.MaxResults ?? 20));
      const next = from + page.length;
      return Promise.resolve({
        FlowOperations: page.map((o) => ({
          FlowOperationId: o.id,
          FlowOperationType: o.type,
          FlowRequestTimestamp: new Date(o.at),
          FlowOperationStatus: 'IN_PROGRESS' as const,
        })),
        ...(next < matching.length ? { NextToken: String(next) } : {}),
      });
    },
    describeFlowOperation: (input: DescribeFlowOperationRequest) => {
      calls.push(`describe ${input.FlowOperationId}`);
      const op = ops.find((o) => o.id === input.FlowOperationId)!;
      return Promise.resolve({
        FirewallArn: ARN,
        FlowOperationId: op.id,
        FlowOperationType: op.type,
        FlowOperationStatus: 'IN_PROGRESS' as const,
        FlowRequestTimestamp: new Date(op.at),
        FlowOperation: {
          MinimumFlowAgeInSeconds: op.minAge ?? 0,
          FlowFilters: op.filters,
        },
      });
    },
  } as unknown as NetworkFirewallApi;
  return {
    calls,
    api: new ReconcilingNetworkFirewallApi(api, { clock: () => NOW, clockSkewMs: 2000 }),
  };
}

const lost = () =>
  new OutcomeUnknownError('StartFlowFlush was sent, but no answer within 300 ms', {
    requestedAt: new Date(NOW).toISOString(),
  });

const INPUT: StartFlowFlushRequest = {
  FirewallArn: ARN,
  AvailabilityZone: 'us-east-1a',
  FlowFilters: [{ DestinationPort: '443', Protocols: ['6', '17'] }, { SourcePort: '22' }],
};

const isUnknown = (e: unknown) => e instanceof GatewayError && e.code === ErrorCode.OUTCOME_UNKNOWN;

describe('reconciling a start whose answer was lost', () => {
  it('matches filters as AWS may echo them: omitted ports are ANY, protocols a set, any order', async () => {
    const { api } = upstream(
      [
        {
          id: 'mine',
          type: 'FLOW_FLUSH',
          at: NOW + 100,
          filters: [
            { SourcePort: '22', DestinationPort: 'ANY' },
            { SourcePort: 'ANY', DestinationPort: '443', Protocols: ['17', '6'] },
          ],
        },
      ],
      lost(),
    );
    const result = await api.startFlowFlush(INPUT, TARGET);
    assert.equal(result.FlowOperationId, 'mine');
    assert.equal(result.reconciled, true);
  });

  it('pages down to the window and no further', async () => {
    const old = Array.from({ length: 150 }, (_, i) => ({
      id: `old${i}`,
      type: 'FLOW_FLUSH' as const,
      at: NOW - 60_000 - i,
      filters: INPUT.FlowFilters!,
    }));
    const recent = Array.from({ length: 100 }, (_, i) => ({
      id: `other${i}`,
      type: 'FLOW_FLUSH' as const,
      at: NOW + 10 + i,
      filters: [{ DestinationPort: String(1000 + i) }],
    }));
    const { api, calls } = upstream(
      [
        ...old,
        ...recent,
        { id: 'mine', type: 'FLOW_FLUSH', at: NOW + 5, filters: INPUT.FlowFilters! },
      ],
      lost(),
    );
    // 101 operations in the window: more than worth describing, so it cannot tell.
    await assert.rejects(api.startFlowFlush(INPUT, TARGET), (e: unknown) => {
      assert.ok(isUnknown(e));
      assert.match((e as Error).message, /could not look for it: 101 operations in the window/);
      return true;
    });
    assert.deepEqual(calls, ['start', 'list', 'list'], 'two pages: the second reaches older ones');
  });

  it('ignores operations of another minimum age, and those before the window', async () => {
    const { api, calls } = upstream(
      [
        { id: 'older', type: 'FLOW_FLUSH', at: NOW - 2001, filters: INPUT.FlowFilters! },
        { id: 'aged', type: 'FLOW_FLUSH', at: NOW + 1, filters: INPUT.FlowFilters!, minAge: 60 },
        { id: 'mine', type: 'FLOW_FLUSH', at: NOW - 1500, filters: INPUT.FlowFilters! },
      ],
      lost(),
    );
    const result = await api.startFlowFlush(INPUT, TARGET);
    assert.equal(result.FlowOperationId, 'mine');
    assert.deepEqual(calls, ['start', 'list', 'describe aged', 'describe mine']);
  });

  it('none found is OUTCOME_UNKNOWN with the window, never a failure', async () => {
    const { api } = upstream([], lost());
    await assert.rejects(api.startFlowFlush(INPUT, TARGET), (e: unknown) => {
      assert.ok(isUnknown(e));
      const extensions = (e as GatewayError).extensions;
      assert.equal(extensions.since, new Date(NOW - 2000).toISOString());
      assert.equal(extensions.requestedAt, new Date(NOW).toISOString());
      assert.equal(extensions.flowOperationType, 'FLOW_FLUSH');
      return true;
    });
  });

  it('leaves every other error alone, without looking', async () => {
    const refused = new BadUserInputError('StartFlowFlush rejected the request: bad zone');
    const { api, calls } = upstream([], refused);
    await assert.rejects(api.startFlowFlush(INPUT, TARGET), (e: unknown) => e === refused);
    assert.deepEqual(calls, ['start']);
  });
});
