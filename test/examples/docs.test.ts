import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { buildSchema } from '../../src/schema.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

interface Block {
  lang: string;
  text: string;
}

/** Every Markdown file whose GraphQL examples a reader may run: the README and docs/. */
const DOCS = [
  'README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

function blocks(doc: string): Block[] {
  const text = readFileSync(new URL(`../../${doc}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

interface Example {
  doc: string;
  /** The operation's name, or its place among the document's GraphQL blocks when anonymous. */
  name: string;
  kind: OperationDefinitionNode['operation'];
  query: string;
  /** The JSON block right after it, when its keys are the operation's variables. */
  variables?: string;
}

/** Each GraphQL block of a document, with the JSON variables block the prose pairs it with. */
function examples(doc: string): Example[] {
  const all = blocks(doc);
  const found: Example[] = [];
  all.forEach((block, i) => {
    if (block.lang !== 'graphql') return;
    const op = parse(block.text).definitions[0] as OperationDefinitionNode;
    const declared = new Set(op.variableDefinitions?.map((v) => v.variable.name.value));
    const next = all[i + 1];
    // A JSON block after an operation is its variables only if it names them (errors.md follows
    // a query with a response).
    const paired =
      next?.lang === 'json' &&
      declared.size > 0 &&
      Object.keys(JSON.parse(next.text) as object).every((k) => declared.has(k));
    found.push({
      doc,
      name: op.name?.value ?? `#${found.length + 1}`,
      kind: op.operation,
      query: block.text,
      ...(paired ? { variables: next.text } : {}),
    });
  });
  return found;
}

/** Each named operation of a document, for the step-by-step walkthrough test. */
function operations(doc: string): Map<string, { query: string; variables?: string }> {
  return new Map(examples(doc).map((e) => [e.name, e]));
}

/** The demo zone's newest capture (default SIMULATOR_SEED): completed, with every flow of the zone. */
const DEMO_CAPTURE = '4ebf19d9-e725-4e1a-b0d7-e11234673e8a';
const DEMO_OPERATION = { arn: DEMO_ARN, az: DEMO_AZ, id: DEMO_CAPTURE };

/** Ids the gateway gave the demo objects: docs/identity.md's examples load them back. */
async function demoIds(gw: TestGateway): Promise<{ operation: string; firewall: string }> {
  const res = await gw.gql<{
    firewall: { id: string; flowOperations: { edges: { node: { id: string } }[] } };
  }>(
    `query($arn: String!, $az: String) { firewall(firewallArn: $arn) { id flowOperations(availabilityZone: $az, first: 1) { edges { node { id } } } } }`,
    { arn: DEMO_ARN, az: DEMO_AZ },
  );
  const firewall = res.data!.firewall;
  return { firewall: firewall.id, operation: firewall.flowOperations.edges[0]!.node.id };
}

/** Variables the prose gives in words rather than in a JSON block. */
const PROSE_VARIABLES: Record<
  string,
  (gw: TestGateway) => Record<string, unknown> | Promise<Record<string, unknown>>
> = {
  // "Watch it until it ends" and "Read what it captured": the operation just started.
  'README.md Watch': () => DEMO_OPERATION,
  'README.md Flows': () => DEMO_OPERATION,
  'docs/pagination.md CaptureFlows': () => DEMO_OPERATION,
  // "Use the variables of step 2."
  'docs/walkthrough.md StartFlush': () =>
    JSON.parse(operations('docs/walkthrough.md').get('StartCapture')!.variables!),
  // Ids read from an object's `id` field, as the prose says.
  'docs/identity.md Refetch': async (gw) => ({ id: (await demoIds(gw)).operation }),
  'docs/identity.md Batch': async (gw) => {
    const ids = await demoIds(gw);
    return { ids: [ids.operation, ids.firewall] };
  },
};

/**
 * Examples that show an error on purpose, with the errors they must give (code and path): any
 * other error, or none, fails the test.
 */
const EXPECTED_ERRORS: Record<string, [string, (string | number)[]][]> = {
  'docs/errors.md OneZoneOfEveryFirewall': [
    ['BAD_USER_INPUT', ['firewalls', 'edges', 2, 'node', 'flowOperations']],
    ['BAD_USER_INPUT', ['firewalls', 'edges', 3, 'node', 'flowOperations']],
  ],
};

