// The Relay example (examples/relay) compiled by relay-compiler, whose validator is the check
// that the served schema suits Relay, and typechecked against the types it wrote, as
// `npm run examples:relay` runs it; then the pagination queries Relay generated, run against a
// gateway on its demo data, page by page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildSchema as buildSdl, isInterfaceType } from 'graphql';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples/relay');

function compile(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['scripts/relay-example.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The operation text of a compiled artifact: what Relay sends to the gateway. */
function operationText(out: string, name: string): string {
  const artifact = readFileSync(join(out, 'src/__generated__', `${name}.graphql.ts`), 'utf8');
  const text = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact)?.[1];
  assert.ok(text, `${name} has no operation text`);
  return JSON.parse(text) as string;
}

const QUERY_ROOTED = [
  'FirewallListPaginationQuery',
  'FlowOperationListPaginationQuery',
  'CaptureFlowsPaginationQuery',
  'FirewallCard_firewall',
  'StartCaptureMutation',
];
const NODE_BASED = ['FlowOperationFlowsPaginationQuery', 'FirewallOperationsPaginationQuery'];

let scratch: string;
let out: string;
/** The schema the first compile printed: the failing compiles below reuse it, not print again. */
const printed = () => join(out, 'schema.graphql');
/** Compiles a (broken) copy of the example against the printed schema, into scratch/`name`. */
const compileCopy = (example: string, name: string) =>
  compile(['--example', example, '--schema', printed(), '--out', join(scratch, name)]);
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'nfw-relay-test-'));
  out = join(scratch, 'printed');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('relay-compiler on the Relay example', () => {
  it('compiles the example against the printed schema (npm run examples:relay)', () => {
    const { status, output } = compile(['--out', out]);
    assert.equal(status, 0, output);
    for (const name of QUERY_ROOTED) {
      assert.ok(existsSync(join(out, 'src/__generated__', `${name}.graphql.ts`)), name);
    }
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    // The Node-based fragments are compiled exactly when the schema can refetch them.
    const hasNode = /^interface Node\b/m.test(sdl);
    for (const name of NODE_BASED) {
      assert.equal(existsSync(join(out, 'src/__generated__', `${name}.graphql.ts`)), hasNode, name);
    }
    assert.equal(output.includes('src/node/ skipped'), !hasNode, output);
  });

  it('compiles the Node-based fragments to queries that refetch through Query.node(id:)', () => {
    // The schema serves the Global Object Identification spec's Node interface, so the compile
    // above covered src/node/: its refetch queries go through the root `node` field.
    const schema = buildSdl(readFileSync(printed(), 'utf8'));
    assert.ok(isInterfaceType(schema.getType('Node')), 'the schema has the Node interface');
    for (const name of NODE_BASED) {
      assert.match(operationText(out, name), /node\(id: \$id\)/, name);
    }
  });

  it('fails, naming the field, when a fragment asks for what the schema lacks', () => {
    const broken = join(scratch, 'broken-example');
    cpSync(EXAMPLE, broken, { recursive: true });
    writeFileSync(
      join(broken, 'src/Broken.tsx'),
      `import { graphql } from 'react-relay';
export const broken = graphql\`
  fragment Broken_query on Query {
    firewalls(first: 1) @connection(key: "Broken_firewalls") {
      edges { node { notAFirewallField } }
    }
  }
\`;
`,
    );
    const { status, output } = compileCopy(broken, 'broken');
    assert.notEqual(status, 0);
    assert.match(output, /notAFirewallField/);
  });

  it('fails, naming the field, when a component reads what its fragment does not select', () => {
    const broken = join(scratch, 'untyped-example');
    cpSync(EXAMPLE, broken, { recursive: true });
    const card = join(broken, 'src/FirewallCard.tsx');
    const source = readFileSync(card, 'utf8');
    assert.ok(source.includes('{data.status}'));
    writeFileSync(card, source.replace('{data.status}', '{data.status} {data.vpcId}'));
    const { status, output } = compileCopy(broken, 'untyped');
    assert.notEqual(status, 0);
    assert.match(output, /vpcId/);
    assert.match(output, /does not typecheck/);
  });
});

describe("Relay's generated pagination queries on a gateway", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  /** Pages a compiled query by `endCursor` as usePaginationFragment's loadNext does. */
  async function loadAll(
    name: string,
    variables: Record<string, unknown>,
    connection: (data: Record<string, unknown>) => {
      edges: { node: Record<string, unknown> }[];
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    },
  ): Promise<Record<string, unknown>[]> {
    const text = operationText(out, name);
    const nodes: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: GraphQLResponse = await gw.gql(text, { ...variables, cursor });
      // FirewallCard asks each firewall for its operations without a zone, which a multi-zone
      // firewall refuses until Firewall.flowOperations covers every zone (issue 12, item 2):
      // such an error stays at that nullable field and the list pages on.
      const elsewhere = (res.errors ?? []).filter((e) => e.path?.at(-1) !== 'flowOperations');
      assert.deepEqual(elsewhere, [], JSON.stringify(res.errors));
      const c = connection(res.data as Record<string, unknown>);
      nodes.push(...c.edges.map((e) => e.node));
      if (!c.pageInfo.hasNextPage) return nodes;
      assert.equal(typeof c.pageInfo.endCursor, 'string');
      cursor = c.pageInfo.endCursor;
    }
    throw new Error(`${name} does not end`);
  }

  it('FirewallListPaginationQuery pages through every demo firewall once', async () => {
    const nodes = await loadAll(
      'FirewallListPaginationQuery',
      { count: 1 },
      (d) => d.firewalls as never,
    );
    const arns = nodes.map((n) => n.firewallArn);
    assert.equal(arns.length, 4);
    assert.equal(new Set(arns).size, 4);
    assert.ok(arns.includes(DEMO_ARN));
  });

  it('FlowOperationListPaginationQuery and CaptureFlowsPaginationQuery page to the end', async () => {
    const operations = await loadAll(
      'FlowOperationListPaginationQuery',
      {
        firewallArn: DEMO_ARN,
        availabilityZone: DEMO_AZ,
        flowOperationType: 'FLOW_CAPTURE',
        count: 2,
      },
      (d) => d.flowOperations as never,
    );
    assert.ok(operations.length >= 4);
    assert.ok(operations.every((o) => o.flowOperationType === 'FLOW_CAPTURE'));
    const completed = operations.find((o) => o.flowOperationStatus === 'COMPLETED');
    assert.ok(completed);
    const flows = await loadAll(
      'CaptureFlowsPaginationQuery',
      {
        firewallArn: DEMO_ARN,
        availabilityZone: DEMO_AZ,
        flowOperationId: completed.flowOperationId,
        count: 40,
      },
      (d) => (d.flowOperation as Record<string, unknown>).flows as never,
    );
    assert.ok(flows.length > 40, `${flows.length} flows: more than one page`);
  });
});
