import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  DescribeFlowOperationRequest,
  DescribeFlowOperationResponse,
  ListFlowOperationResultsResponse,
} from '@aws-sdk/client-network-firewall';
import {
  CachingNetworkFirewallApi,
  MAX_TERMINAL_TTL_MS,
  canonicalJson,
} from '../../src/aws/caching-api.js';
import type { LookupResult } from '../../src/aws/caching-api.js';
import type { NetworkFirewallApi } from '../../src/aws/network-firewall-api.js';
import { ThrottledError } from '../../src/errors.js';
import type { Target } from '../../src/aws/routing.js';

/** Where the calls go: routed by the caller (src/auth/targets.ts), as resolvers do. */
const TARGET: Target = { region: 'us-east-1', account: undefined };

const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';

interface Pending {
  method: string;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** An upstream whose every call waits until the test settles it, and which counts its calls. */
class FakeApi implements NetworkFirewallApi {
  readonly pending: Pending[] = [];
  readonly calls: { method: string; input: unknown }[] = [];
  destroyed = false;

  private call<T>(method: string, input: unknown): Promise<T> {
    this.calls.push({ method, input });
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ method, input, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** Settles every call waiting now, or only those of one method. */
  settleAll(answer: (p: Pending) => unknown, method?: string): void {
    const settling = this.pending.filter((p) => method === undefined || p.method === method);
    for (const p of settling) {
      this.pending.splice(this.pending.indexOf(p), 1);
      const value = answer(p);
      if (value instanceof Error) p.reject(value);
      else p.resolve(value);
    }
  }

  describeFlowOperation = (input: DescribeFlowOperationRequest) =>
    this.call<DescribeFlowOperationResponse>('describeFlowOperation', input);
  listFlowOperations = (input: object) => this.call<never>('listFlowOperations', input);
  listFlowOperationResults = (input: object) =>
    this.call<ListFlowOperationResultsResponse>('listFlowOperationResults', input);
  startFlowCapture = (input: object) => this.call<never>('startFlowCapture', input);
  startFlowFlush = (input: object) => this.call<never>('startFlowFlush', input);
  listFirewalls = (input: object) => this.call<never>('listFirewalls', input);
  describeFirewall = (input: object) => this.call<never>('describeFirewall', input);
  destroy() {
    this.destroyed = true;
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

function describeInput(id: string): DescribeFlowOperationRequest {
  return { FirewallArn: ARN, AvailabilityZone: 'us-east-1a', FlowOperationId: id };
}

function status(s: string) {
  return (p: Pending): DescribeFlowOperationResponse => ({
    FlowOperationId: (p.input as DescribeFlowOperationRequest).FlowOperationId,
    FlowOperationStatus: s as DescribeFlowOperationResponse['FlowOperationStatus'],
  });
}

function setup(options: Partial<ConstructorParameters<typeof CachingNetworkFirewallApi>[1]> = {}) {
  const fake = new FakeApi();
  let now = 1_000_000;
  const lookups: LookupResult[] = [];
  const api = new CachingNetworkFirewallApi(fake, {
    maxEntries: 100,
    terminalTtlMs: MAX_TERMINAL_TTL_MS,
    clock: () => now,
    onLookup: (_op, result) => lookups.push(result),
    ...options,
  });
  return {
    fake,
    api,
    lookups,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Issues one describe and settles it with `s`, returning the value. */
async function describeOnce(
  t: ReturnType<typeof setup>,
  id: string,
  s: string,
): Promise<DescribeFlowOperationResponse> {
  const p = t.api.describeFlowOperation(describeInput(id), TARGET);
  await tick();
  t.fake.settleAll(status(s));
  return p;
}

describe('CachingNetworkFirewallApi: coalescing', () => {
  it('shares one upstream call among identical reads in flight, whatever their key order', async () => {
    const t = setup();
    const a = t.api.describeFlowOperation(describeInput('op-1'), TARGET);
    const b = t.api.describeFlowOperation(
      {
        FlowOperationId: 'op-1',
        AvailabilityZone: 'us-east-1a',
        FirewallArn: ARN,
      },
      TARGET,
    );
    const c = t.api.describeFlowOperation(describeInput('op-2'), TARGET);
    await tick();
    assert.equal(t.fake.count('describeFlowOperation'), 2);
    t.fake.settleAll(status('IN_PROGRESS'));
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    assert.equal(ra, rb, 'both waiters get the one answer');
    assert.equal(rc.FlowOperationId, 'op-2');
    assert.deepEqual(t.lookups, ['miss', 'coalesced', 'miss']);
  });

  it('coalesces every read operation, and starts a new call once the shared one has settled', async () => {
    const t = setup();
    const reads = [
      () => t.api.listFlowOperations({ FirewallArn: ARN, MaxResults: 5 }, TARGET),
      () => t.api.listFirewalls({ MaxResults: 1 }),
      () => t.api.describeFirewall({ FirewallArn: ARN }, TARGET),
      () => t.api.listFlowOperationResults({ ...describeInput('op-1'), MaxResults: 10 }, TARGET),
    ];
    const first = reads.flatMap((read) => [read(), read(), read()]);
    await tick();
    assert.equal(t.fake.calls.length, 4);
    t.fake.settleAll(() => ({ FlowOperationStatus: 'IN_PROGRESS' }));
    await Promise.all(first);
    const second = reads.map((read) => read());
    await tick();
    assert.equal(t.fake.calls.length, 8, 'nothing in flight to join and nothing cached');
    t.fake.settleAll(() => ({}));
    await Promise.all(second);
  });

  it('keeps ListFirewalls of different regions or accounts apart, and passes the target on', async () => {
    const t = setup();
    const east = { region: 'us-east-1', account: undefined };
    const west = { region: 'eu-west-1', account: undefined };
    const seen: unknown[] = [];
    const list = t.fake.listFirewalls;
    t.fake.listFirewalls = (input: object, target?: unknown) => {
      seen.push(target);
      return list(input);
    };
    const calls = [
      t.api.listFirewalls({ MaxResults: 10 }, east),
      t.api.listFirewalls({ MaxResults: 10 }, east),
      t.api.listFirewalls({ MaxResults: 10 }, west),
      t.api.listFirewalls({ MaxResults: 10 }),
    ];
    await tick();
    assert.equal(t.fake.count('listFirewalls'), 3);
    assert.deepEqual(seen, [east, west, undefined]);
    t.fake.settleAll(() => ({ Firewalls: [] }));
    await Promise.all(calls);
  });

  it('never coalesces the Start mutations', async () => {
    const t = setup();
    const input = { FirewallArn: ARN, AvailabilityZone: 'us-east-1a', FlowFilters: [] };
    const a = t.api.startFlowCapture(input, TARGET);
    const b = t.api.startFlowCapture(input, TARGET);
    const c = t.api.startFlowFlush(input, TARGET);
    const d = t.api.startFlowFlush(input, TARGET);
    await tick();
    assert.equal(t.fake.count('startFlowCapture'), 2);
    assert.equal(t.fake.count('startFlowFlush'), 2);
    t.fake.settleAll(() => ({ FlowOperationId: 'x' }));
    await Promise.all([a, b, c, d]);
  });

  it('rejects every waiter of a failed call with the same error, and caches nothing', async () => {
    const t = setup();
    const waiters = Array.from({ length: 5 }, () =>
      t.api.describeFlowOperation(describeInput('op-1'), TARGET),
    );
    await tick();
    assert.equal(t.fake.count('describeFlowOperation'), 1);
    const error = new ThrottledError('AWS throttled DescribeFlowOperation');
    t.fake.settleAll(() => error);
    const outcomes = await Promise.allSettled(waiters);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.equal(outcome.reason, error);
    }
    const retry = await describeOnce(t, 'op-1', 'COMPLETED');
    assert.equal(retry.FlowOperationStatus, 'COMPLETED');
    assert.equal(t.fake.count('describeFlowOperation'), 2, 'the failure was not remembered');
  });

  it('a synchronous throw of the upstream rejects the caller and leaves nothing in flight', async () => {
    const t = setup();
    t.fake.describeFlowOperation = () => {
      throw new Error('boom');
    };
    await assert.rejects(t.api.describeFlowOperation(describeInput('op-1'), TARGET), /boom/);
    assert.equal(t.api.inflightCount, 0);
  });

  it('a list that left before a start returned is not joined by reads after it', async () => {
    const t = setup();
    const list = { FirewallArn: ARN, AvailabilityZone: 'us-east-1a', MaxResults: 20 };
    const before = t.api.listFlowOperations(list, TARGET);
    const started = t.api.startFlowCapture({ FirewallArn: ARN, FlowFilters: [] }, TARGET);
    await tick();
    t.fake.settleAll(() => ({ FlowOperationId: 'new' }), 'startFlowCapture');
    await started;
    const after = t.api.listFlowOperations(list, TARGET);
    await tick();
    assert.equal(t.fake.count('listFlowOperations'), 2, 'a new call, not the stale one');
    t.fake.settleAll(() => ({ FlowOperations: [] }));
    await Promise.all([before, after]);
  });
});

describe('CachingNetworkFirewallApi: terminal cache', () => {
  for (const terminal of ['COMPLETED', 'FAILED', 'COMPLETED_WITH_ERRORS']) {
    it(`answers a ${terminal} operation from the cache until the TTL ends`, async () => {
      const t = setup({ terminalTtlMs: 60_000 });
      const first = await describeOnce(t, 'op-1', terminal);
      for (let i = 0; i < 100; i++) {
        assert.equal(await t.api.describeFlowOperation(describeInput('op-1'), TARGET), first);
      }
      assert.equal(t.fake.count('describeFlowOperation'), 1);
      assert.equal(t.lookups.filter((l) => l === 'hit').length, 100);
      t.advance(60_001);
      const refreshed = t.api.describeFlowOperation(describeInput('op-1'), TARGET);
      await tick();
      assert.equal(t.fake.count('describeFlowOperation'), 2, 'expired');
      t.fake.settleAll(status(terminal));
      await refreshed;
    });
  }

  it('never caches an IN_PROGRESS describe by default', async () => {
    const t = setup();
    await describeOnce(t, 'op-1', 'IN_PROGRESS');
    await describeOnce(t, 'op-1', 'IN_PROGRESS');
    assert.equal(t.fake.count('describeFlowOperation'), 2);
  });

  it('caches an IN_PROGRESS describe for the micro-TTL only', async () => {
    const t = setup({ inProgressTtlMs: 250 });
    await describeOnce(t, 'op-1', 'IN_PROGRESS');
    t.advance(249);
    await t.api.describeFlowOperation(describeInput('op-1'), TARGET);
    assert.equal(t.fake.count('describeFlowOperation'), 1);
    t.advance(2);
    await describeOnce(t, 'op-1', 'COMPLETED');
    assert.equal(t.fake.count('describeFlowOperation'), 2);
  });

  it('caps the TTL at 12 hours, however long it is configured', async () => {
    const t = setup({ terminalTtlMs: 7 * 24 * 3_600_000 });
    await describeOnce(t, 'op-1', 'COMPLETED');
    t.advance(MAX_TERMINAL_TTL_MS - 1);
    await t.api.describeFlowOperation(describeInput('op-1'), TARGET);
    assert.equal(t.fake.count('describeFlowOperation'), 1);
    t.advance(2);
    await describeOnce(t, 'op-1', 'COMPLETED');
    assert.equal(t.fake.count('describeFlowOperation'), 2);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const t = setup({ maxEntries: 2 });
    await describeOnce(t, 'a', 'COMPLETED');
    await describeOnce(t, 'b', 'COMPLETED');
    await t.api.describeFlowOperation(describeInput('a'), TARGET); // a is now the most recent
    await describeOnce(t, 'c', 'COMPLETED'); // evicts b
    assert.equal(t.api.cacheSize, 2);
    await t.api.describeFlowOperation(describeInput('a'), TARGET);
    await t.api.describeFlowOperation(describeInput('c'), TARGET);
    assert.equal(t.fake.count('describeFlowOperation'), 3);
    await describeOnce(t, 'b', 'COMPLETED');
    assert.equal(t.fake.count('describeFlowOperation'), 4, 'b had been evicted');
  });

  it('with maxEntries 0 caches nothing but still coalesces', async () => {
    const t = setup({ maxEntries: 0 });
    await describeOnce(t, 'op-1', 'COMPLETED');
    const a = t.api.describeFlowOperation(describeInput('op-1'), TARGET);
    const b = t.api.describeFlowOperation(describeInput('op-1'), TARGET);
    await tick();
    t.fake.settleAll(status('COMPLETED'));
    await Promise.all([a, b]);
    assert.equal(t.fake.count('describeFlowOperation'), 2);
    assert.equal(t.api.cacheSize, 0);
  });

  it('caches results pages of a finished operation, not of one still running', async () => {
    const t = setup();
    const page = { ...describeInput('op-1'), MaxResults: 50 };
    const read = async (s: string) => {
      const p = t.api.listFlowOperationResults(page, TARGET);
      await tick();
      t.fake.settleAll(() => ({ FlowOperationStatus: s, Flows: [] }));
      return p;
    };
    await read('IN_PROGRESS');
    await read('COMPLETED');
    await t.api.listFlowOperationResults(page, TARGET);
    await t.api.listFlowOperationResults({ ...page }, TARGET);
    assert.equal(t.fake.count('listFlowOperationResults'), 2);
    const other = t.api.listFlowOperationResults({ ...page, NextToken: 'next' }, TARGET);
    await tick();
    assert.equal(t.fake.count('listFlowOperationResults'), 3, 'another page is another key');
    t.fake.settleAll(() => ({ FlowOperationStatus: 'COMPLETED' }));
    await other;
  });

  it('never caches lists or firewalls, whose content changes', async () => {
    const t = setup();
    for (let i = 0; i < 2; i++) {
      const p = t.api.listFlowOperations({ FirewallArn: ARN }, TARGET);
      const f = t.api.describeFirewall({ FirewallArn: ARN }, TARGET);
      await tick();
      t.fake.settleAll(() => ({}));
      await Promise.all([p, f]);
    }
    assert.equal(t.fake.count('listFlowOperations'), 2);
    assert.equal(t.fake.count('describeFirewall'), 2);
  });

  it('destroy empties the cache and destroys the upstream', async () => {
    const t = setup();
    await describeOnce(t, 'op-1', 'COMPLETED');
    t.api.destroy();
    assert.equal(t.api.cacheSize, 0);
    assert.equal(t.fake.destroyed, true);
  });
});

describe('canonicalJson', () => {
  it('ignores key order and undefined members, but not values or array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: undefined } }), '{"a":{"d":2},"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
    assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }));
  });
});