async function variablesOf(example: Example, gw: TestGateway): Promise<Record<string, unknown>> {
  const key = `${example.doc} ${example.name}`;
  // A placeholder block (ids the reader pastes) gives way to the prose's variables.
  if (example.variables !== undefined && !(key in PROSE_VARIABLES)) {
    // The walkthrough's placeholder for what an earlier step returned.
    return JSON.parse(
      example.variables.replaceAll(/<the flowOperationId from step 2>/g, DEMO_CAPTURE),
    );
  }
  return (await PROSE_VARIABLES[key]?.(gw)) ?? {};
}

/** A subscription's first result (the current state), then unsubscribed: some never complete. */
function firstResult(gw: TestGateway, query: string, variables: Record<string, unknown>) {
  return new Promise<GraphQLResponse>((resolve, reject) => {
    const unsubscribe = gw.wsClient().subscribe(
      { query, variables },
      {
        next: (value) => {
          unsubscribe();
          resolve(value as unknown as GraphQLResponse);
        },
        error: reject,
        complete: () => reject(new Error('completed without a result')),
      },
    );
  });
}

const sortedErrors = (res: GraphQLResponse) =>
  (res.errors ?? [])
    .map((e): [string, (string | number)[]] => [String(e.extensions?.code), e.path ?? []])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('every GraphQL example of the README and docs/ runs on the demo data', () => {
  const all = DOCS.flatMap(examples);
  let gw: TestGateway;
  before(async () => {
    // A gateway of its own: the examples start captures and a flush, which change the demo data.
    gw = await startGateway();
  });
  after(() => gw.close());

  it('finds the examples of every document that has some', () => {
    // At least these: a document may gain examples (each then runs below), never lose them unseen.
    const docs = new Set(all.map((e) => e.doc));
    for (const doc of [
      'README.md',
      'docs/errors.md',
      'docs/pagination.md',
      'docs/walkthrough.md',
    ]) {
      assert.ok(docs.has(doc), doc);
    }
    assert.ok(all.length >= 13, `${all.length} examples`);
    for (const key of [...Object.keys(PROSE_VARIABLES), ...Object.keys(EXPECTED_ERRORS)]) {
      assert.ok(
        all.some((e) => `${e.doc} ${e.name}` === key),
        `${key} is still an example of the docs`,
      );
    }
  });

  it('every example is one valid operation', () => {
    const schema = buildSchema();
    for (const example of all) {
      const document = parse(example.query);
      assert.equal(document.definitions.length, 1, `${example.doc} ${example.name}`);
      assert.equal(document.definitions[0]!.kind, Kind.OPERATION_DEFINITION);
      assert.deepEqual(validate(schema, document), [], `${example.doc}:\n${example.query}`);
    }
  });

  for (const example of all) {
    const key = `${example.doc} ${example.name}`;
    it(`${key} (${example.kind})`, async () => {
      const variables = await variablesOf(example, gw);
      const res =
        example.kind === 'subscription'
          ? await firstResult(gw, example.query, variables)
          : await gw.gql(example.query, variables);
      assert.ok(res.data, `${key}: ${JSON.stringify(res.errors)}`);
      assert.deepEqual(sortedErrors(res), EXPECTED_ERRORS[key] ?? [], JSON.stringify(res.errors));
    });
  }
});

describe('the docs run as written', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('the walkthrough, step by step, on the demo data', async () => {
    const ops = operations('docs/walkthrough.md');
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

  it('the README’s first example lists every firewall with its operations of every zone', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const query = /```graphql\n([\s\S]*?)```/.exec(readme)![1]!;
    assert.match(query, /firewalls\(first: 10\).*flowOperations\(first: 5\)/s);
    const res = await gw.gql<{
      firewalls: {
        edges: {
          node: {
            firewallName: string;
            availabilityZones: string[];
            flowOperations: { edges: { node: { flowOperationId: string } }[] } | null;
          };
        }[];
      };
    }>(query);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const listed = res.data!.firewalls.edges.map((e) => e.node);
    assert.deepEqual(
      listed.map((f) => f.firewallName),
      ['demo', 'prod-egress', 'eu-inspection', 'lab'],
    );
    for (const f of listed) assert.equal(f.flowOperations?.edges.length, 5, f.firewallName);
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
