import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBot } from '../../examples/chat-bot/src/bot.js';
import type { Bot, BotOptions, BotOutcome } from '../../examples/chat-bot/src/bot.js';
import {
  escapeSlackText,
  firewallNameFromArn,
  formatStatusChange,
} from '../../examples/chat-bot/src/format.js';
import type { Logger } from '../../examples/chat-bot/src/log.js';
import { createWebhookPoster, parseRetryAfter } from '../../examples/chat-bot/src/webhook.js';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const ID = '4ebf2f04-1d5c-4a4c-9d1e-2b1f3c4d5e6f';

describe('chat bot message format', () => {
  const base = {
    firewallArn: DEMO_ARN,
    availabilityZone: DEMO_AZ,
    flowOperationId: ID,
    flowOperationType: 'FLOW_CAPTURE',
  };

  it('writes one line per status with its emoji, the firewall name, zone, type and id', () => {
    assert.equal(
      formatStatusChange({ ...base, flowOperationStatus: 'IN_PROGRESS' }),
      `:hourglass: FLOW_CAPTURE ${ID} on demo (us-east-1a) is IN_PROGRESS`,
    );
    assert.equal(
      formatStatusChange({ ...base, flowOperationStatus: 'COMPLETED', statusMessage: null }),
      `:white_check_mark: FLOW_CAPTURE ${ID} on demo (us-east-1a) is COMPLETED`,
    );
    assert.equal(
      formatStatusChange({
        ...base,
        flowOperationType: 'FLOW_FLUSH',
        flowOperationStatus: 'FAILED',
        statusMessage: 'Flow timeout',
      }),
      `:x: FLOW_FLUSH ${ID} on demo (us-east-1a) is FAILED: Flow timeout`,
    );
    assert.equal(
      formatStatusChange({
        ...base,
        flowOperationStatus: 'COMPLETED_WITH_ERRORS',
        statusMessage: 'Flow operation error',
      }),
      `:warning: FLOW_CAPTURE ${ID} on demo (us-east-1a) is COMPLETED_WITH_ERRORS: Flow operation error`,
    );
  });

  it('copes with missing fields and operations scoped to a VPC endpoint association', () => {
    assert.equal(
      formatStatusChange({ firewallArn: DEMO_ARN, flowOperationId: ID }),
      `:grey_question: Flow operation ${ID} on demo is UNKNOWN`,
    );
    assert.equal(
      formatStatusChange({
        ...base,
        availabilityZone: null,
        vpcEndpointAssociationArn:
          'arn:aws:network-firewall:us-east-1:111122223333:vpc-endpoint-association/assoc-1',
        flowOperationStatus: 'IN_PROGRESS',
      }),
      `:hourglass: FLOW_CAPTURE ${ID} on demo (assoc-1) is IN_PROGRESS`,
    );
    assert.equal(
      formatStatusChange({
        ...base,
        availabilityZone: null,
        vpcEndpointId: 'vpce-0123',
        flowOperationStatus: 'IN_PROGRESS',
      }),
      `:hourglass: FLOW_CAPTURE ${ID} on demo (vpce-0123) is IN_PROGRESS`,
    );
  });

  it('escapes Slack markup and keeps a long, multi-line status message on one short line', () => {
    const text = formatStatusChange({
      ...base,
      flowOperationStatus: 'FAILED',
      statusMessage: 'bad <!channel> & <http://x|y>\n  second line',
    });
    assert.equal(
      text,
      `:x: FLOW_CAPTURE ${ID} on demo (us-east-1a) is FAILED: ` +
        'bad &lt;!channel&gt; &amp; &lt;http://x|y&gt; second line',
    );
    assert.equal(escapeSlackText('a<b>&c'), 'a&lt;b&gt;&amp;c');

    const long = formatStatusChange({
      ...base,
      flowOperationStatus: 'FAILED',
      statusMessage: 'x'.repeat(1000),
    });
    assert.ok(long.endsWith('x…'));
    assert.ok(long.length < 420, `message of ${long.length} characters`);
    assert.ok(!long.includes('\n'));
  });

  it('takes the firewall name from the ARN, or shows the ARN when it is not a firewall ARN', () => {
    assert.equal(firewallNameFromArn(DEMO_ARN), 'demo');
    assert.equal(
      firewallNameFromArn('arn:aws-cn:network-firewall:cn-north-1:1:firewall/a:b'),
      'a:b',
    );
    assert.equal(firewallNameFromArn('not-an-arn'), 'not-an-arn');
  });
});

// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
}

interface Receiver {
  url: string;
  /** Every request, in arrival order. */
  requests: { text: string; status: number; at: number }[];
  /** Texts of the requests answered 2xx: what the channel would show. */
  delivered(): string[];
  close(): Promise<void>;
}

/** A local Slack-style incoming webhook; `reply` scripts the answer to the nth request. */
async function startReceiver(
  reply: (index: number, text: string) => Reply = () => ({ status: 200 }),
): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let text = '';
      try {
        assert.equal(req.method, 'POST');
        assert.match(String(req.headers['content-type']), /^application\/json/);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown };
        assert.deepEqual(Object.keys(body), ['text']);
        text = String(body.text);
      } catch (error) {
        text = `INVALID REQUEST: ${String(error)}`;
      }
      const r = reply(requests.length, text);
      requests.push({ text, status: r.status, at: Date.now() });
      if (r.hang) return;
      res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers });
      res.end(r.status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    requests,
    delivered: () => requests.filter((r) => r.status < 300).map((r) => r.text),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function recordingLogger(): Logger & { messages: { level: string; msg: string }[] } {
  const messages: { level: string; msg: string; fields?: unknown }[] = [];
  return {
    messages,
    info: (msg, fields) => messages.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => messages.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => messages.push({ level: 'error', msg, fields }),
  };
}

describe('chat bot webhook poster', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function receiver(reply?: (index: number, text: string) => Reply): Promise<Receiver> {
    const r = await startReceiver(reply);
    cleanup.push(() => r.close());
    return r;
  }

  it('retries 5xx and network errors with backoff, keeping messages in order', async () => {
    const r = await receiver((i) => ({ status: i < 2 ? 503 : 200 }));
    const poster = createWebhookPoster({ url: r.url, baseDelayMs: 20, maxAttempts: 4 });
    cleanup.push(() => poster.close(100));
    const results = await withTimeout(
      Promise.all([poster.post('one'), poster.post('two'), poster.post('three')]),
      5000,
      'posts',
    );
    assert.deepEqual(results, [true, true, true]);
    assert.deepEqual(
      r.requests.map((q) => q.text),
      ['one', 'one', 'one', 'two', 'three'],
    );
    assert.deepEqual(r.delivered(), ['one', 'two', 'three']);

    // Nothing listens on a freed port: connection refused is retried, then given up, no throw.
    const dead = createWebhookPoster({
      url: `http://127.0.0.1:${await freePort()}/hook`,
      baseDelayMs: 10,
      maxAttempts: 3,
    });
    cleanup.push(() => dead.close(100));
    assert.equal(await withTimeout(dead.post('lost'), 5000, 'dead post'), false);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const r = await receiver((i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    const poster = createWebhookPoster({ url: r.url, baseDelayMs: 10 });
    cleanup.push(() => poster.close(100));
    assert.equal(await withTimeout(poster.post('slow down'), 5000, 'post'), true);
    assert.equal(r.requests.length, 2);
    const waited = r.requests[1]!.at - r.requests[0]!.at;
    assert.ok(waited >= 950 && waited < 3000, `waited ${waited} ms`);

    assert.equal(parseRetryAfter('120'), 120_000);
    const now = Date.now();
    const fromDate = parseRetryAfter(new Date(now + 5000).toUTCString(), now);
    assert.ok(fromDate !== undefined && fromDate > 3000 && fromDate <= 5000, String(fromDate));
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('does not retry a 4xx other than 429, and goes on with the next message', async () => {
    const r = await receiver((i) => ({ status: i === 0 ? 404 : 200 }));
    const logger = recordingLogger();
    const poster = createWebhookPoster({ url: r.url, baseDelayMs: 10, logger });
    cleanup.push(() => poster.close(100));
    assert.equal(await withTimeout(poster.post('gone'), 5000, 'post'), false);
    assert.equal(await withTimeout(poster.post('next'), 5000, 'post'), true);
    assert.deepEqual(
      r.requests.map((q) => [q.text, q.status]),
      [
        ['gone', 404],
        ['next', 200],
      ],
    );
    assert.ok(logger.messages.some((m) => m.level === 'error' && /refused/.test(m.msg)));
  });

  it('close() gives a hung receiver a bounded drain, then drops what is left', async () => {
    const r = await receiver(() => ({ status: 200, hang: true }));
    const poster = createWebhookPoster({ url: r.url, timeoutMs: 60_000 });
    const first = poster.post('stuck');
    const second = poster.post('behind it');
    await waitFor(() => (r.requests.length === 1 ? true : undefined), 2000);
    // Without the bounded drain close() waits out the 60 s post timeout; 20 s is only a safety net.
    await withTimeout(poster.close(150), 20_000, 'close');
    assert.deepEqual(await Promise.all([first, second]), [false, false]);
    assert.equal(await poster.post('after close'), false);
    assert.equal(r.requests.length, 1);
  });
});

// ---------------------------------------------------------------------------------------------

const START_CAPTURE = `mutation($input: StartFlowOperationInput!) {
  startFlowCapture(input: $input) { flowOperationId }
}`;

async function startCapture(gw: TestGateway): Promise<string> {
  const res = await gw.gql<{ startFlowCapture: { flowOperationId: string } }>(START_CAPTURE, {
    input: {
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      flowFilters: [{ protocols: ['6'] }],
    },
  });
  assert.equal(res.errors, undefined);
  return res.data!.startFlowCapture.flowOperationId;
}

/**
 * The zone subscription reports only what appears after its first poll, so a test must wait
 * for that baseline before starting an operation.
 */
async function zoneWatched(gw: TestGateway, before: number): Promise<void> {
  // A watch is not polled again before its last poll was applied: a second poll means a baseline.
  await waitFor(
    () => (gw.sim.log.count('ListFlowOperations') >= before + 2 ? true : undefined),
    5000,
  );
}

const line = (emoji: string, id: string, status: string) =>
  `${emoji} FLOW_CAPTURE ${id} on demo (us-east-1a) is ${status}`;

describe('chat bot end to end', () => {
  let gw: TestGateway;
  const cleanup: (() => Promise<void>)[] = [];

  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000', POLL_INTERVAL_MS: '100' });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function receiver(reply?: (index: number, text: string) => Reply): Promise<Receiver> {
    const r = await startReceiver(reply);
    cleanup.push(() => r.close());
    return r;
  }

  function bot(options: Partial<BotOptions> & Pick<BotOptions, 'webhookUrl'>): Bot {
    const b = startBot({
      gatewayUrl: gw.url.replace(/^http/, 'ws'),
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      logger: recordingLogger(),
      reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
      webhook: { baseDelayMs: 20 },
      drainTimeoutMs: 500,
      ...options,
    });
    cleanup.push(() => withTimeout(b.stop(), 5000, 'bot.stop'));
    return b;
  }

  async function delivered(r: Receiver, n: number): Promise<string[]> {
    await waitFor(() => (r.delivered().length >= n ? true : undefined), 5000);
    return r.delivered();
  }

  it('watches a zone and posts each change of each operation, in order', async () => {
    const r = await receiver();
    bot({ webhookUrl: r.url });
    await zoneWatched(gw, 0);

    const id = await startCapture(gw);
    await delivered(r, 1);
    gw.sim.control.completeOperation(id, 'FAILED', 'Flow timeout');
    await delivered(r, 2);
    // A sentinel: the next operation's message comes after anything more about the first.
    const next = await startCapture(gw);
    await delivered(r, 3);
    assert.deepEqual(r.delivered(), [
      line(':hourglass:', id, 'IN_PROGRESS'),
      `${line(':x:', id, 'FAILED')}: Flow timeout`,
      line(':hourglass:', next, 'IN_PROGRESS'),
    ]);
    assert.equal(r.requests.length, 3);
    gw.sim.control.completeOperation(next, 'COMPLETED');
  });

  it('delivers a message once to a webhook that fails twice with 500 first', async () => {
    const r = await receiver((i) => ({ status: i < 2 ? 500 : 200 }));
    bot({ webhookUrl: r.url });
    await zoneWatched(gw, 0);

    const id = await startCapture(gw);
    await delivered(r, 1);
    gw.sim.control.completeOperation(id, 'COMPLETED');
    await delivered(r, 2);
    // A sentinel: the next operation's message comes after any repeat of the first two.
    const next = await startCapture(gw);
    await delivered(r, 3);
    const first = line(':hourglass:', id, 'IN_PROGRESS');
    assert.deepEqual(
      r.requests.map((q) => [q.status, q.text]),
      [
        [500, first],
        [500, first],
        [200, first],
        [200, line(':white_check_mark:', id, 'COMPLETED')],
        [200, line(':hourglass:', next, 'IN_PROGRESS')],
      ],
    );
    gw.sim.control.completeOperation(next, 'COMPLETED');
  });

  it('watches one operation and ends after its final status', async () => {
    const id = await startCapture(gw);
    const r = await receiver();
    const b = bot({ webhookUrl: r.url, flowOperationId: id });
    await delivered(r, 1);
    gw.sim.control.setStatusMessage(id, 'Capturing flows');
    await delivered(r, 2);
    gw.sim.control.completeOperation(id, 'COMPLETED_WITH_ERRORS', 'Flow operation error');
    const outcome = await withTimeout(b.done, 5000, 'bot.done');
    assert.deepEqual(outcome, { reason: 'finished' } satisfies BotOutcome);
    // `done` settles only after the final message went out.
    assert.deepEqual(r.delivered(), [
      line(':hourglass:', id, 'IN_PROGRESS'),
      `${line(':hourglass:', id, 'IN_PROGRESS')}: Capturing flows`,
      `${line(':warning:', id, 'COMPLETED_WITH_ERRORS')}: Flow operation error`,
    ]);
  });

  it('ends with a failure, posting nothing, for an unknown operation or a bad ARN', async () => {
    const r = await receiver();
    const unknown = bot({
      webhookUrl: r.url,
      flowOperationId: '00000000-0000-0000-0000-000000000000',
    });
    const outcome = await withTimeout(unknown.done, 5000, 'bot.done');
    assert.equal(outcome.reason, 'failed');

    const bad = bot({ webhookUrl: r.url, firewallArn: 'arn:nope' });
    assert.equal((await withTimeout(bad.done, 5000, 'bot.done')).reason, 'failed');
    assert.equal(r.requests.length, 0);

    assert.throws(() =>
      startBot({ gatewayUrl: 'http://x', webhookUrl: r.url, firewallArn: DEMO_ARN }),
    );
    assert.throws(() =>
      startBot({ gatewayUrl: 'ws://x', webhookUrl: 'nope', firewallArn: DEMO_ARN }),
    );
  });

  it('reconnects after the gateway restarts, resubscribes and reports later changes', async () => {
    const port = await freePort();
    let current: TestGateway | undefined = await startGateway({
      PORT: String(port),
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      POLL_INTERVAL_MS: '100',
    });
    cleanup.push(async () => {
      await current?.close();
    });
    const r = await receiver();
    const logger = recordingLogger();
    const b = bot({
      webhookUrl: r.url,
      gatewayUrl: `ws://127.0.0.1:${port}/graphql`,
      logger,
    });
    await zoneWatched(current, 0);
    const first = await startCapture(current);
    await delivered(r, 1);

    // Shutdown closes sockets with 1001; reconnect attempts then fail until a gateway is back.
    const old = current;
    current = undefined;
    await old.close();
    // Two attempts scheduled: the first one failed against the closed port.
    await waitFor(
      () =>
        logger.messages.filter((m) => m.msg === 'reconnecting to the gateway').length >= 2
          ? true
          : undefined,
      10_000,
    );
    current = await startGateway({
      PORT: String(port),
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      POLL_INTERVAL_MS: '100',
    });
    await waitFor(
      () =>
        logger.messages.some((m) => m.msg === 'reconnected; resubscribing') ? true : undefined,
      5000,
    );
    await zoneWatched(current, 0);

    const second = await startCapture(current);
    await delivered(r, 2);
    current.sim.control.completeOperation(second, 'FAILED', 'Flow timeout');
    await delivered(r, 3);
    assert.deepEqual(r.delivered(), [
      line(':hourglass:', first, 'IN_PROGRESS'),
      line(':hourglass:', second, 'IN_PROGRESS'),
      `${line(':x:', second, 'FAILED')}: Flow timeout`,
    ]);
    const closed = logger.messages.find((m) => m.msg === 'gateway connection closed') as
      { fields?: { reason?: string } } | undefined;
    assert.match(String(closed?.fields?.reason), /1001/);

    await withTimeout(b.stop(), 5000, 'bot.stop');
    assert.deepEqual(await b.done, { reason: 'stopped' });
  });
});
