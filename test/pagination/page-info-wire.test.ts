// pageInfo on the wire, for every connection of the schema, as the GraphQL Cursor Connections
// spec words it: start and end cursors are the first and last edge's (null on a page without
// edges), hasNextPage says whether an edge follows, hasPreviousPage is true exactly when the
// page was read after an edge's cursor. Each step counts the AWS list calls it costs, through
// the simulator's request log, with the gateway's cache off so every read reaches AWS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { findDemoCapture } from '../helpers/demo-captures.js';

interface Page {
  edges: { cursor: string; node: unknown }[];
  pageInfo: {
    hasNextPage?: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

interface Case {
  name: string;
  /** The AWS list operation behind the connection, whose calls are counted. */
  operation: string;
  /** A query with `$first` and `$after` whose connection is aliased `c`; `SELECTION` is its body. */
  query: () => string;
  pick: (data: Record<string, unknown>) => Page;
  /** AWS calls of: the page after the first edge (2 edges), the page after the last edge but one (5). */
  calls: { afterFirstEdge: number; lastPage: number };
}

const FULL = `edges { cursor node { ...Key } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
// What Relay selects when a view renders no edge and needs no "more" button.
const WITHOUT_NEXT = `edges { cursor } pageInfo { hasPreviousPage startCursor endCursor }`;

let gw: TestGateway;
let captureId = '';

const cases: Case[] = [
  {
    name: 'firewalls',
    operation: 'ListFirewalls',
    query: () => `query($first: Int, $after: String) {
      c: firewalls(first: $first, after: $after) { SELECTION }
    } fragment Key on Firewall { firewallArn }`,
    pick: (data) => data.c as Page,
    // us-east-1's two firewalls, then the next source's first. The last page but one ends a
    // source's page, so its cursor resumes at the next source: one call, not a re-read first.
    calls: { afterFirstEdge: 2, lastPage: 1 },
  },
  {
    name: 'flowOperations',
    operation: 'ListFlowOperations',
    query: () => `query($first: Int, $after: String) {
      c: flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: $first, after: $after) { SELECTION }
    } fragment Key on FlowOperation { flowOperationId }`,
    pick: (data) => data.c as Page,
    calls: { afterFirstEdge: 1, lastPage: 1 },
  },
  {
    name: 'Firewall.flowOperations',
    operation: 'ListFlowOperations',
    query: () => `query($first: Int, $after: String) {
      firewall(firewallArn: "${DEMO_ARN}") {
        c: flowOperations(availabilityZone: "${DEMO_AZ}", first: $first, after: $after) { SELECTION }
      }
    } fragment Key on FlowOperation { flowOperationId }`,
    pick: (data) => (data.firewall as Record<string, unknown>).c as Page,
    calls: { afterFirstEdge: 1, lastPage: 1 },
  },
  {
    name: 'FlowOperation.flows',
    operation: 'ListFlowOperationResults',
    query: () => `query($first: Int, $after: String) {
      flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${captureId}") {
        c: flows(first: $first, after: $after) { SELECTION }
      }
    } fragment Key on Flow { sourceAddress { addressDefinition } sourcePort destinationPort protocol }`,
    pick: (data) => (data.flowOperation as Record<string, unknown>).c as Page,
    calls: { afterFirstEdge: 1, lastPage: 1 },
  },
];

/**
 * Waits until the gateway has no AWS read in flight, so a call started while the response was
 * already on its way (a hasNextPage probe started eagerly, say) is in the log before it is counted.
 */
async function settled(): Promise<void> {
  await waitFor(async () => {
    const metrics = await (await fetch(gw.metricsUrl)).text();
    return /^gateway_aws_reads_in_flight 0$/m.test(metrics) || undefined;
  });
}

/** Runs one page of a case; returns it with the AWS list calls it cost and their MaxResults. */
async function read(
  c: Case,
  variables: { first: number; after?: string | null },
  selection = FULL,
): Promise<{ page: Page; calls: number; maxResults: unknown[] }> {
  gw.sim.log.clear();
  const query = c.query().replace('SELECTION', selection);
  const res = await gw.gql(selection === FULL ? query : query.replace(/fragment Key.*$/s, ''), {
    after: null,
    ...variables,
  });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  await settled();
  const listed = gw.sim.log.entries().filter((e) => e.operation === c.operation);
  return {
    page: c.pick(res.data as Record<string, unknown>),
    calls: gw.sim.log.count(c.operation),
    maxResults: listed.map((e) => e.input.MaxResults),
  };
}

/** The whole list, 100 at a time, for its nodes and cursors. */
async function readAll(c: Case): Promise<Page['edges']> {
  const all: Page['edges'] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const { page }: { page: Page } = await read(c, { first: 100, after: cursor });
    all.push(...page.edges);
    if (!page.pageInfo.hasNextPage) return all;
    cursor = page.pageInfo.endCursor;
  }
  throw new Error('the list does not end');
}

function assertCursors(page: Page): void {
  assert.equal(page.pageInfo.startCursor, page.edges[0]?.cursor ?? null);
  assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
}

before(async () => {
  gw = await startGateway({ CACHE_MAX_ENTRIES: '0' });
  // A finished capture of the demo data whose flows fit in one AWS page, at least four of them.
  captureId = await findDemoCapture(
    gw,
    async (id) => {
      captureId = id; // readAll reads the capture under test
      const flows = await readAll(cases.at(-1)!);
      return flows.length >= 4 && flows.length < 100;
    },
    '4 to 99 flows',
  );
});
after(() => gw.close());

for (const c of cases) {
  describe(`pageInfo of ${c.name}`, () => {
    let all: Page['edges'];
    before(async () => {
      all = await readAll(c);
      assert.ok(all.length >= 4, `${all.length} edges`);
    });

    it('first: 0 answers no edges and null cursors without an AWS call when hasNextPage is not asked', async () => {
      const { page, calls } = await read(c, { first: 0 }, WITHOUT_NEXT);
      assert.deepEqual(page, {
        edges: [],
        pageInfo: { hasPreviousPage: false, startCursor: null, endCursor: null },
      });
      assert.equal(calls, 0);
    });

    it('first: 0 answers hasNextPage with one AWS call of MaxResults 1, even asked twice', async () => {
      gw.sim.log.clear();
      const query = c
        .query()
        .replace(
          'SELECTION',
          'edges { cursor } pageInfo { hasNextPage endCursor } again: pageInfo { hasNextPage }',
        )
        .replace(/fragment Key.*$/s, '');
      const res = await gw.gql(query, { first: 0, after: null });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      await settled();
      const page = c.pick(res.data as Record<string, unknown>) as Page & {
        again: { hasNextPage: boolean };
      };
      assert.deepEqual(page.edges, []);
      assert.equal(page.pageInfo.hasNextPage, true);
      assert.equal(page.again.hasNextPage, true);
      assert.equal(page.pageInfo.endCursor, null);
      assert.equal(gw.sim.log.count(c.operation), 1);
      const [call] = gw.sim.log.entries().filter((e) => e.operation === c.operation);
      assert.equal(call?.input.MaxResults, 1);
    });

    it('the first page: hasPreviousPage false, cursors of its first and last edge, one AWS call', async () => {
      const { page, calls, maxResults } = await read(c, { first: 2 });
      assert.deepEqual(
        page.edges.map((e) => e.node),
        all.slice(0, 2).map((e) => e.node),
      );
      assert.equal(page.pageInfo.hasNextPage, true);
      assert.equal(page.pageInfo.hasPreviousPage, false);
      assertCursors(page);
      assert.equal(calls, 1);
      assert.deepEqual(maxResults, [2]);
    });

    it('a page after an edge: hasPreviousPage true (that edge precedes), the next edges', async () => {
      const first = await read(c, { first: 2 });
      const { page, calls } = await read(c, { first: 2, after: first.page.edges[0]!.cursor });
      assert.deepEqual(
        page.edges.map((e) => e.node),
        all.slice(1, 3).map((e) => e.node),
      );
      assert.equal(page.pageInfo.hasNextPage, true);
      assert.equal(page.pageInfo.hasPreviousPage, true);
      assertCursors(page);
      assert.equal(calls, c.calls.afterFirstEdge);
    });

    it('the last page: hasNextPage false; first: 0 after the last edge says so with one call', async () => {
      const { page, calls } = await read(c, { first: 5, after: all.at(-2)!.cursor });
      assert.deepEqual(
        page.edges.map((e) => e.node),
        [all.at(-1)!.node],
      );
      assert.equal(page.pageInfo.hasNextPage, false);
      assert.equal(page.pageInfo.hasPreviousPage, true);
      assertCursors(page);
      assert.equal(calls, c.calls.lastPage);

      const end = await read(c, { first: 0, after: page.pageInfo.endCursor });
      assert.deepEqual(end.page.edges, []);
      assert.deepEqual(end.page.pageInfo, {
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
      assert.equal(end.calls, 1);
    });

    it('first: 0 with a cursor of another list is BAD_USER_INPUT before any AWS call', async () => {
      const other = cases.find((o) => o.operation !== c.operation)!;
      const foreign = (await read(other, { first: 1 })).page.edges[0]!.cursor;
      gw.sim.log.clear();
      const res = await gw.gql(c.query().replace('SELECTION', FULL), { first: 0, after: foreign });
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'after');
      await settled();
      assert.equal(gw.sim.log.count(c.operation), 0);
    });
  });
}
