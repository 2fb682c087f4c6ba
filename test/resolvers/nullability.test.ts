import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isListType, isNonNullType, isObjectType } from 'graphql';
import type { GraphQLField } from 'graphql';
import { LOADING_FIELDS } from '../../src/limits/query-cost.js';
import { buildSchema } from '../../src/schema.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

describe('nullability: every field that calls AWS on its own is nullable', () => {
  // `firewalls` never fails on AWS: each failed source is reported beside the others' firewalls.
  const NON_NULL_BY_DESIGN = new Set(['Query.firewalls']);
  // Only in the federation subgraph's schema; charged like `nodes` wherever it exists.
  const FEDERATION_ONLY = new Set(['Query._entities']);

  it('the fields the cost model knows to load from AWS', () => {
    const schema = buildSchema();
    const checked: string[] = [];
    for (const [typeName, fields] of Object.entries(LOADING_FIELDS)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) return assert.fail(`${typeName} is an object type`);
      for (const name of Object.keys(fields)) {
        if (FEDERATION_ONLY.has(`${typeName}.${name}`) && !type.getFields()[name]) continue;
        const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[name];
        assert.ok(field, `${typeName}.${name}`);
        const key = `${typeName}.${name}`;
        if (NON_NULL_BY_DESIGN.has(key)) continue;
        // A list whose items are nullable (`nodes: [Node]!`): each item fails alone.
        const inner = isNonNullType(field.type) ? field.type.ofType : undefined;
        if (isListType(inner) && !isNonNullType(inner.ofType)) continue;
        assert.equal(isNonNullType(field.type), false, `${key} is nullable`);
        checked.push(key);
      }
    }
    assert.ok(checked.includes('Firewall.availabilityZones'));
    assert.ok(checked.includes('FlowOperation.flows'));
  });
});

// A field that calls AWS under a list is nullable: one failed call nulls that field alone, with
// an error at its path, and the rest of the response is intact. AccessDenied is not retried, so
// `denyNext: 1` fails exactly one call.
describe('one failed AWS call under a list nulls its own field only', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });

  it('Firewall.availabilityZones: one DescribeFirewall fails, every firewall is listed', async () => {
    gw.sim.faults.set({ denyNext: 1, operations: ['DescribeFirewall'] });
    const res = await gw.gql<{
      firewalls: {
        edges: { node: { firewallName: string; availabilityZones: string[] | null } }[];
      };
    }>(`{ firewalls(first: 10) { edges { node { firewallName availabilityZones } } } }`);
    assert.equal(gw.sim.log.count('DescribeFirewall'), 4);
    const nodes = res.data!.firewalls.edges.map((e) => e.node);
    assert.deepEqual(
      nodes.map((n) => n.firewallName),
      ['demo', 'prod-egress', 'eu-inspection', 'lab'],
    );
    const failed = nodes.findIndex((n) => n.availabilityZones === null);
    assert.ok(failed >= 0);
    assert.equal(nodes.filter((n) => n.availabilityZones === null).length, 1);
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [[['firewalls', 'edges', failed, 'node', 'availabilityZones'], 'UPSTREAM_ERROR']],
    );
  });

  it('FlowOperation.flows: one ListFlowOperationResults fails, the other operations keep theirs', async () => {
    gw.sim.faults.set({ denyNext: 1, operations: ['ListFlowOperationResults'] });
    const res = await gw.gql<{
      flowOperations: { edges: { node: { flows: { edges: unknown[] } | null } }[] };
    }>(
      `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 3) {
        edges { node { flowOperationId flows(first: 1) { edges { cursor } } } } } }`,
    );
    assert.equal(gw.sim.log.count('ListFlowOperationResults'), 3);
    const flows = res.data!.flowOperations.edges.map((e) => e.node.flows);
    assert.equal(flows.length, 3);
    const failed = flows.findIndex((f) => f === null);
    assert.equal(flows.filter((f) => f === null).length, 1);
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [[['flowOperations', 'edges', failed, 'node', 'flows'], 'UPSTREAM_ERROR']],
    );
  });

  it('Query.flowOperations: a failed alias is null alone', async () => {
    const res = await gw.gql<{ a: { edges: unknown[] } | null; b: { edges: unknown[] } | null }>(
      `{ a: flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: 1) { edges { cursor } }
         b: flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "eu-west-1a", first: 1) { edges { cursor } } }`,
    );
    assert.equal(res.data?.a?.edges.length, 1);
    assert.equal(res.data?.b, null);
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [[['b'], 'BAD_USER_INPUT']],
    );
  });
});
