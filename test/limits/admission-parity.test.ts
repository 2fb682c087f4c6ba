import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, newKey, writeKeys } from '../auth/support.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

type Refusal = { message: string; extensions?: Record<string, unknown> };

const OPS = `flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}"`;
const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

/** One over-limit document per row, with the refusal both transports must give for it. */
const ROWS: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  code: string;
  status: number;
}[] = [
  {
    name: 'more tokens than MAX_QUERY_TOKENS',
    query: `{ ${Array.from({ length: 250 }, () => '__typename').join(' ')} }`,
    code: 'GRAPHQL_PARSE_FAILED',
    status: 400,
  },
  {
    name: 'not valid against the schema',
    query: `{ firewall(firewallArn: "${DEMO_ARN}") { nope } }`,
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    // Websockets measured the cost before validating, so this was QUERY_TOO_COMPLEX there only.
    name: 'invalid and costlier than MAX_QUERY_COST',
    query: `{ ${OPS}, first: 30) { edges { node { statusMessage nope } } } }`,
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    // Websockets worded it without graphql-js's closing period.
    name: 'naming an operation the document lacks',
    query: 'query A { __typename } query B { __typename }',
    operationName: 'C',
    code: 'OPERATION_RESOLUTION_FAILURE',
    status: 400,
  },
  {
    name: 'variables deeper than MAX_VARIABLE_DEPTH',
    query: `query($arn: String!) { firewall(firewallArn: $arn) { firewallArn } }`,
    variables: { arn: nested(40) },
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'deeper than MAX_QUERY_DEPTH',
    query: `{ flowOperation(firewallArn: "${DEMO_ARN}", flowOperationId: "x") {
      flows { edges { node { sourceAddress { addressDefinition } } } } } }`,
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'costlier than MAX_QUERY_COST',
    query: `{ ${OPS}, first: 30) { edges { node { statusMessage } } } }`,
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'costlier than the whole UPSTREAM_CALLS_PER_MINUTE budget',
    query: `{ ${OPS}, first: 15) { edges { node { statusMessage } } } }`,
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
];

/** What a client reads of a refusal: its message and extensions (HTTP's status aside). */
const overHttp = async (
  gw: TestGateway,
  row: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers?: Record<string, string>,
): Promise<{ status: number; error: Refusal | undefined }> => {
  const res: GraphQLResponse = await gw.gql(row.query, row.variables, row.operationName, headers);
  assert.equal(res.errors?.length, 1, JSON.stringify(res.errors));
  return { status: res.status, error: res.errors?.[0] };
};

const overWebSocket = async (
  gw: TestGateway,
  row: { query: string; variables?: Record<string, unknown>; operationName?: string },
  connectionParams?: Record<string, unknown>,
): Promise<Refusal | undefined> => {
  const client = gw.wsClient(connectionParams ? { connectionParams } : {});
  const sub = await subscribeAll(client, row.query, row.variables ?? {}, {
    ...(row.operationName ? { operationName: row.operationName } : {}),
  });
  const errors = (sub.results[0]?.errors ?? sub.error) as Refusal[] | undefined;
  assert.ok(Array.isArray(errors), `an error message, got ${JSON.stringify(sub)}`);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  return errors[0];
};

// Issue 15: websockets re-implemented parse, validation and the limits by hand, and drifted (the
// cost came before validation, operation errors lacked graphql-js's wording). Both now call
// src/admission, so each over-limit document gets one refusal whichever way it comes.
describe('one admission path: the same refusal over HTTP and websockets', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      MAX_QUERY_TOKENS: '200',
      MAX_QUERY_DEPTH: '5',
      MAX_QUERY_COST: '20',
      UPSTREAM_CALLS_PER_MINUTE: '15',
    });
  });
  after(() => gw.close());

  for (const row of ROWS) {
    it(`${row.name}: ${row.code}`, async () => {
      const http = await overHttp(gw, row);
      const ws = await overWebSocket(gw, row);
      assert.equal(http.status, row.status);
      assert.equal(http.error?.extensions?.code, row.code);
      assert.deepEqual(ws, http.error);
      assert.equal(gw.sim.log.count(), 0, 'no AWS call');
    });
  }
});

describe('one admission path when the AWS call budget is spent', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ UPSTREAM_CALLS_PER_MINUTE: '15' });
  });
  after(() => gw.close());

  it('an operation costing more than is left: RATE_LIMITED', async () => {
    // 12 firewalls that do not exist: 12 DescribeFirewall calls really made, so 3 are left.
    const spend = Array.from(
      { length: 12 },
      (_, i) => `a${i}: firewall(firewallArn: "${DEMO_ARN}-${i}") { firewallName }`,
    ).join(' ');
    const spent = (await gw.gql(`{ ${spend} }`)) as { extensions?: Record<string, unknown> };
    assert.deepEqual(spent.extensions?.upstreamBudget, { cost: 12, spent: 12, remaining: 3 });
    const row = {
      query: `{ ${Array.from({ length: 5 }, (_, i) => `b${i}: firewall(firewallArn: "${DEMO_ARN}") { firewallName }`).join(' ')} }`,
    };
    const calls = gw.sim.log.count();
    const http = await overHttp(gw, row);
    const ws = await overWebSocket(gw, row);
    assert.equal(http.status, 429);
    assert.equal(http.error?.extensions?.code, 'RATE_LIMITED');
    // The same refusal, but for the seconds left of the minute, which may tick between the two.
    const timeless = (e: Refusal | undefined) => ({
      message: e?.message.replace(/\d+ s$/, 'N s'),
      extensions: { ...e?.extensions, retryAfterSeconds: undefined },
    });
    assert.deepEqual(timeless(ws), timeless(http.error));
    const seconds = (e: Refusal | undefined) => Number(e?.extensions?.retryAfterSeconds);
    assert.ok(Math.abs(seconds(ws) - seconds(http.error)) <= 1);
    assert.equal(gw.sim.log.count(), calls, 'no AWS call');
  });
});

describe('one admission path under TRUSTED_DOCUMENTS=enforce', () => {
  let dir: string;
  let gw: TestGateway;
  const app = newKey('app', ['read'], [DEMO_ARN]);
  const trusted = `query Firewall { firewall(firewallArn: "${DEMO_ARN}") { firewallName } }`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-admission-'));
    writeKeys(join(dir, 'keys.json'), [app]);
    const manifest = join(dir, 'manifest.json');
    const hash = createHash('sha256').update(trusted).digest('hex');
    writeFileSync(manifest, JSON.stringify({ [hash]: trusted }));
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: join(dir, 'keys.json'),
      TRUSTED_DOCUMENTS: 'enforce',
      TRUSTED_DOCUMENTS_FILE: manifest,
    });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a document not in the manifest: PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const row = { query: `{ firewall(firewallArn: "${DEMO_ARN}") { firewallArn } }` };
    const http = await overHttp(gw, row, bearer(app.key));
    const ws = await overWebSocket(gw, row, bearer(app.key));
    assert.equal(http.error?.extensions?.code, 'PERSISTED_QUERY_NOT_ALLOWED');
    assert.deepEqual(ws, http.error);
    assert.equal(gw.sim.log.count(), 0, 'no AWS call');
  });
});
