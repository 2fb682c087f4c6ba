import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer } from '../auth/support.js';
import { keys, startKeyedSubgraph } from './support.js';

const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on FlowOperation { id flowOperationId flowOperationStatus }
  ... on Firewall { firewallArn firewallName } } }`;

type Entity = Record<string, unknown> | null;
type Entities = GraphQLResponse<{ _entities: Entity[] }>;

const START = `mutation($input: StartFlowOperationInput!) {
  startFlowCapture(input: $input) { id flowOperationId } }`;

interface Started {
  id: string;
  flowOperationId: string;
}

async function start(gw: TestGateway, firewallArn = DEMO_ARN, headers = {}): Promise<Started> {
  const res = await gw.gql<{ startFlowCapture: Started }>(
    START,
    {
      input: { firewallArn, availabilityZone: DEMO_AZ, flowFilters: [{ destinationPort: '443' }] },
    },
    undefined,
    headers,
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.startFlowCapture;
}

const byId = (op: Started) => ({ __typename: 'FlowOperation', id: op.id });
const byNaturalKey = (op: Started, firewallArn = DEMO_ARN) => ({
  __typename: 'FlowOperation',
  firewallArn,
  availabilityZone: DEMO_AZ,
  flowOperationId: op.flowOperationId,
});

function codes(res: GraphQLResponse<unknown>): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe('FEDERATION=true: the subgraph schema', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ FEDERATION: 'true', SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  it('serves _service.sdl with the Federation 2 @link and the entity keys', async () => {
    const res = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    assert.equal(res.errors, undefined);
    const sdl = res.data!._service.sdl;
    assert.match(sdl, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    assert.match(sdl, /extend type Firewall\s+@key\(fields: "firewallArn"\)/);
    assert.match(sdl, /@key\(fields: "id"\)/);
    assert.match(sdl, /@key\(fields: "firewallArn availabilityZone flowOperationId"\)/);
    assert.match(sdl, /@key\(fields: "firewallArn vpcEndpointId flowOperationId"\)/);
    assert.match(sdl, /@key\(fields: "firewallArn vpcEndpointAssociationArn flowOperationId"\)/);
    assert.equal(gw.sim.log.count(), 0);
  });

  it('sends no inline trace (ftv1) to a caller who asks for one', async () => {
    const res = await gw.gql(ENTITIES, { representations: [] }, undefined, {
      'apollo-federation-include-trace': 'ftv1',
    });
    assert.equal(res.errors, undefined);
    assert.equal((res as { extensions?: { ftv1?: unknown } }).extensions?.ftv1, undefined);
  });

  it('resolves 100 representations of 10 operations with exactly 10 DescribeFlowOperation calls', async () => {
    const ops: Started[] = [];
    for (let i = 0; i < 10; i++) ops.push(await start(gw));
    // Every operation ten times, by id and by natural key alternately, interleaved.
    const representations = Array.from({ length: 100 }, (_, i) => {
      const op = ops[i % 10]!;
      return i % 2 === 0 ? byId(op) : byNaturalKey(op);
    });
    gw.sim.log.clear();
    const res: Entities = await gw.gql(ENTITIES, { representations });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!._entities.length, 100);
    res.data!._entities.forEach((entity, i) => {
      const op = ops[i % 10]!;
      // Either key gives the same object, with the same global id.
      assert.deepEqual(entity, {
        __typename: 'FlowOperation',
        id: op.id,
        flowOperationId: op.flowOperationId,
        flowOperationStatus: 'IN_PROGRESS',
      });
    });
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 10);
    assert.equal(gw.sim.log.count(), 10);
  });

  it('resolves a Firewall stub by ARN through the DescribeFirewall loader', async () => {
    const res: Entities = await gw.gql(ENTITIES, {
      representations: [
        { __typename: 'Firewall', firewallArn: DEMO_ARN },
        { __typename: 'Firewall', firewallArn: DEMO_ARN },
      ],
    });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const demo = { __typename: 'Firewall', firewallArn: DEMO_ARN, firewallName: 'demo' };
    assert.deepEqual(res.data!._entities, [demo, demo]);
    assert.equal(gw.sim.log.count('DescribeFirewall'), 1);
    assert.equal(gw.sim.log.count(), 1);
  });

  it('refuses malformed representations with BAD_USER_INPUT before any AWS call', async () => {
    const cases: [unknown[], string][] = [
      [[{ __typename: 'Team', name: 'x' }], 'representations[0]'],
      [[byNaturalKey({ id: '', flowOperationId: 'x' }), 'nope'], 'representations[1]'],
      [[{ __typename: 'Firewall', firewallArn: 42 }], 'representations.firewallArn'],
      [[{ __typename: 'FlowOperation', id: 'forged' }], 'representations.id'],
      [
        [
          {
            __typename: 'FlowOperation',
            firewallArn: DEMO_ARN,
            flowOperationId: 'x'.repeat(10_000),
          },
        ],
        'flowOperationId',
      ],
    ];
    for (const [representations, argumentPath] of cases) {
      const res: Entities = await gw.gql(ENTITIES, { representations });
      assert.deepEqual(codes(res), ['BAD_USER_INPUT'], JSON.stringify(res.errors));
      assert.equal(res.errors![0]!.extensions?.argumentPath, argumentPath);
      // Caller text is clipped in the message.
      assert.ok(res.errors![0]!.message.length < 300, res.errors![0]!.message);
    }
    assert.equal(gw.sim.log.count(), 0);
  });

  it('counts representations in the query cost: 1,000 of them are refused as QUERY_TOO_COMPLEX before any AWS call', async () => {
    const op = await start(gw);
    gw.sim.log.clear();
    const res: Entities = await gw.gql(ENTITIES, {
      representations: Array.from({ length: 1000 }, () => byNaturalKey(op)),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(codes(res), ['QUERY_TOO_COMPLEX']);
    assert.equal(res.errors![0]!.extensions?.cost, 1000);
    assert.equal(gw.sim.log.count(), 0);
  });
});

describe('FEDERATION unset: the standalone schema', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('has no _service nor _entities', async () => {
    const res = await gw.gql('{ _service { sdl } }');
    assert.deepEqual(codes(res), ['GRAPHQL_VALIDATION_FAILED']);
    const entities: Entities = await gw.gql(ENTITIES, { representations: [] });
    assert.ok(entities.errors?.length);
    assert.deepEqual(new Set(codes(entities)), new Set(['GRAPHQL_VALIDATION_FAILED']));
  });
});

describe('FEDERATION=true: representations beyond the router batch limits', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({
      FEDERATION: 'true',
      MAX_QUERY_COST: '1000000',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
  });
  after(() => gw.close());

  it('refuses more than 1,000 representations with BAD_USER_INPUT, whatever MAX_QUERY_COST allows', async () => {
    const op = await start(gw);
    gw.sim.log.clear();
    const res: Entities = await gw.gql(ENTITIES, {
      representations: Array.from({ length: 1001 }, () => byNaturalKey(op)),
    });
    assert.deepEqual(codes(res), ['BAD_USER_INPUT']);
    assert.equal(res.data, null);
    assert.equal(gw.sim.log.count(), 0);
  });
});

describe('FEDERATION=true under AUTH_MODE=apikey', () => {
  const { ops, demoOnly } = keys;
  let subgraph: Awaited<ReturnType<typeof startKeyedSubgraph>>;
  let gw: TestGateway;
  before(async () => {
    subgraph = await startKeyedSubgraph({
      MAX_QUERY_COST: '100000',
      UPSTREAM_CALLS_PER_MINUTE: '1500',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
    gw = subgraph.gw;
  });
  after(() => subgraph.close());

  it('authorizes each representation like any read: what the caller may not see is null with FORBIDDEN, and never loaded', async () => {
    const prodOp = await start(gw, PROD_ARN, bearer(ops.key));
    const demoOp = await start(gw, DEMO_ARN, bearer(ops.key));
    gw.sim.log.clear();
    const res: Entities = await gw.gql(
      ENTITIES,
      {
        representations: [
          byId(demoOp),
          byId(prodOp),
          byNaturalKey(prodOp, PROD_ARN),
          { __typename: 'Firewall', firewallArn: PROD_ARN },
          { __typename: 'Firewall', firewallArn: DEMO_ARN },
        ],
      },
      undefined,
      bearer(demoOnly.key),
    );
    const [demo, prodById, prodByKey, prodFirewall, demoFirewall] = res.data!._entities;
    assert.equal(demo?.flowOperationId, demoOp.flowOperationId);
    assert.equal(prodById, null);
    assert.equal(prodByKey, null);
    assert.equal(prodFirewall, null);
    assert.equal(demoFirewall?.firewallName, 'demo');
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [
        [['_entities', 1], 'FORBIDDEN'],
        [['_entities', 2], 'FORBIDDEN'],
        [['_entities', 3], 'FORBIDDEN'],
      ],
    );
    // A refusal by id does not say what the id names.
    assert.doesNotMatch(res.errors[0]!.message, /prod-egress/);
    // Only what the caller may see was loaded.
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    assert.equal(gw.sim.log.count('DescribeFirewall'), 1);
    assert.equal(gw.sim.log.count(), 2);
  });

  it("charges a 1,000-representation batch to the caller's AWS call budget, and gives back what it did not spend", async () => {
    const op = await start(gw, DEMO_ARN, bearer(ops.key));
    gw.sim.log.clear();
    const res = (await gw.gql(
      ENTITIES,
      { representations: Array.from({ length: 1000 }, () => byId(op)) },
      undefined,
      bearer(ops.key),
    )) as Entities & { extensions?: { upstreamBudget?: { cost: number; spent: number } } };
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!._entities.length, 1000);
    assert.deepEqual(
      res.extensions?.upstreamBudget && {
        cost: res.extensions.upstreamBudget.cost,
        spent: res.extensions.upstreamBudget.spent,
      },
      { cost: 1000, spent: 1 },
    );
    assert.equal(gw.sim.log.count(), 1);
  });

  it('refuses a batch costing more than UPSTREAM_CALLS_PER_MINUTE, before any AWS call', async () => {
    const op = await start(gw, DEMO_ARN, bearer(ops.key));
    gw.sim.log.clear();
    // Each representation asks for its flows: 1 + a page of results, 1,000 times.
    const res: Entities = await gw.gql(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on FlowOperation { flows(first: 5) { edges { cursor } } } } }`,
      { representations: Array.from({ length: 1000 }, () => byId(op)) },
      undefined,
      bearer(ops.key),
    );
    assert.deepEqual(codes(res), ['QUERY_TOO_COMPLEX']);
    assert.equal(res.errors![0]!.extensions?.cost, 2000);
    assert.equal(gw.sim.log.count(), 0);
  });
});
