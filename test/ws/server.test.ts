import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, captureLogger, handshake, newKey, writeKeys } from '../auth/support.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

const STATUS = `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: $id) { flowOperationId flowOperationStatus } }`;

type Status = { flowOperationStatusChanged: { flowOperationStatus: string } };

async function gauge(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('websocket server: shared executions', () => {
  let gw: TestGateway;
  before(async () => {
    // A long interval, so that each AWS call in a test can be told apart.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', POLL_INTERVAL_MS: '2000' });
  });
  after(() => gw.close());

  it('serves identical subscriptions on many sockets from one execution and one poll', async () => {
    const id = await gw.startCapture();
    gw.sim.log.clear();
    const firstSeen: boolean[] = [];
    const subs = Array.from({ length: 30 }, (_, i) =>
      subscribeAll<Status>(
        gw.wsClient(),
        STATUS,
        { id },
        {
          onNext: () => (firstSeen[i] = true),
        },
      ),
    );
    await waitFor(() => firstSeen.filter(Boolean).length === 30);
    assert.equal(await gauge(gw.metricsUrl, 'gateway_subscriptions_active'), 30);
    assert.equal(await gauge(gw.metricsUrl, 'gateway_subscription_executions'), 1);
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);

    // A late subscriber gets the current state from the running execution, with no AWS call.
    const late = await new Promise<GraphQLResponse<Status>>((resolve) => {
      const client = gw.wsClient();
      client.subscribe<Status>(
        { query: STATUS, variables: { id } },
        {
          next: (v) => resolve(v as GraphQLResponse<Status>),
          error: () => {},
          complete: () => {},
        },
      );
    });
    assert.equal(late.data?.flowOperationStatusChanged.flowOperationStatus, 'IN_PROGRESS');
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);

    gw.sim.control.completeOperation(id, 'COMPLETED');
    const results = await Promise.all(subs);
    for (const r of results) {
      assert.equal(r.error, undefined);
      assert.deepEqual(
        r.results.map((x) => x.data?.flowOperationStatusChanged.flowOperationStatus),
        ['IN_PROGRESS', 'COMPLETED'],
      );
    }
    await waitFor(
      async () => (await gauge(gw.metricsUrl, 'gateway_subscription_executions')) === 0,
    );
  });
});

describe('websocket server: executions are never shared between callers', () => {
  let gw: TestGateway;
  let dir: string;
  const wide = newKey('wide', ['read', 'write'], ['*']);
  const twin = newKey('twin', ['read', 'write'], ['*']);
  const narrow = newKey('narrow', ['read'], ['arn:aws:network-firewall:*:*:firewall/lab']);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [wide, twin, narrow]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the same document separately per caller, so that each gets its own answer', async () => {
    const id = await gw.startCapture(undefined, bearer(wide.key));
    const seen = new Set<string>();
    const watch = (key: string) =>
      subscribeAll<Status>(
        gw.wsClient({ connectionParams: bearer(key) }),
        STATUS,
        { id },
        {
          onNext: () => seen.add(key),
        },
      );
    const subs = [watch(wide.key), watch(twin.key)];
    const refused = await watch(narrow.key);
    const error = refused.results[0]?.errors?.[0];
    assert.equal(error?.extensions?.code, 'FORBIDDEN');
    assert.match(error.message, /^narrow may not access/, 'the message names its own caller');

    await waitFor(() => seen.has(wide.key) && seen.has(twin.key));
    // Same permissions, different keys: still two executions, one per caller.
    assert.equal(await gauge(gw.metricsUrl, 'gateway_subscription_executions'), 2);
    gw.sim.control.completeOperation(id, 'COMPLETED');
    for (const sub of await Promise.all(subs)) {
      assert.equal(
        sub.results.at(-1)?.data?.flowOperationStatusChanged.flowOperationStatus,
        'COMPLETED',
      );
    }
  });
});

describe('websocket server: rate limits and request ids', () => {
  let gw: TestGateway;
  let dir: string;
  const log = captureLogger();
  const bot = newKey('bot', ['read', 'write'], ['*']);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [bot]);
    gw = await startGateway(
      {
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: file,
        RATE_LIMIT_PER_MINUTE: '4',
        SIMULATOR_OPERATION_DELAY_MS: '600000',
        LOG_LEVEL: 'info',
      },
      { logger: log.logger },
    );
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let captureId = '';

  it('gives each operation over a socket a request id, in its audit line', async () => {
    const client = gw.wsClient({ connectionParams: bearer(bot.key) });
    const started = await subscribeAll<{ startFlowCapture: { flowOperationId: string } }>(
      client,
      `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '443' }],
        },
      },
    );
    const id = started.results[0]?.data?.startFlowCapture.flowOperationId;
    assert.ok(id, JSON.stringify(started));
    captureId = id;
    const audit = log.lines.find((l) => l.audit === true && l.flowOperationId === id);
    assert.match(String(audit?.requestId), /^[0-9a-f-]{36}$/);
  });

  it('takes a token for each subscribe that runs something, refusing with RATE_LIMITED; joining a running execution is free', async () => {
    const client = gw.wsClient({ connectionParams: bearer(bot.key) });
    const watch = () =>
      new Promise<GraphQLResponse<Status>>((resolve) => {
        gw.wsClient({ connectionParams: bearer(bot.key) }).subscribe<Status>(
          { query: STATUS, variables: { id: captureId } },
          {
            next: (v) => resolve(v as GraphQLResponse<Status>),
            error: resolve,
            complete: () => {},
          },
        );
      });
    // Four tokens: the mutation above took one, this subscription a second.
    const first = await watch();
    assert.equal(first.data?.flowOperationStatusChanged.flowOperationStatus, 'IN_PROGRESS');
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const sub = await subscribeAll(client, '{ __typename }', {});
      const errors = sub.error as { extensions?: { code?: string; retryAfterSeconds?: number } }[];
      codes.push(errors?.[0]?.extensions?.code);
      if (errors) assert.ok((errors[0]!.extensions!.retryAfterSeconds ?? 0) >= 1);
    }
    assert.deepEqual(codes, [undefined, undefined, 'RATE_LIMITED']);
    // The bucket is empty, yet the same subscription joins the running execution.
    const joined = await watch();
    assert.equal(joined.data?.flowOperationStatusChanged.flowOperationStatus, 'IN_PROGRESS');
  });

  it('counts failed websocket authentications against the client address, then answers 1013 (4403 before)', async () => {
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const attempt = await handshake(gw.url, bearer('not-a-key'));
      codes.push(attempt.closeCode);
    }
    assert.deepEqual(codes, [4403, 4403, 4403, 4403, 1013]);
  });
});
