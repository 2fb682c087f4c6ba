import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { GatewayMetrics } from '../../src/metrics/registry.js';
import { requestIdFrom } from '../../src/observability/request-context.js';
import { createServer } from '../../src/server.js';
import type { GatewayServer } from '../../src/server.js';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { sample } from '../helpers/metrics.js';

const OP = `query Op($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

function origin(url: string): string {
  return new URL(url).origin;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${origin(url)}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  let gw: TestGateway;
  let completedId: string;

  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    completedId = gw.sim.control
      .operations(DEMO_ARN)
      .find(
        (o) => o.availabilityZone === DEMO_AZ && o.flowOperationStatus === 'COMPLETED',
      )!.flowOperationId;
  });
  after(() => gw.close());

  it('counts GraphQL requests by operation name and outcome, with latency histograms', async () => {
    const vars = { arn: DEMO_ARN, az: DEMO_AZ, id: completedId };
    for (let i = 0; i < 3; i++) await gw.gql(OP, vars, 'Op');
    await gw.gql(OP, { ...vars, id: 'not-an-id' }, 'Op');
    await gw.gql('{ nope }');
    const text = await scrape(gw.url);
    const ok = { operation_name: 'Op', operation_type: 'query', outcome: 'ok' };
    assert.equal(sample(text, 'gateway_graphql_requests_total', ok), 3);
    assert.equal(
      sample(text, 'gateway_graphql_requests_total', { ...ok, outcome: 'BAD_USER_INPUT' }),
      1,
    );
    assert.equal(
      sample(text, 'gateway_graphql_requests_total', {
        operation_name: '__anonymous',
        outcome: 'GRAPHQL_VALIDATION_FAILED',
      }),
      1,
    );
    assert.equal(
      sample(text, 'gateway_graphql_request_duration_seconds_count', {
        operation_name: 'Op',
        operation_type: 'query',
      }),
      4,
    );
  });

  it('counts AWS calls as the simulator saw them, and cache hits', async () => {
    const before = await scrape(gw.url);
    const okBefore =
      sample(before, 'gateway_aws_calls_total', {
        operation: 'ListFlowOperations',
        outcome: 'ok',
      }) ?? 0;
    gw.sim.log.clear();
    const list = `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 2) { edges { node { flowOperationId } } } }`;
    await gw.gql(list);
    await gw.gql(list);
    // Another document about the COMPLETED operation of the first test: not in the response cache.
    await gw.gql(
      `query Other($arn: String!, $az: String, $id: ID!) { flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus } }`,
      { arn: DEMO_ARN, az: DEMO_AZ, id: completedId },
    );
    const text = await scrape(gw.url);
    const calls =
      (sample(text, 'gateway_aws_calls_total', {
        operation: 'ListFlowOperations',
        outcome: 'ok',
      }) ?? 0) - okBefore;
    assert.equal(calls, gw.sim.log.count('ListFlowOperations'));
    assert.equal(calls, 2);
    // The first test asked the same about one COMPLETED operation three times: executed once (a
    // read-cache miss), then answered whole by the response cache twice, never reaching the read
    // cache; the other document above is executed, and its describe is a read-cache hit.
    assert.equal(sample(text, 'gateway_response_cache_lookups_total', { result: 'hit' }), 2);
    assert.equal(
      sample(text, 'gateway_aws_read_lookups_total', {
        operation: 'DescribeFlowOperation',
        result: 'hit',
      }),
      1,
    );
    assert.equal(sample(text, 'gateway_cache_entries'), 1);
    assert.ok(
      (sample(text, 'gateway_dataloader_batch_size_count', { loader: 'flowOperation' }) ?? 0) >= 1,
    );
  });

  it('counts throttles by operation', async () => {
    gw.sim.faults.set({ throttleNext: 3, operations: ['ListFirewalls'] });
    try {
      const res = await gw.gql('{ firewalls(first: 1) { edges { node { firewallArn } } } }');
      assert.equal(res.errors?.[0]?.extensions?.code, 'THROTTLED');
    } finally {
      gw.sim.faults.reset();
    }
    const text = await scrape(gw.url);
    assert.equal(sample(text, 'gateway_aws_throttles_total', { operation: 'ListFirewalls' }), 1);
    assert.equal(
      sample(text, 'gateway_aws_calls_total', { operation: 'ListFirewalls', outcome: 'THROTTLED' }),
      1,
    );
    // Three attempts (AWS_MAX_ATTEMPTS) all throttled: two retries.
    assert.equal(sample(text, 'gateway_aws_retries_total', { operation: 'ListFirewalls' }), 2);
  });

  it('reports open websockets and active subscriptions', async () => {
    const id = await gw.startCapture({
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      flowFilters: [{ sourceAddress: { addressDefinition: '10.0.0.0/8' } }],
    });
    const client = gw.wsClient();
    const dispose = [1, 2].map(() =>
      client.subscribe(
        {
          query: `subscription($arn: String!, $az: String, $id: ID!) { flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus } }`,
          variables: { arn: DEMO_ARN, az: DEMO_AZ, id },
        },
        { next: () => {}, error: () => {}, complete: () => {} },
      ),
    );
    const text = await waitFor(async () => {
      const t = await scrape(gw.url);
      return sample(t, 'gateway_subscriptions_active') === 2 ? t : undefined;
    });
    assert.equal(sample(text, 'gateway_websocket_connections'), 1);
    assert.equal(sample(text, 'gateway_poller_watches'), 1);
    // Polls after the first are timed against when they were due.
    const lagged = await waitFor(async () => {
      const t = await scrape(gw.url);
      return (sample(t, 'gateway_poll_lag_seconds_count') ?? 0) >= 2 ? t : undefined;
    });
    assert.ok((sample(lagged, 'gateway_poll_lag_seconds_bucket', { le: '+Inf' }) ?? 0) >= 2);
    for (const d of dispose) d();
    await waitFor(async () =>
      sample(await scrape(gw.url), 'gateway_subscriptions_active') === 0 ? true : undefined,
    );
  });

  it('labels operation names over 64 characters __other, so one caller cannot bloat every scrape', async () => {
    const before = (await scrape(gw.url)).length;
    for (let i = 0; i < 20; i++) {
      const name = `N${i}_` + 'a'.repeat(500_000);
      const res = await gw.gql(`query ${name} { __typename }`, undefined, name);
      assert.equal(res.status, 200);
    }
    const text = await scrape(gw.url);
    assert.ok(text.length - before < 100_000, `/metrics grew by ${text.length - before} bytes`);
    assert.ok(
      (sample(text, 'gateway_graphql_requests_total', { operation_name: '__other' }) ?? 0) >= 20,
      'the long names are counted under __other',
    );
  });

  it('keeps /healthz and /readyz', async () => {
    assert.equal((await fetch(`${origin(gw.url)}/healthz`)).status, 200);
    assert.equal((await fetch(`${origin(gw.url)}/readyz`)).status, 200);
  });

  it('keeps each server its own registry', async () => {
    const other = await startGateway();
    try {
      const text = await scrape(other.url);
      assert.equal(sample(text, 'gateway_graphql_requests_total'), undefined);
      assert.ok(text.includes('process_cpu_seconds_total'), 'default process metrics too');
    } finally {
      await other.close();
    }
  });
});

describe('GatewayMetrics', () => {
  it('bounds the operation name label, since clients choose the names', () => {
    const m = new GatewayMetrics({
      openWebsockets: () => 0,
      subscriptions: () => ({ watchCount: 0, subscriberCount: 0, executionCount: 0 }),
      cacheEntries: () => 0,
      inflightReads: () => 0,
    });
    assert.equal(m.operationLabel(undefined), '__anonymous');
    // Twenty names from each of ten callers fill the labels (one caller alone may not).
    for (let i = 0; i < 200; i++) {
      assert.equal(m.operationLabel(`Op${i}`, `caller${Math.floor(i / 20)}`), `Op${i}`);
    }
    assert.equal(m.operationLabel('Op0', 'another'), 'Op0', 'known names keep their label');
    assert.equal(m.operationLabel('OneTooMany', 'another'), '__other');
  });

  it('labels names over 64 characters, or not GraphQL names, __other', () => {
    const m = new GatewayMetrics({
      openWebsockets: () => 0,
      subscriptions: () => ({ watchCount: 0, subscriberCount: 0, executionCount: 0 }),
      cacheEntries: () => 0,
      inflightReads: () => 0,
    });
    assert.equal(m.operationLabel('A'.repeat(64), 'c'), 'A'.repeat(64));
    assert.equal(m.operationLabel('A'.repeat(65), 'c'), '__other');
    assert.equal(m.operationLabel('not a name', 'c'), '__other');
    assert.equal(m.operationLabel('9lives', 'c'), '__other');
  });
});

describe('request ids', () => {
  let server: GatewayServer;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production' });
    server = await createServer(config, { logger: createLogger('debug', sink) });
  });
  after(() => server.close());

  const post = (headers: Record<string, string> = {}) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 1) { edges { node { flowOperationId statusMessage } } } }`,
      }),
    });

  it("echoes the caller's x-request-id and carries it into the AWS call logs", async () => {
    const res = await post({ 'x-request-id': 'req-abc.123' });
    assert.equal(res.status, 200);
    await res.json();
    assert.equal(res.headers.get('x-request-id'), 'req-abc.123');
    const mine = lines.filter((l) => l.requestId === 'req-abc.123');
    const aws = mine.filter((l) => typeof l.awsOperation === 'string').map((l) => l.awsOperation);
    assert.ok(aws.includes('ListFlowOperations'), `AWS calls logged: ${JSON.stringify(aws)}`);
    assert.ok(aws.includes('DescribeFlowOperation'), 'a call made by a DataLoader batch too');
    const request = mine.find((l) => l.msg === 'graphql request');
    assert.equal(request?.outcome, 'ok');
  });

  it('generates an id when none (or a malformed one) is given', async () => {
    const plain = await post();
    const generated = plain.headers.get('x-request-id') ?? '';
    assert.match(generated, /^[0-9a-f-]{36}$/);
    const bad = await post({ 'x-request-id': 'has spaces and "quotes"' });
    assert.notEqual(bad.headers.get('x-request-id'), 'has spaces and "quotes"');
    assert.match(bad.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(requestIdFrom('x'.repeat(129)).length, 36);
    assert.equal(requestIdFrom(['first', 'second']), 'first');
  });

  it('answers /healthz with a request id too', async () => {
    const res = await fetch(`${origin(server.url)}/healthz`, { headers: { 'x-request-id': 'h1' } });
    assert.equal(res.headers.get('x-request-id'), 'h1');
  });
});
