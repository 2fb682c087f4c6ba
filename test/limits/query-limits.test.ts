import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema as buildSdl, parse } from 'graphql';
import { ConfigError, loadConfig } from '../../src/config.js';
import { complexityError, measureComplexity } from '../../src/admission/complexity.js';
import { MAX_EXPANDED_SELECTIONS } from '../../src/limits/query-shape.js';
import { buildSchema } from '../../src/schema.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/process.js';
import { MAX_REPRESENTATIONS } from '../../src/federation/entities.js';

const schema = buildSchema();
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  measureComplexity(schema, parse(query), undefined, variables);

const OPS = `flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}"`;

describe('query cost and depth', () => {
  it('counts each field that may call AWS, times the page sizes above it', () => {
    // The README's first example: a list, a describe and a nested list per firewall.
    const readme =
      cost(`{ firewalls(first: 10) { edges { node { firewallArn firewallName availabilityZones
        flowOperations(availabilityZone: "us-east-1a", first: 5) { edges { node {
          flowOperationId flowOperationType flowOperationStatus flowRequestTimestamp } } } } } } }`);
    assert.deepEqual(
      { cost: readme?.cost, depth: readme?.depth },
      { cost: 1 + 10 * (1 + 1), depth: 7 },
    );
    // A list item lacks the filters and the message: each may be a describe, per item.
    assert.equal(
      cost(
        `{ ${OPS}, first: 10) { edges { node { statusMessage flowFilters { destinationPort } } } } }`,
      )?.cost,
      1 + 10 * 2,
    );
    assert.equal(cost(`{ ${OPS}) { edges { node { flowOperationId } } } }`)?.cost, 1);
    // Connections default to their own page sizes: 20 operations, 100 flows.
    assert.equal(cost(`{ ${OPS}) { edges { node { statusMessage } } } }`)?.cost, 1 + 20);
    assert.equal(
      cost(
        `{ flowOperation(firewallArn: "${DEMO_ARN}", flowOperationId: "x") { flows { edges { cursor } } } }`,
      )?.cost,
      2,
    );
  });

  it('counts aliases, variables, fragments and every root field', () => {
    const aliases = Array.from(
      { length: 30 },
      (_, i) =>
        `a${i}: flowOperation(firewallArn: "${DEMO_ARN}", flowOperationId: "x") { flowOperationStatus }`,
    ).join('\n');
    assert.equal(cost(`{ ${aliases} }`)?.cost, 30);
    assert.equal(
      cost(`query($n: Int) { ${OPS}, first: $n) { edges { node { statusMessage } } } }`, { n: 50 })
        ?.cost,
      51,
    );
    assert.equal(
      cost(`query($n: Int = 7) { ${OPS}, first: $n) { edges { node { statusMessage } } } }`)?.cost,
      8,
    );
    assert.equal(
      cost(`{ ${OPS}, first: 4) { edges { node { ...F ... on FlowOperation { minimumFlowAgeInSeconds } } } } }
        fragment F on FlowOperation { statusMessage flowFilters { protocols } }`)?.cost,
      1 + 4 * 3,
    );
    assert.equal(
      cost(`mutation { a: startFlowCapture(input: { firewallArn: "x", flowFilters: [] }) { statusMessage }
        b: startFlowFlush(input: { firewallArn: "x", flowFilters: [] }) { flowOperationId } }`)
        ?.cost,
      3,
    );
  });

  it('counts node once and nodes once per id, with what each is asked, through interface fragments', () => {
    assert.equal(cost(`query($id: ID!) { node(id: $id) { id } }`, { id: 'x' })?.cost, 1);
    assert.equal(
      cost(
        `query($id: ID!) { node(id: $id) { id ... on FlowOperation { flows(first: 10) { edges { cursor } } } } }`,
        { id: 'x' },
      )?.cost,
      1 + 1,
    );
    const ids = Array.from({ length: 40 }, (_, i) => `id${i}`);
    assert.equal(
      cost(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ...F } }
        fragment F on Node { ... on FlowOperation { statusMessage flowFilters { protocols } } }`,
        { ids },
      )?.cost,
      40 + 40 * 2,
    );
    assert.equal(cost(`{ nodes(ids: ["a", "b", "c"]) { id } }`)?.cost, 3);
    // Past the bound `nodes` refuses anyway; the measure stops at it.
    assert.equal(
      cost(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [...ids, ...ids, ...ids] })
        ?.cost,
      100,
    );
  });

  it('refuses fragments spread into more than MAX_EXPANDED_SELECTIONS, counted in linear time', () => {
    const leaf = `fragment F39 on Query { ${OPS}) { edges { node { flowOperationId } } } }`;
    const single = cost(`{ ...F39 } ${leaf}`)!;
    // Each fragment spreads the next one twice: 2^39 paths to the leaf, 40 fragments to count.
    const chain = Array.from(
      { length: 39 },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const diamond = cost(`{ ...F0 } ${chain} ${leaf}`)!;
    assert.ok(diamond.selections > 2 ** 39, 'every path counts');
    assert.equal(diamond.depth, single.depth);
    const refusal = complexityError(diamond, { maxQueryCost: 1e6, maxQueryDepth: 15 });
    assert.equal(refusal?.extensions.code, 'QUERY_TOO_COMPLEX');
    assert.equal(refusal?.extensions.maxSelections, MAX_EXPANDED_SELECTIONS);
  });

  it('honours @skip and @include: a skipped field costs nothing (it was charged 11)', () => {
    const op = (directive: string) =>
      `query($s: Boolean!) { ${OPS}, first: 10) { edges { node { flowOperationId statusMessage ${directive} } } } }`;
    assert.equal(cost(op('@skip(if: true)'), { s: true })?.cost, 1);
    assert.equal(cost(op('@skip(if: $s)'), { s: true })?.cost, 1);
    assert.equal(cost(op('@skip(if: $s)'), { s: false })?.cost, 11);
    assert.equal(cost(op('@include(if: $s)'), { s: false })?.cost, 1);
    assert.equal(cost(op('@include(if: $s)'), { s: true })?.cost, 11);
  });

  it('charges an object of an interface once, for the dearest of its possible types', () => {
    // A node is a Firewall or a FlowOperation, never both: the old walker added both fragments.
    assert.equal(
      cost(
        `query($id: ID!) { node(id: $id) { ... on Firewall { status vpcId } ... on FlowOperation { statusMessage } } }`,
        { id: 'x' },
      )?.cost,
      1 + 2,
    );
  });

  it('counts Query._entities(representations:) like nodes(ids:), once per representation', () => {
    const federated = buildSdl(`
      scalar _Any
      union _Entity = FlowOperation
      type FlowOperation { flowOperationId: ID! statusMessage: String }
      type Query { _entities(representations: [_Any!]!): [_Entity]! }
    `);
    const entities = (n: number) =>
      measureComplexity(
        federated,
        parse(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on FlowOperation { statusMessage } } }`,
        ),
        undefined,
        { r: Array.from({ length: n }, (_, i) => ({ __typename: 'FlowOperation', id: i })) },
      )?.cost;
    assert.equal(entities(3), 3 + 3);
    assert.equal(entities(250), 250 + 250);
    // Bounded as nodes(ids:) is, at a router's larger batch (MAX_REPRESENTATIONS).
    assert.equal(entities(MAX_REPRESENTATIONS + 5), 2 * MAX_REPRESENTATIONS);
  });

  it('terminates on fragment cycles and leaves introspection out', () => {
    assert.ok(cost(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`));
    const introspection = cost(
      `{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`,
    );
    assert.deepEqual(
      { cost: introspection?.cost, depth: introspection?.depth },
      { cost: 0, depth: 0 },
    );
  });
});

describe('limits enforced by a gateway, before any AWS call', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ MAX_QUERY_DEPTH: '5', MAX_QUERY_TOKENS: '2000' });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  it('refuses an operation above MAX_QUERY_COST with QUERY_TOO_COMPLEX and 400', async () => {
    const res = await gw.gql(
      `query($n: Int) { ${OPS}, first: $n) { edges { node { statusMessage flowFilters { protocols } } } } }`,
      { n: 100 },
    );
    assert.equal(res.status, 400);
    assert.equal(res.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.equal(res.errors?.[0]?.extensions?.cost, 201);
    assert.equal(res.errors?.[0]?.extensions?.maxCost, 100);
    assert.equal(res.data, undefined);

    const aliases = Array.from(
      { length: 101 },
      (_, i) => `a${i}: firewall(firewallArn: "${DEMO_ARN}") { firewallName }`,
    ).join(' ');
    const many = await gw.gql(`{ ${aliases} }`);
    assert.equal(many.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.equal(gw.sim.log.count(), 0);

    const fine = await gw.gql(
      `query($n: Int) { ${OPS}, first: $n) { edges { node { statusMessage } } } }`,
      { n: 99 },
    );
    assert.equal(fine.errors, undefined);
  });

  it('refuses an operation deeper than MAX_QUERY_DEPTH', async () => {
    const res = await gw.gql(
      `{ flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "x") {
        flows { edges { node { sourceAddress { addressDefinition } } } } } }`,
    );
    assert.equal(res.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    assert.equal(res.errors?.[0]?.extensions?.depth, 6);
    assert.equal(res.errors?.[0]?.extensions?.maxDepth, 5);
    assert.equal(gw.sim.log.count(), 0);
  });

  it('stops parsing past MAX_QUERY_TOKENS', async () => {
    const fields = Array.from({ length: 2100 }, () => '__typename').join(' ');
    const res = await gw.gql(`{ ${fields} }`);
    assert.equal(res.status, 400);
    assert.equal(res.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
    assert.match(res.errors[0].message, /more tha[nt] 2000 tokens/);
  });

  it('applies the same limits to operations over websockets', async () => {
    const client = gw.wsClient();
    const costly = Array.from(
      { length: 101 },
      (_, i) => `a${i}: firewall(firewallArn: "${DEMO_ARN}") { firewallName }`,
    ).join(' ');
    const errorCode = (sub: { results: GraphQLResponse[]; error?: unknown }) =>
      (sub.results[0]?.errors ?? (sub.error as GraphQLResponse['errors']))?.[0]?.extensions?.code;
    // A query over the socket runs like an HTTP request, and is refused like one.
    assert.equal(errorCode(await subscribeAll(client, `{ ${costly} }`, {})), 'QUERY_TOO_COMPLEX');
    const long = `subscription { ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;
    assert.equal(errorCode(await subscribeAll(client, long, {})), 'GRAPHQL_PARSE_FAILED');
    assert.equal(gw.sim.log.count(), 0);
  });

  it('answers 413 in JSON to a body above BODY_LIMIT, and 400 in JSON to a body that is not JSON', async () => {
    const big = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ __typename }`,
        variables: { pad: 'x'.repeat(1024 * 1024) },
      }),
    });
    assert.equal(big.status, 413);
    const bigBody = (await big.json()) as GraphQLResponse;
    assert.equal(bigBody.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    assert.match(bigBody.errors[0].message, /BODY_LIMIT/);

    const broken = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    assert.equal(broken.status, 400);
    assert.match(broken.headers.get('content-type') ?? '', /json/);
    const brokenBody = (await broken.json()) as GraphQLResponse;
    assert.equal(brokenBody.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    assert.doesNotMatch(JSON.stringify(brokenBody), /node_modules|at JSON\.parse/);
  });

  it('keeps CSRF prevention on: no mutation over GET, no simple-request content types', async () => {
    const mutation = `mutation { startFlowFlush(input: { firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowFilters: [{ destinationPort: "443" }] }) { flowOperationId } }`;
    const get = await fetch(`${gw.url}?query=${encodeURIComponent(mutation)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    assert.equal(get.status, 405);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await fetch(gw.url, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify({ query: mutation }),
      });
      assert.equal(res.status, 400, type);
      const body = (await res.json()) as GraphQLResponse;
      assert.match(body.errors![0]!.message, /CSRF/, type);
    }
    // A simple GET (no preflight header) is refused even for a query.
    const simple = await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`);
    assert.equal(simple.status, 400);
    assert.equal(gw.sim.log.count(), 0);
  });
});

describe('secure defaults', () => {
  it('refuses to load a real-AWS configuration without AUTH_MODE, naming it', () => {
    assert.throws(
      () => loadConfig({ NFW_BACKEND: 'aws' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'AUTH_MODE',
    );
    assert.equal(loadConfig({ NFW_BACKEND: 'aws', AUTH_MODE: 'none' }).auth.mode, 'none');
    assert.equal(loadConfig({}).auth.mode, 'none', 'the simulator defaults to none');
    assert.equal(loadConfig({}).limits.rateLimitPerMinute, 0);
    assert.equal(
      loadConfig({ AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: '/k.json' }).limits.rateLimitPerMinute,
      600,
    );
    assert.throws(() => loadConfig({ AUTH_MODE: 'open' }), /AUTH_MODE/);
  });

  it('the process exits with code 2 and a message naming AUTH_MODE', async () => {
    await assert.rejects(
      spawnGateway({ NFW_BACKEND: 'aws', AWS_REGION: 'us-east-1' }),
      (error: Error) => /exited with 2/.test(error.message) && /AUTH_MODE/.test(error.message),
    );
  });
});
