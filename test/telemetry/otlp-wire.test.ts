import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { spawnGateway } from '../helpers/process.js';
import type { GatewayProcess } from '../helpers/process.js';
import { DEMO_ARN, DEMO_AZ } from '../helpers/gateway.js';
import { START, STATUS, WATCH } from './documents.js';
import { OtlpReceiver } from './otlp-receiver.js';
import type { JsonSpan } from './otlp-receiver.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN}-01`;

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  operationName: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  assert.ok(body.data, JSON.stringify(body.errors));
  return body.data;
}

function tracing(endpoint: string, protocol: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: 'gateway-under-test',
    // Exported promptly, so that the test's wait is short; the SDK's default is 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '50',
    SIMULATOR_OPERATION_DELAY_MS: '200',
    POLL_INTERVAL_MS: '100',
  };
}

function named(spans: JsonSpan[], name: string): JsonSpan | undefined {
  return spans.find((s) => s.name === name && s.traceId === TRACE_ID);
}

describe('OTLP/HTTP export from the gateway process', () => {
  const receiver = new OtlpReceiver();
  let gateway: GatewayProcess;
  let endpoint: string;
  before(async () => {
    endpoint = await receiver.start();
    gateway = await spawnGateway(tracing(endpoint, 'http/json'));
  });
  after(async () => {
    await gateway.kill('SIGKILL');
    await receiver.close();
  });

  it('sends the spans of a mutation, a query and a subscription as http/json, in the trace of the incoming traceparent', async () => {
    const input = {
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      flowFilters: [{ destinationPort: '443' }],
    };
    const started = await post(gateway.url, START, { input }, 'Start');
    const id = (started.startFlowCapture as { flowOperationId: string }).flowOperationId;
    await post(gateway.url, STATUS, { arn: DEMO_ARN, az: DEMO_AZ, id }, 'Status');

    const client = createClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const stop = client.subscribe(
          {
            query: WATCH,
            operationName: 'Watch',
            variables: { arn: DEMO_ARN, az: DEMO_AZ, id },
            extensions: { traceparent: TRACEPARENT },
          },
          {
            next: () => {
              stop();
              resolve();
            },
            error: reject,
            complete: () => {},
          },
        );
      });
    } finally {
      await client.dispose();
    }

    const spans = await receiver.until(() => {
      const all = receiver.jsonSpans();
      const subscribe = named(all, 'subscription Watch');
      const linked = subscribe
        ? all.find(
            (s) =>
              s.name === 'subscription.poll' && s.links?.some((l) => l.spanId === subscribe.spanId),
          )
        : undefined;
      return named(all, 'mutation Start') && named(all, 'query Status') && linked ? all : undefined;
    });

    const mutation = named(spans, 'mutation Start')!;
    const query = named(spans, 'query Status')!;
    const subscribe = named(spans, 'subscription Watch')!;
    assert.equal(mutation.service, 'gateway-under-test');
    // The HTTP spans are children of the caller's span; the operations, of the HTTP spans.
    const httpSpans = spans.filter((s) => s.name === 'POST /graphql' && s.traceId === TRACE_ID);
    assert.equal(httpSpans.length, 2);
    for (const http of httpSpans) assert.equal(http.parentSpanId, PARENT_SPAN);
    assert.ok(httpSpans.some((h) => h.spanId === mutation.parentSpanId));
    assert.ok(httpSpans.some((h) => h.spanId === query.parentSpanId));
    assert.equal(subscribe.parentSpanId, PARENT_SPAN);
    const start = spans.filter(
      (s) => s.name === 'NetworkFirewall.StartFlowCapture' && s.parentSpanId === mutation.spanId,
    );
    assert.equal(start.length, 1);
    const rpc = Object.fromEntries(
      (start[0]!.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
    );
    assert.equal(rpc['rpc.system'], 'aws-api');
    assert.equal(rpc['rpc.method'], 'StartFlowCapture');

    // The gateway's log line of the query names the same trace.
    const line = await gateway.line(
      (e) => e.msg === 'graphql request' && e.operationName === 'Status',
    );
    assert.equal(line.trace_id, TRACE_ID);
    assert.match(String(line.span_id), /^[0-9a-f]{16}$/);
  });
});

describe('OTLP/HTTP export as http/protobuf', () => {
  const receiver = new OtlpReceiver();
  let gateway: GatewayProcess;
  before(async () => {
    gateway = await spawnGateway(tracing(await receiver.start(), 'http/protobuf'));
  });
  after(async () => {
    await gateway.kill('SIGKILL');
    await receiver.close();
  });

  it('sends protobuf export requests holding the query span in the incoming trace', async () => {
    await post(
      gateway.url,
      STATUS,
      { arn: DEMO_ARN, az: DEMO_AZ, id: crypto.randomUUID() },
      'Status',
    );
    const traceId = Buffer.from(TRACE_ID, 'hex');
    const request = await receiver.until(() =>
      receiver.requests.find(
        (r) => r.body.includes(traceId) && r.body.includes(Buffer.from('query Status')),
      ),
    );
    assert.equal(request.path, '/v1/traces');
    assert.equal(request.contentType, 'application/x-protobuf');
    assert.ok(request.body.includes(Buffer.from('NetworkFirewall.DescribeFlowOperation')));
  });
});
