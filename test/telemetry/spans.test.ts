import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '../../src/telemetry/bootstrap.js';
import { START, STATUS, WATCH } from './documents.js';
import { SpanRecorder } from './span-recorder.js';

// The SDK first, then the gateway's modules, as src/main.ts does: the instrumentations patch the
// HTTP server, Express and the AWS SDK as those load.
const recorder = new SpanRecorder();
const telemetry = await startTelemetry({ spanProcessors: [new SimpleSpanProcessor(recorder)] });
const { DEMO_ARN, DEMO_AZ, startGateway } = await import('../helpers/gateway.js');
type TestGateway = Awaited<ReturnType<typeof startGateway>>;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

function isChildOf(child: ReadableSpan, parent: ReadableSpan): boolean {
  return child.parentSpanContext?.spanId === parent.spanContext().spanId;
}

describe('OpenTelemetry spans (in-memory exporter)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw.close();
    await telemetry.shutdown();
  });

  it('traces a query: HTTP span, operation span, DataLoader batch, AWS call, in one trace continued from traceparent', async () => {
    const id = await gw.startCapture();
    const res = await gw.gql(STATUS, { arn: DEMO_ARN, az: DEMO_AZ, id }, 'Status', {
      traceparent: PARENT,
    });
    assert.ok(res.data, JSON.stringify(res.errors));
    const http = await recorder.waitFor(
      (s) => s.name === 'POST /graphql' && s.spanContext().traceId === TRACE_ID,
    );
    assert.equal(http.parentSpanContext?.spanId, '00f067aa0ba902b7');
    const operation = only(recorder.childrenOf(http), 'query Status');
    assert.equal(operation.attributes['graphql.operation.type'], 'query');
    assert.equal(operation.attributes['graphql.operation.name'], 'Status');
    assert.match(String(operation.attributes['graphql.document.hash']), /^[0-9a-f]{64}$/);
    assert.equal(operation.attributes['graphql.operation.cost'], 1);
    const batch = only(recorder.childrenOf(operation), 'dataloader.batch flowOperation');
    assert.equal(batch.attributes['dataloader.batch.size'], 1);
    const aws = only(recorder.childrenOf(batch), 'NetworkFirewall.DescribeFlowOperation');
    assert.equal(aws.attributes['rpc.system'], 'aws-api');
    assert.equal(aws.attributes['rpc.method'], 'DescribeFlowOperation');
    assert.equal(aws.attributes['cloud.region'], 'us-east-1');
    assert.equal(aws.attributes['aws.request.attempts'], 1);
    assert.match(String(aws.attributes['aws.request.id']), /^[0-9a-f-]{36}$/);
  });

  it('traces a mutation: its StartFlowCapture call is a child of the mutation span', async () => {
    const res = await gw.gql(
      START,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '443' }],
        },
      },
      'Start',
      { traceparent: PARENT },
    );
    assert.ok(res.data, JSON.stringify(res.errors));
    const mutation = await recorder.waitFor(
      (s) => s.name === 'mutation Start' && s.spanContext().traceId === TRACE_ID,
    );
    assert.equal(mutation.attributes['graphql.operation.type'], 'mutation');
    const aws = recorder
      .getFinishedSpans()
      .filter((s) => s.name === 'NetworkFirewall.StartFlowCapture' && isChildOf(s, mutation));
    // One attempt: a start is never repeated blindly.
    assert.equal(aws.length, 1);
    assert.equal(aws[0]!.attributes['rpc.method'], 'StartFlowCapture');
    assert.equal(aws[0]!.attributes['aws.request.attempts'], 1);
  });

  it('traces a subscription: its subscribe span continues extensions.traceparent; one poll tick span links to it and holds the AWS call; pushes link to it', async () => {
    const id = await gw.startCapture();
    const client = gw.wsClient();
    const first = new Promise<unknown>((resolve, reject) => {
      const stop = client.subscribe(
        {
          query: WATCH,
          operationName: 'Watch',
          variables: { arn: DEMO_ARN, az: DEMO_AZ, id },
          extensions: { traceparent: PARENT },
        },
        {
          next: (value) => {
            resolve(value);
            stop();
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await first;
    const subscribe = await recorder.waitFor(
      (s) => s.name === 'subscription Watch' && s.spanContext().traceId === TRACE_ID,
    );
    assert.equal(subscribe.parentSpanContext?.spanId, '00f067aa0ba902b7');
    assert.equal(subscribe.attributes['graphql.operation.type'], 'subscription');
    const linksToSubscribe = (s: ReadableSpan) =>
      s.links.some((l) => l.context.spanId === subscribe.spanContext().spanId);
    const tick = await recorder.waitFor(
      (s) => s.name === 'subscription.poll' && linksToSubscribe(s),
    );
    // A root span of its own: a tick serves every subscriber.
    assert.equal(tick.parentSpanContext, undefined);
    const batch = only(recorder.childrenOf(tick), 'dataloader.batch flowOperation');
    only(recorder.childrenOf(batch), 'NetworkFirewall.DescribeFlowOperation');
    const push = await recorder.waitFor(
      (s) => s.name === 'subscription.push' && linksToSubscribe(s),
    );
    assert.equal(push.attributes['subscription.subscribers'], 1);
  });

  it('marks a refused websocket operation with its error code, under the trace of its traceparent', async () => {
    const traceId = '2'.repeat(32);
    const client = gw.wsClient();
    const refused = await new Promise<unknown>((resolve) => {
      client.subscribe(
        {
          query: '{ flowOperation(',
          extensions: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        },
        { next: () => {}, error: resolve, complete: () => resolve(undefined) },
      );
    });
    assert.ok(Array.isArray(refused), 'refused with GraphQL errors');
    const span = await recorder.waitFor(
      (s) => s.name === 'graphql.subscribe' && s.spanContext().traceId === traceId,
    );
    assert.equal(span.attributes['graphql.error.code'], 'GRAPHQL_PARSE_FAILED');
    assert.equal(span.status.code, 2);
  });

  it("shows retries: the SDK's attempts of a read on its span, each attempt of a throttled start as a span of its own", async () => {
    const id = await gw.startCapture();
    gw.sim.faults.set({ throttleNext: 2, operations: ['DescribeFlowOperation'] });
    const read = await gw.gql(STATUS, { arn: DEMO_ARN, az: DEMO_AZ, id }, 'Status', {
      traceparent: `00-${'1'.repeat(32)}-00f067aa0ba902b7-01`,
    });
    assert.ok(read.data, JSON.stringify(read.errors));
    const describe = await recorder.waitFor(
      (s) =>
        s.name === 'NetworkFirewall.DescribeFlowOperation' &&
        s.spanContext().traceId === '1'.repeat(32),
    );
    assert.equal(describe.attributes['aws.request.attempts'], 3);

    // Starts go out with one SDK attempt each; the gateway's own loop retries a throttled one.
    gw.sim.faults.set({ throttleNext: 1, operations: ['StartFlowCapture'] });
    const res = await gw.gql(
      `mutation Retried($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '22' }],
        },
      },
      'Retried',
    );
    gw.sim.faults.reset();
    assert.ok(res.data, JSON.stringify(res.errors));
    const mutation = await recorder.waitFor((s) => s.name === 'mutation Retried');
    const attempts = recorder
      .childrenOf(mutation)
      .filter((s) => s.name === 'NetworkFirewall.StartFlowCapture')
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0]!.status.message, 'ThrottlingException');
    assert.equal(attempts[0]!.attributes['aws.request.attempts'], 1);
    assert.equal(attempts[1]!.status.code, 0);
  });

  it('keeps caller document text, variable values and credentials out of every span', async () => {
    // A value AWS echoes in its error message, sent by POST and by GET, with a bearer token.
    const secret = 'a1b2c3d4-secret-variable-value';
    const token = 'Bearer secret-credential-token';
    const post = await gw.gql(STATUS, { arn: DEMO_ARN, az: DEMO_AZ, id: secret }, 'Status', {
      authorization: token,
      traceparent: PARENT,
    });
    assert.equal(post.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.ok(post.errors?.[0]?.message.includes(secret), 'AWS echoes the value');
    const url = new URL(gw.url);
    url.searchParams.set('query', STATUS);
    url.searchParams.set('variables', JSON.stringify({ arn: DEMO_ARN, az: DEMO_AZ, id: secret }));
    const get = await fetch(url, {
      headers: { 'apollo-require-preflight': 'true', authorization: token, traceparent: PARENT },
    });
    assert.equal(get.status, 200);
    await get.text();
    // Both requests' HTTP spans have ended, and everything under them before.
    await recorder.waitFor(
      (s) => s.name === 'GET /graphql' && s.spanContext().traceId === TRACE_ID,
    );
    const failed = recorder
      .getFinishedSpans()
      .filter((s) => s.name === 'NetworkFirewall.DescribeFlowOperation' && s.status.code === 2);
    assert.ok(failed.length >= 2, 'the failed AWS calls are traced');
    assert.equal(failed[0]!.status.message, 'InvalidRequestException');
    const everything = JSON.stringify(
      recorder.getFinishedSpans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        resource: s.resource.attributes,
      })),
    );
    assert.ok(!everything.includes(secret), 'no variable value');
    assert.ok(!everything.includes('secret-credential-token'), 'no credential');
    assert.ok(!everything.includes('flowOperationStatus'), 'no document text');
  });
});
