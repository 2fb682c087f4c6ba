import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { buildSchema } from '../../src/schema.js';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

/** docs/identity.md's operations by name, each with the JSON variables block that follows it. */
function examples(): Map<string, { query: string; variables: string }> {
  const text = readFileSync(new URL('../../docs/identity.md', import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    text: m[2]!,
  }));
  const found = new Map<string, { query: string; variables: string }>();
  blocks.forEach((block, i) => {
    if (block.lang !== 'graphql') return;
    const op = parse(block.text).definitions[0] as OperationDefinitionNode;
    found.set(op.name!.value, { query: block.text, variables: blocks[i + 1]?.text ?? '{}' });
  });
  return found;
}

interface Item {
  id: string;
  flowOperationId?: string;
  firewallName?: string;
}

describe('docs/identity.md runs as written on the demo data', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('every block is valid, and ids from OperationIds load with Refetch and Batch', async () => {
    const ops = examples();
    assert.deepEqual([...ops.keys()], ['OperationIds', 'Refetch', 'Batch']);
    const schema = buildSchema();
    for (const [name, { query }] of ops) {
      assert.deepEqual(validate(schema, parse(query)), [], name);
    }
    const run = <T>(name: string, fill: (variables: string) => string = (v) => v) => {
      const { query, variables } = ops.get(name)!;
      return gw.gql<T>(query, JSON.parse(fill(variables)) as Record<string, unknown>);
    };

    const listed = await run<{
      flowOperations: { edges: { node: Item }[] };
      firewall: Item;
    }>('OperationIds');
    assert.equal(listed.errors, undefined);
    const [first, second] = listed.data!.flowOperations.edges.map((e) => e.node);
    assert.ok(first && second, 'the demo firewall has operations in us-east-1a');

    const refetched = await run<{ node: Item }>('Refetch', (v) =>
      v.replace('<an id from OperationIds>', first.id),
    );
    assert.equal(refetched.errors, undefined);
    assert.equal(refetched.data!.node.id, first.id);
    assert.equal(refetched.data!.node.flowOperationId, first.flowOperationId);

    const firewall = await run<{ node: Item }>('Refetch', (v) =>
      v.replace('<an id from OperationIds>', listed.data!.firewall.id),
    );
    assert.equal(firewall.data!.node.firewallName, 'demo');

    const batch = await run<{ nodes: Item[] }>('Batch', (v) =>
      v
        .replace('<an id from OperationIds>', first.id)
        .replace('<another id from OperationIds>', second.id),
    );
    assert.equal(batch.errors, undefined);
    assert.deepEqual(
      batch.data!.nodes.map((n) => n.flowOperationId),
      [first.flowOperationId, second.flowOperationId],
    );
  });
});
