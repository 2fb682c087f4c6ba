// With the gateway's cache off, a client walking `endCursor` through a capture's flows costs one
// ListFlowOperationResults call per page: the last edge of a page is the end of an AWS page, and
// its cursor resumes at that page's NextToken instead of re-reading the page (issue 16).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { findDemoCapture } from '../helpers/demo-captures.js';

interface FlowsPage {
  edges: { node: { sourcePort: number; destinationPort: number } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

let gw: TestGateway;

async function settled(): Promise<void> {
  await waitFor(async () => {
    const metrics = await (await fetch(gw.metricsUrl)).text();
    return /^gateway_aws_reads_in_flight 0$/m.test(metrics) || undefined;
  });
}

async function flows(id: string, first: number, after: string | null): Promise<FlowsPage> {
  const res = await gw.gql<{ flowOperation: { flows: FlowsPage } }>(
    `query($first: Int, $after: String) {
      flowOperation(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${id}") {
        flows(first: $first, after: $after) {
          edges { node { sourcePort destinationPort } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
        }
      }
    }`,
    { first, after },
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.flowOperation.flows;
}

describe('results pages with the cache off', () => {
  let captureId = '';
  let all: FlowsPage['edges'] = [];

  before(async () => {
    gw = await startGateway({ CACHE_MAX_ENTRIES: '0' });
    // A finished demo capture with at least 8 flows: four pages of 2 or more.
    captureId = await findDemoCapture(
      gw,
      async (id) => {
        const page = await flows(id, 100, null);
        all = page.edges;
        return page.edges.length >= 8 && !page.pageInfo.hasNextPage;
      },
      '8 to 100 flows',
    );
  });
  after(() => gw.close());

  it('costs exactly one ListFlowOperationResults call per page, walking endCursor', async () => {
    const pageSize = 2;
    const seen: FlowsPage['edges'] = [];
    const calls: number[] = [];
    const tokens: boolean[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      await settled();
      gw.sim.log.clear();
      const page: FlowsPage = await flows(captureId, pageSize, cursor);
      await settled();
      const listed = gw.sim.log.entries().filter((e) => e.operation === 'ListFlowOperationResults');
      calls.push(listed.length);
      tokens.push(listed.every((e) => e.input.NextToken !== undefined));
      assert.equal(page.pageInfo.hasPreviousPage, cursor !== null);
      seen.push(...page.edges);
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    assert.deepEqual(seen, all, 'every flow once, in order');
    const pages = Math.ceil(all.length / pageSize);
    assert.deepEqual(
      calls,
      Array.from({ length: pages }, () => 1),
    );
    // Every page after the first starts from AWS's NextToken, never from the list's start.
    assert.deepEqual(
      tokens,
      Array.from({ length: pages }, (_, i) => i > 0),
    );
  });
});
