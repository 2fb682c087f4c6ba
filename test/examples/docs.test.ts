import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Kind, parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { buildSchema } from '../../src/schema.js';
import { startGateway, subscribeAll } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

interface Block {
  lang: string;
  text: string;
}

function blocks(doc: string): Block[] {
  const text = readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

/** Each named operation of a document, with the JSON variables block that follows it, if any. */
function operations(doc: string): Map<string, { query: string; variables?: string }> {
  const all = blocks(doc);
  const found = new Map<string, { query: string; variables?: string }>();
  all.forEach((block, i) => {
    if (block.lang !== 'graphql') return;
    const op = parse(block.text).definitions[0] as OperationDefinitionNode;
    const next = all[i + 1];
    found.set(op.name!.value, {
      query: block.text,
      ...(next?.lang === 'json' ? { variables: next.text } : {}),
    });
  });
  return found;
}

describe('the docs run as written', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('every GraphQL block of the walkthrough and the pagination guide is valid', () => {
    const schema = buildSchema();
    for (const doc of ['walkthrough.md', 'pagination.md']) {
      const graphql = blocks(doc).filter((b) => b.lang === 'graphql');
      assert.ok(graphql.length >= 1, doc);
      for (const block of graphql) {
        const document = parse(block.text);
        assert.ok(document.definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION));
        assert.deepEqual(validate(schema, document), [], `${doc}:\n${block.text}`);
      }
    }
  });

  it('the walkthrough, step by step, on the demo data', async () => {
    const ops = operations('walkthrough.md');
    const step = (name: string) => {
      const op = ops.get(name);
      assert.ok(op, `the walkthrough has ${name}`);
      return op;
    };
    const vars = (name: string, id?: string): Record<string, unknown> => {
      const raw = step(name).variables ?? '{}';
      return JSON.parse(id ? raw.replaceAll(/<the flowOperationId from step 2>/g, id) : raw);
    };

    const firewalls = await gw.gql<{
      firewalls: { edges: { node: { firewallName: string; availabilityZones: string[] } }[] };
    }>(step('FindFirewalls').query);
    assert.equal(firewalls.errors, undefined);
    assert.deepEqual(
      firewalls.data!.firewalls.edges.map((e) => e.node.firewallName),
      ['demo', 'prod-egress', 'eu-inspection', 'lab'],
    );

    const history = await gw.gql<{ flowOperations: { edges: unknown[] } }>(
      step('History').query,
      vars('History'),
    );
    assert.equal(history.errors, undefined);
    assert.ok(history.data!.flowOperations.edges.length >= 4);

    const capture = await gw.gql<{
      startFlowCapture: { flowOperationId: string; flowOperationStatus: string };
    }>(step('StartCapture').query, vars('StartCapture'));
    assert.equal(capture.errors, undefined);
    assert.equal(capture.data!.startFlowCapture.flowOperationStatus, 'IN_PROGRESS');
    const id = capture.data!.startFlowCapture.flowOperationId;

    const watched = await subscribeAll<{
      flowOperationStatusChanged: { flowOperationStatus: string };
    }>(gw.wsClient(), step('Watch').query, vars('Watch', id));
    assert.equal(watched.error, undefined);
    assert.deepEqual(
      watched.results.map((r) => r.data?.flowOperationStatusChanged.flowOperationStatus),
      ['IN_PROGRESS', 'COMPLETED'],
    );

    const flows = await gw.gql<{
      flowOperation: {
        flowOperationStatus: string;
        flows: {
          edges: { node: { destinationPort: string; protocol: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    }>(step('CaptureFlows').query, vars('CaptureFlows', id));
    assert.equal(flows.errors, undefined);
    const captured = flows.data!.flowOperation.flows.edges.map((e) => e.node);
    assert.ok(captured.length > 0, 'the example capture finds flows on the demo data');
    for (const flow of captured) {
      assert.equal(flow.destinationPort, '443');
      assert.equal(flow.protocol, '6');
    }

    // The demo capture the walkthrough names for paging without starting anything.
    const demo = await gw.gql<{
      flowOperation: { flows: { pageInfo: { hasNextPage: boolean } } };
    }>(step('CaptureFlows').query, vars('CaptureFlows', '4ebf19d9-e725-4e1a-b0d7-e11234673e8a'));
    assert.equal(demo.errors, undefined);
    assert.equal(demo.data!.flowOperation.flows.pageInfo.hasNextPage, true);

    const flush = await gw.gql<{ startFlowFlush: { flowOperationStatus: string } }>(
      step('StartFlush').query,
      vars('StartCapture'),
    );
    assert.equal(flush.errors, undefined);
    assert.equal(flush.data!.startFlowFlush.flowOperationStatus, 'IN_PROGRESS');
  });

  it('the README’s first example runs on the demo data, and so does it across every region', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const query = /```graphql\n([\s\S]*?)```/.exec(readme)![1]!;
    assert.match(query, /firewalls\(.*flowOperations\(availabilityZone: "us-east-1a"/s);
    type Listed = {
      firewalls: {
        edges: { node: { firewallName: string; flowOperations: { edges: unknown[] } | null } }[];
      };
    };
    const res = await gw.gql<Listed>(query);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const listed = res.data!.firewalls.edges.map((e) => e.node);
    assert.deepEqual(
      listed.map((f) => f.firewallName),
      ['demo', 'prod-egress'],
    );
    for (const f of listed) assert.ok(f.flowOperations!.edges.length > 0, f.firewallName);

    // Without the region, the firewalls without us-east-1a fail at their own field only.
    const everywhere = await gw.gql<Listed>(query.replace('region: "us-east-1", ', ''));
    assert.ok(everywhere.data, JSON.stringify(everywhere.errors));
    const nodes = everywhere.data.firewalls.edges.map((e) => e.node);
    assert.deepEqual(
      nodes.map((f) => [f.firewallName, f.flowOperations === null]),
      [
        ['demo', false],
        ['prod-egress', false],
        ['eu-inspection', true],
        ['lab', true],
      ],
    );
    // Both zones' refusals arrive concurrently, in either order.
    assert.deepEqual(
      everywhere.errors
        ?.map((e) => [e.path, e.extensions?.code])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        [['firewalls', 'edges', 2, 'node', 'flowOperations'], 'BAD_USER_INPUT'],
        [['firewalls', 'edges', 3, 'node', 'flowOperations'], 'BAD_USER_INPUT'],
      ],
    );
  });

  it('a cursor from another list is refused, as the pagination guide says', async () => {
    const query = `query($id: ID!, $after: String) { flowOperation(firewallArn: "arn:aws:network-firewall:us-east-1:111122223333:firewall/demo", availabilityZone: "us-east-1a", flowOperationId: $id) { flows(first: 2, after: $after) { pageInfo { endCursor } } } }`;
    const first = await gw.gql<{
      flowOperation: { flows: { pageInfo: { endCursor: string } } };
    }>(query, { id: '4ebf19d9-e725-4e1a-b0d7-e11234673e8a' });
    const cursor = first.data!.flowOperation.flows.pageInfo.endCursor;
    const list = await gw.gql<{
      flowOperations: { edges: { node: { flowOperationId: string } }[] };
    }>(
      `{ flowOperations(firewallArn: "arn:aws:network-firewall:us-east-1:111122223333:firewall/demo", availabilityZone: "us-east-1a", flowOperationType: FLOW_CAPTURE) { edges { node { flowOperationId flowOperationStatus } } } }`,
    );
    const other = list
      .data!.flowOperations.edges.map((e) => e.node.flowOperationId)
      .find((i) => i !== '4ebf19d9-e725-4e1a-b0d7-e11234673e8a');
    const crossed = await gw.gql(query, { id: other, after: cursor });
    assert.equal(crossed.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(crossed.errors?.[0]?.extensions?.argumentPath, 'after');
  });
});
