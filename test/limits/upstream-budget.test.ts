import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { getOperationAST, parse } from 'graphql';
import { loadConfig } from '../../src/config.js';
import type { RateLimiter } from '../../src/limits/rate-limit.js';
import { admissionPlugin } from '../../src/admission/apollo.js';
import { requestContext } from '../../src/observability/request-context.js';
import { buildSchema } from '../../src/schema.js';
import {
  DEMO_ARN,
  DEMO_AZ,
  startGateway,
  subscribeAll,
  unknownOperationsQuery,
} from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

const READ = `query($id: ID!) {
  flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus }
}`;

const STATUS = `subscription($id: ID!) {
  flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationStatus }
}`;

type Budget = { cost: number; spent: number; remaining?: number };
const budgetOf = (res: GraphQLResponse) =>
  (res as { extensions?: { upstreamBudget?: Budget } }).extensions?.upstreamBudget;

async function post(gw: TestGateway, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResponse & { extensions?: unknown };
  return { ...body, status: res.status, retryAfter: res.headers.get('retry-after') };
}

describe('UPSTREAM_CALLS_PER_MINUTE: a budget of AWS calls per caller', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('defaults to 1000 with credentials and off without, like RATE_LIMIT_PER_MINUTE', () => {
    assert.equal(loadConfig({}).limits.upstreamCallsPerMinute, 0);
    const keys = { AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: '/k.json' };
    assert.equal(loadConfig(keys).limits.upstreamCallsPerMinute, 1000);
    assert.equal(
      loadConfig({ ...keys, UPSTREAM_CALLS_PER_MINUTE: '0' }).limits.upstreamCallsPerMinute,
      0,
    );
  });

  it('charges each operation its cost before it runs: the third of 100 unknown ids is refused before any AWS call', async () => {
    // Cost and token limits high enough for the budget alone to refuse.
    gw = await startGateway({
      UPSTREAM_CALLS_PER_MINUTE: '250',
      MAX_QUERY_COST: '1000',
      MAX_QUERY_TOKENS: '100000',
    });
    gw.sim.log.clear();
    const first = await post(gw, unknownOperationsQuery(100));
    const second = await post(gw, unknownOperationsQuery(100));
    for (const res of [first, second]) {
      assert.equal(res.status, 200);
      assert.equal(res.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    }
    assert.deepEqual(budgetOf(first), { cost: 100, spent: 100, remaining: 150 });
    assert.equal(gw.sim.log.count(), 200);

    const third = await post(gw, unknownOperationsQuery(100));
    assert.equal(third.status, 429);
    assert.equal(third.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    const retryAfter = Number(third.retryAfter);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${third.retryAfter}`);
    assert.equal(third.errors?.[0]?.extensions?.retryAfterSeconds, retryAfter);
    assert.equal(third.data, undefined);
    assert.equal(gw.sim.log.count(), 200, 'the refused request made no AWS call');

    // Never affordable, whatever the wait: too complex for this budget, not a Retry-After.
    const never = await post(gw, unknownOperationsQuery(251));
    assert.equal(never.status, 400);
    assert.equal(never.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.match(never.errors?.[0]?.message ?? '', /UPSTREAM_CALLS_PER_MINUTE \(250\)/);
    assert.equal(gw.sim.log.count(), 200);
    // What is left (50) still pays for a cheaper operation: a refused charge is not kept.
    const cheaper = await post(gw, unknownOperationsQuery(50));
    assert.equal(cheaper.status, 200);
    assert.equal(gw.sim.log.count(), 250);
  });

  it('refunds what a read did not spend: cached reads of a finished capture cost nothing', async () => {
    gw = await startGateway({ UPSTREAM_CALLS_PER_MINUTE: '3' });
    const id = await gw.startCapture();
    gw.sim.control.completeOperation(id);
    const fresh = await post(gw, READ, { id });
    assert.equal(
      (fresh.data as { flowOperation: { flowOperationStatus: string } }).flowOperation
        .flowOperationStatus,
      'COMPLETED',
    );
    assert.deepEqual(budgetOf(fresh), { cost: 1, spent: 1, remaining: 1 });

    gw.sim.log.clear();
    for (let i = 0; i < 5; i++) {
      const cached = await post(gw, READ, { id });
      assert.equal(cached.status, 200);
      assert.deepEqual(budgetOf(cached), { cost: 1, spent: 0, remaining: 1 });
    }
    assert.equal(gw.sim.log.count(), 0, 'answered from the cache');

    // The one call left is still there for a read that needs AWS; the next one is refused.
    assert.equal((await post(gw, READ, { id: randomUUID() })).status, 200);
    const refused = await post(gw, READ, { id: randomUUID() });
    assert.equal(refused.status, 429);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
  });

  it('charges operations over websockets from the same budget, refusing with retryAfterSeconds', async () => {
    gw = await startGateway({ UPSTREAM_CALLS_PER_MINUTE: '250' });
    gw.sim.log.clear();
    const client = gw.wsClient();
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(await subscribeAll(client, unknownOperationsQuery(100), {}));
    assert.equal(outcomes[0]?.error, undefined);
    assert.equal(outcomes[1]?.error, undefined);
    const errors = outcomes[2]?.error as { extensions?: Record<string, unknown> }[];
    assert.equal(errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(errors[0]?.extensions?.retryAfterSeconds) >= 1);
    assert.equal(gw.sim.log.count(), 200);

    // HTTP draws from the same caller's budget: 50 left.
    assert.equal((await post(gw, unknownOperationsQuery(51))).status, 429);
    assert.equal(gw.sim.log.count(), 200);
  });

  it('charges a subscription its first execution only; joining a running one is free', async () => {
    gw = await startGateway({
      UPSTREAM_CALLS_PER_MINUTE: '2',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
    const id = await gw.startCapture();
    const status = (flowOperationId: string) =>
      new Promise<GraphQLResponse>((resolve) => {
        gw!.wsClient().subscribe(
          { query: STATUS, variables: { id: flowOperationId } },
          {
            next: (v) => resolve(v as GraphQLResponse),
            error: (e) => resolve({ status: 0, errors: e as GraphQLResponse['errors'] }),
            complete: () => {},
          },
        );
      });
    // The capture took one call, this subscription the other.
    const first = await status(id);
    assert.equal(first.errors, undefined);
    // Another socket, the same subscription: it joins the running execution, which costs nothing.
    const joined = await status(id);
    assert.equal(joined.errors, undefined);
    const other = await status(randomUUID());
    assert.equal(other.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
  });
});

// Apollo starts every plugin's didResolveOperation at once; when another plugin refuses the
// operation first, the response is sent while the budget's take() is still on its way.
describe('a charge that lands after the response', () => {
  it('is given back at once, nothing having run', async () => {
    let release = (): void => {};
    const settled: { cost: number; spent: number }[] = [];
    const budget = {
      perMinute: 1000,
      take: () =>
        new Promise((resolve) => {
          release = () => resolve({ ok: true, remaining: 900, windowEndsAt: Date.now() + 60_000 });
        }),
      settle: async (_key: string, cost: number, spent: number) => {
        settled.push({ cost, spent });
        return 1000;
      },
    } as unknown as RateLimiter;
    const plugin = admissionPlugin<object>(
      { maxQueryCost: 1000, maxQueryDepth: 15, maxVariableDepth: 32 },
      budget,
    );
    const document = parse(unknownOperationsQuery(3));
    await requestContext.run({ requestId: 'r', caller: 'apikey:k' }, async () => {
      const hooks = (await plugin.requestDidStart!({} as never))!;
      const resolving = hooks.didResolveOperation!({
        schema: buildSchema(),
        document,
        operation: getOperationAST(document),
        operationName: undefined,
        request: { variables: {} },
      } as never);
      await hooks.willSendResponse!({
        response: { body: { kind: 'single', singleResult: {} } },
      } as never);
      release();
      await resolving;
    });
    assert.deepEqual(settled, [{ cost: 3, spent: 0 }]);
  });
});
