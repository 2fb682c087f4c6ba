import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer, captureLogger, closed, handshake, newKey, writeKeys } from './support.js';

const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';
const EU_ARN = 'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection';
const LAB_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';

const START = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId flowOperationStatus } }`;
const FLUSH = `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId } }`;
const FIREWALL = `query($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`;
const FIREWALLS = `query($first: Int, $after: String) { firewalls(first: $first, after: $after) {
  edges { node { firewallArn } } pageInfo { hasNextPage endCursor } } }`;
const STATUS = `subscription($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus } }`;

const input = (firewallArn: string) => ({
  input: { firewallArn, availabilityZone: 'us-east-1a', flowFilters: [{ destinationPort: '443' }] },
});

const ops = newKey('ops', ['read', 'write'], [DEMO_ARN]);
const viewer = newKey('viewer', ['read'], ['arn:aws:network-firewall:*:111122223333:firewall/*']);
const writerOnly = newKey('writer-only', ['write'], [DEMO_ARN]);
const noScope = newKey('no-scope', [], [DEMO_ARN]);

function code(res: GraphQLResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.code;
}

function wsErrorCode(sub: { results: GraphQLResponse[]; error?: unknown }): unknown {
  const errors = sub.results[0]?.errors ?? (sub.error as GraphQLResponse['errors']);
  return errors?.[0]?.extensions?.code;
}

describe('AUTH_MODE=apikey', () => {
  let dir: string;
  let file: string;
  let gw: TestGateway;
  const log = captureLogger();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    file = join(dir, 'keys.json');
    writeKeys(file, [ops, viewer, writerOnly, noScope]);
    gw = await startGateway(
      {
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: file,
        AUTH_API_KEYS_POLL_MS: '50',
        SIMULATOR_OPERATION_DELAY_MS: '600000',
      },
      { logger: log.logger },
    );
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => gw.sim.log.clear());

  describe('authentication over HTTP', () => {
    it('answers 401 UNAUTHENTICATED with WWW-Authenticate to a caller without a key, reaching nothing', async () => {
      for (const [query, variables] of [
        [FIREWALL, { arn: DEMO_ARN }],
        [START, input(DEMO_ARN)],
      ] as const) {
        const res = await fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        assert.equal(res.status, 401);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
        const body = (await res.json()) as GraphQLResponse;
        assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
        assert.equal(body.data, undefined);
      }
      const get = await fetch(
        `${gw.url}?query=${encodeURIComponent('{ firewalls { edges { cursor } } }')}`,
        {
          headers: { 'apollo-require-preflight': 'true' },
        },
      );
      assert.equal(get.status, 401);
      assert.equal(gw.sim.log.count(), 0);
    });

    it('refuses a wrong key, in either header, and a non-Bearer scheme', async () => {
      const wrong = ['Bearer not-a-key', `Bearer ${ops.key}x`, `Basic ${ops.key}`];
      for (const authorization of wrong) {
        const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, { authorization });
        assert.equal(res.status, 401, authorization);
        assert.equal(code(res), 'UNAUTHENTICATED');
      }
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, { 'x-api-key': 'nope' });
      assert.equal(res.status, 401);
      assert.equal(gw.sim.log.count(), 0);
    });

    it('accepts a key as Authorization: Bearer and as x-api-key', async () => {
      for (const headers of [bearer(ops.key), { 'x-api-key': ops.key }]) {
        const res = await gw.gql<{ firewall: { firewallName: string } }>(
          FIREWALL,
          { arn: DEMO_ARN },
          undefined,
          headers,
        );
        assert.equal(res.status, 200);
        assert.deepEqual(res.errors, undefined);
        assert.equal(res.data?.firewall.firewallName, 'demo');
      }
    });
    it('refuses a key without scopes with 403 FORBIDDEN, as websockets do, even introspection', async () => {
      for (const query of ['{ __typename }', '{ __schema { queryType { name } } }', FIREWALL]) {
        const res = await gw.gql(query, { arn: DEMO_ARN }, undefined, bearer(noScope.key));
        assert.equal(res.status, 403, query);
        assert.equal(code(res), 'FORBIDDEN', query);
        assert.equal(res.data, undefined, query);
      }
      assert.equal(gw.sim.log.count(), 0);
    });
  });

  describe('authorization', () => {
    it('needs the write scope for mutations, before any AWS call', async () => {
      for (const mutation of [START, FLUSH]) {
        const res = await gw.gql(mutation, input(DEMO_ARN), undefined, bearer(viewer.key));
        assert.equal(code(res), 'FORBIDDEN', JSON.stringify(res.errors));
        assert.match(res.errors![0]!.message, /write/);
      }
      assert.equal(gw.sim.log.count(), 0);
    });

    it('needs the read scope for queries', async () => {
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(writerOnly.key));
      assert.equal(code(res), 'FORBIDDEN');
      const list = await gw.gql(FIREWALLS, {}, undefined, bearer(writerOnly.key));
      assert.equal(code(list), 'FORBIDDEN');
      assert.equal(gw.sim.log.count(), 0);
      const started = await gw.gql(START, input(DEMO_ARN), undefined, bearer(writerOnly.key));
      assert.equal(started.errors, undefined, 'write alone may start an operation');
    });

    it('refuses a mutation on a firewall outside the key patterns, naming input.firewallArn', async () => {
      const res = await gw.gql(FLUSH, input(PROD_ARN), undefined, bearer(ops.key));
      assert.equal(code(res), 'FORBIDDEN');
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'input.firewallArn');
      assert.equal(gw.sim.log.count(), 0);
      const ok = await gw.gql(START, input(DEMO_ARN), undefined, bearer(ops.key));
      assert.equal(ok.errors, undefined);
      assert.equal(gw.sim.log.count('StartFlowCapture'), 1);
    });

    it('refuses every query argument that names a firewall outside the patterns', async () => {
      const queries: [string, string][] = [
        [
          viewer.key,
          `{ flowOperation(firewallArn: "${EU_ARN}", availabilityZone: "eu-west-1a", flowOperationId: "x") { flowOperationId } }`,
        ],
        [viewer.key, `{ flowOperations(firewallArn: "${EU_ARN}") { edges { cursor } } }`],
        [viewer.key, `{ firewall(firewallArn: "${EU_ARN}") { firewallName } }`],
        // A pattern matches the whole ARN, not a prefix of it.
        [ops.key, `{ flowOperations(firewallArn: "${DEMO_ARN}x") { edges { cursor } } }`],
        [ops.key, `{ firewall(firewallArn: "${PROD_ARN}") { firewallName } }`],
      ];
      for (const [key, q] of queries) {
        const res = await gw.gql(q, {}, undefined, bearer(key));
        assert.equal(code(res), 'FORBIDDEN', q);
        assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'firewallArn');
      }
      assert.equal(gw.sim.log.count(), 0);
    });

    it('lists only the caller’s firewalls, page by page, with cursors that stay valid', async () => {
      const everything = await gw.gql<{
        firewalls: { edges: { node: { firewallArn: string } }[] };
      }>(FIREWALLS, { first: 100 }, undefined, bearer(viewer.key));
      const arns = everything.data!.firewalls.edges.map((e) => e.node.firewallArn);
      assert.deepEqual([...arns].sort(), [DEMO_ARN, LAB_ARN, PROD_ARN].sort());

      for (const first of [1, 2]) {
        const walked: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 10; page++) {
          const res: GraphQLResponse<{
            firewalls: {
              edges: { node: { firewallArn: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }> = await gw.gql(FIREWALLS, { first, after }, undefined, bearer(viewer.key));
          assert.equal(res.errors, undefined, JSON.stringify(res.errors));
          const edges = res.data!.firewalls.edges;
          assert.ok(edges.length <= first);
          walked.push(...edges.map((e) => e.node.firewallArn));
          if (!res.data!.firewalls.pageInfo.hasNextPage) break;
          after = res.data!.firewalls.pageInfo.endCursor;
        }
        assert.deepEqual(walked, arns, `first: ${first}`);
      }

      const mine = await gw.gql<{ firewalls: { edges: { node: { firewallArn: string } }[] } }>(
        FIREWALLS,
        {},
        undefined,
        bearer(ops.key),
      );
      assert.deepEqual(
        mine.data!.firewalls.edges.map((e) => e.node.firewallArn),
        [DEMO_ARN],
      );
    });

    it('refuses another caller’s firewalls cursor, whose list differs', async () => {
      const page = await gw.gql<{ firewalls: { pageInfo: { endCursor: string } } }>(
        FIREWALLS,
        { first: 1 },
        undefined,
        bearer(viewer.key),
      );
      const res = await gw.gql(
        FIREWALLS,
        { first: 1, after: page.data!.firewalls.pageInfo.endCursor },
        undefined,
        bearer(ops.key),
      );
      assert.equal(code(res), 'BAD_USER_INPUT');
    });

    it('describes and lists only the firewalls a caller may see, nested under firewalls', async () => {
      const res = await gw.gql(
        `{ firewalls(first: 5) { edges { node { availabilityZones flowOperations(first: 1, availabilityZone: "us-east-1a") { edges { cursor } } } } } }`,
        {},
        undefined,
        bearer(viewer.key),
      );
      // lab is in us-west-2, so AWS refuses its us-east-1a listing: that error is its own field's.
      assert.ok(
        (res.errors ?? []).every((e) => e.extensions?.code === 'BAD_USER_INPUT'),
        JSON.stringify(res.errors),
      );
      const called = (operation: string) =>
        gw.sim.log
          .entries()
          .filter((e) => e.operation === operation)
          .map((e) => String(e.input.FirewallArn))
          .sort();
      assert.deepEqual(called('DescribeFirewall'), [DEMO_ARN, LAB_ARN, PROD_ARN].sort());
      assert.deepEqual(called('ListFlowOperations'), [DEMO_ARN, LAB_ARN, PROD_ARN].sort());
    });
  });

  describe('websockets', () => {
    it('closes with 4403 before the ack without a key, with a wrong one, or without scopes', async () => {
      // 4403, graphql-ws's Forbidden: its clients retry with fresh connectionParams; 4401 is final.
      const cases: [Record<string, unknown> | undefined, number][] = [
        [undefined, 4403],
        [{}, 4403],
        [bearer('wrong'), 4403],
        [{ authorization: ops.key }, 4403],
        [bearer(noScope.key), 4403],
      ];
      for (const [payload, expected] of cases) {
        const result = await handshake(gw.url, payload);
        assert.equal(result.acked, false, JSON.stringify(payload));
        assert.equal(result.closeCode, expected, JSON.stringify(payload));
      }
      assert.equal(gw.sim.log.count(), 0);
    });

    it('serves a subscription on an allowed firewall and refuses others and mutations by scope', async () => {
      const started = await gw.gql<{ startFlowCapture: { flowOperationId: string } }>(
        START,
        input(DEMO_ARN),
        undefined,
        bearer(ops.key),
      );
      const id = started.data!.startFlowCapture.flowOperationId;
      const client = gw.wsClient({ connectionParams: bearer(viewer.key) });

      gw.sim.log.clear();
      const forbidden = await subscribeAll(client, STATUS, { arn: EU_ARN, az: 'eu-west-1a', id });
      assert.equal(wsErrorCode(forbidden), 'FORBIDDEN');
      const mutation = await subscribeAll(client, FLUSH, input(DEMO_ARN));
      assert.equal(wsErrorCode(mutation), 'FORBIDDEN');
      assert.equal(gw.sim.log.count(), 0);

      const statuses: string[] = [];
      const sub = await subscribeAll<{
        flowOperationStatusChanged: { flowOperationStatus: string };
      }>(
        client,
        STATUS,
        { arn: DEMO_ARN, az: DEMO_AZ, id },
        {
          onNext: (r) => {
            statuses.push(r.data!.flowOperationStatusChanged.flowOperationStatus);
            if (statuses.length === 1) gw.sim.control.completeOperation(id, 'COMPLETED');
          },
        },
      );
      assert.equal(sub.error, undefined);
      assert.deepEqual(statuses, ['IN_PROGRESS', 'COMPLETED']);
    });
  });

  describe('audit trail', () => {
    it('writes one line per mutation: who, firewall, zone, filters, operation id, outcome, request id', async () => {
      log.lines.length = 0;
      const ok = await gw.gql<{ startFlowFlush: { flowOperationId: string } }>(
        FLUSH,
        input(DEMO_ARN),
        undefined,
        { ...bearer(ops.key), 'x-request-id': 'audit-req-1' },
      );
      const id = ok.data!.startFlowFlush.flowOperationId;
      await gw.gql(FLUSH, input(PROD_ARN), undefined, {
        ...bearer(ops.key),
        'x-request-id': 'audit-req-2',
      });
      await gw.gql(START, input(DEMO_ARN), undefined, bearer(viewer.key));
      await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(ops.key));

      const audit = log.lines.filter((l) => l.audit === true);
      assert.equal(audit.length, 3, JSON.stringify(audit));
      assert.deepEqual(
        {
          action: audit[0]!.action,
          principal: audit[0]!.principal,
          firewallArn: audit[0]!.firewallArn,
          availabilityZone: audit[0]!.availabilityZone,
          flowFilters: audit[0]!.flowFilters,
          flowOperationId: audit[0]!.flowOperationId,
          outcome: audit[0]!.outcome,
          requestId: audit[0]!.requestId,
        },
        {
          action: 'startFlowFlush',
          principal: { kind: 'apikey', id: 'ops' },
          firewallArn: DEMO_ARN,
          availabilityZone: 'us-east-1a',
          flowFilters: [{ destinationPort: '443' }],
          flowOperationId: id,
          outcome: 'ok',
          requestId: 'audit-req-1',
        },
      );
      assert.equal(audit[1]!.outcome, 'FORBIDDEN');
      assert.equal(audit[1]!.firewallArn, PROD_ARN);
      assert.equal(audit[1]!.requestId, 'audit-req-2');
      assert.equal(audit[1]!.flowOperationId, undefined);
      assert.deepEqual(audit[2]!.principal, { kind: 'apikey', id: 'viewer' });
      assert.equal(audit[2]!.outcome, 'FORBIDDEN');
      assert.ok(
        !JSON.stringify(log.lines).includes(ops.key),
        'no key in clear anywhere in the logs',
      );
    });
  });

  describe('key rotation', () => {
    it('picks up a changed file, keeps the last good keys on a broken one, and cuts off revoked keys', async () => {
      const late = newKey('late', ['read'], [DEMO_ARN]);
      const socket = await handshake(gw.url, bearer(ops.key));
      assert.equal(socket.acked, true);
      const socketClosed = closed(socket.socket, 5000);

      writeKeys(file, [ops, viewer, writerOnly, noScope, late]);
      await waitFor(async () => {
        const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(late.key));
        return res.status === 200 || undefined;
      });

      log.lines.length = 0;
      writeFileSync(file, '{"keys": [ {"name": "half-writ');
      await waitFor(() => log.lines.some((l) => l.level === 'error') || undefined);
      const still = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(late.key));
      assert.equal(still.status, 200, 'the previous keys stay in force');

      // Rotation: the old `ops` key goes; its open websocket goes with it.
      const rotated = newKey('ops', ['read', 'write'], [DEMO_ARN]);
      writeKeys(file, [rotated, viewer, writerOnly, noScope, late]);
      assert.equal(await socketClosed, 4403);
      const old = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(ops.key));
      assert.equal(old.status, 401);
      const fresh = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(rotated.key));
      assert.equal(fresh.status, 200);
      writeKeys(file, [ops, viewer, writerOnly, noScope]);
      await waitFor(async () => {
        const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(ops.key));
        return res.status === 200 || undefined;
      });
    });
  });
});

describe('AUTH_MODE=apikey: reload on SIGHUP, rate limits, start-up', () => {
  let dir: string;
  let file: string;
  let gw: TestGateway;
  const a = newKey('a', ['read'], [DEMO_ARN]);
  const b = newKey('b', ['read'], [DEMO_ARN]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    file = join(dir, 'keys.json');
    writeKeys(file, [a, b]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
      AUTH_API_KEYS_POLL_MS: '0',
      RATE_LIMIT_PER_MINUTE: '3',
    });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // main.ts calls reload() on SIGHUP: test/main.test.ts sends the real signal to a process.
  it('reloads the keys file on reload() when polling is off', async () => {
    const c = newKey('c', ['read'], [DEMO_ARN]);
    writeKeys(file, [a, b, c]);
    const before = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(c.key));
    assert.equal(before.status, 401, 'not picked up without polling');
    gw.server.reload();
    const after = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(c.key));
    assert.equal(after.status, 200);
  });

  it('limits each caller to RATE_LIMIT_PER_MINUTE with 429, Retry-After and retryAfterSeconds', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(a.key));
      assert.equal(res.status, 200);
    }
    gw.sim.log.clear();
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(a.key) },
      body: JSON.stringify({ query: FIREWALL, variables: { arn: DEMO_ARN } }),
    });
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    // A fixed window of a minute (rate-limiter-flexible): the wait is what is left of it.
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const body = (await res.json()) as GraphQLResponse;
    assert.equal(body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(body.errors?.[0]?.extensions?.retryAfterSeconds, retryAfter);
    assert.equal(gw.sim.log.count(), 0);

    const other = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(b.key));
    assert.equal(other.status, 200, 'another caller has a bucket of its own');
  });

  it('rate limits failed attempts by client address, so keys cannot be guessed at speed', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(`guess${i}`))).status,
      );
    }
    // The SIGHUP test's refused attempt came from this address too: at most 3 in all get a 401.
    assert.deepEqual(statuses.slice(2), [429, 429, 429]);
    assert.ok(
      statuses.every((s) => s === 401 || s === 429),
      String(statuses),
    );
  });

  it('refuses to start with a missing or invalid keys file', async () => {
    await assert.rejects(
      startGateway({ AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: join(dir, 'missing.json') }),
      /AUTH_API_KEYS_FILE/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ keys: [{ name: 'x', key: 'clear', scopes: ['read'], firewalls: [] }] }),
    );
    await assert.rejects(
      startGateway({ AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: bad }),
      /in clear/,
    );
    await assert.rejects(startGateway({ AUTH_MODE: 'apikey' }), /AUTH_API_KEYS_FILE/);
  });
});
