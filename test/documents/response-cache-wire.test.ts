// The serialized-response cache of answers about finished flow operations (issue 16), over real
// HTTP to a real gateway and its simulator, with API keys: a hit costs no AWS call and is the same
// bytes; a caller with narrower grants is refused as before; what may still change is never kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { bearer, newKey, writeKeys } from '../auth/support.js';

const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

const wide = newKey(
  'wide',
  ['read', 'write'],
  ['arn:aws:network-firewall:*:111122223333:firewall/*'],
);
// Same account, another firewall only: authorized for the document, not for the demo firewall.
const narrow = newKey('narrow', ['read'], [PROD_ARN]);
const noRead = newKey('no-read', ['write'], [DEMO_ARN]);

const PAGE = `query Page($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationStatus
    flows(first: 100) { edges { node { sourcePort destinationPort byteCount } } pageInfo { hasNextPage endCursor } }
  }
}`;

describe('the serialized-response cache of finished operations', () => {
  let dir: string;
  let gw: TestGateway;
  let finishedId = '';

  async function post(
    key: { key: string },
    query: string,
    variables: Record<string, unknown>,
  ): Promise<string> {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key.key) },
      body: JSON.stringify({ query, variables }),
    });
    return res.text();
  }

  async function lookups(): Promise<{ hit: number; miss: number }> {
    const text = await (await fetch(gw.metricsUrl, { headers: bearer(wide.key) })).text();
    const count = (result: string) =>
      Number(
        new RegExp(
          `^gateway_response_cache_lookups_total\\{result="${result}"\\} (\\d+)$`,
          'm',
        ).exec(text)?.[1] ?? 0,
      );
    return { hit: count('hit'), miss: count('miss') };
  }

  async function settled(): Promise<void> {
    await waitFor(async () => {
      const text = await (await fetch(gw.metricsUrl, { headers: bearer(wide.key) })).text();
      return /^gateway_aws_reads_in_flight 0$/m.test(text) || undefined;
    });
  }

  const awsCalls = () => gw.sim.log.entries().length;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-respcache-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [wide, narrow, noRead]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
      AUTH_API_KEYS_POLL_MS: '0',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
    const listed = JSON.parse(
      await post(
        wide,
        `query($arn: String!, $az: String) { flowOperations(firewallArn: $arn, availabilityZone: $az, flowOperationType: FLOW_CAPTURE, first: 100) { edges { node { flowOperationId flowOperationStatus } } } }`,
        { arn: DEMO_ARN, az: DEMO_AZ },
      ),
    ) as {
      data: {
        flowOperations: {
          edges: { node: { flowOperationId: string; flowOperationStatus: string } }[];
        };
      };
    };
    const finished = listed.data.flowOperations.edges.find(
      (e) => e.node.flowOperationStatus === 'COMPLETED',
    );
    if (!finished) throw new Error('the demo data has no COMPLETED capture');
    finishedId = finished.node.flowOperationId;
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => gw.sim.log.clear());

  it('answers a repeated query about a finished capture with the same bytes and no AWS call', async () => {
    const variables = { arn: DEMO_ARN, az: DEMO_AZ, id: finishedId };
    // Variables in another key order: the same canonical variables, the same entry.
    const reordered = { id: finishedId, az: DEMO_AZ, arn: DEMO_ARN };
    const first = await post(wide, PAGE, variables);
    const parsed = JSON.parse(first) as {
      errors?: unknown;
      data: { flowOperation: { flows: { edges: unknown[] } } };
    };
    assert.equal(parsed.errors, undefined, first);
    assert.ok(parsed.data.flowOperation.flows.edges.length > 0);
    await settled();
    assert.ok(awsCalls() > 0, 'the first answer was read from AWS');
    const before = await lookups();
    gw.sim.log.clear();

    const second = await post(wide, PAGE, reordered);
    await settled();
    // The data is the same bytes; extensions are the request's own: this one spent no AWS budget.
    const dataOf = (text: string) => text.slice(0, text.indexOf(',"extensions":'));
    assert.ok(dataOf(first).startsWith('{"data":{"flowOperation":'));
    assert.equal(dataOf(second), dataOf(first));
    const budget = (JSON.parse(second) as { extensions: { upstreamBudget: { spent: number } } })
      .extensions.upstreamBudget;
    assert.equal(budget.spent, 0);
    assert.equal(awsCalls(), 0);
    const afterHit = await lookups();
    assert.equal(afterHit.hit, before.hit + 1);
    assert.equal(afterHit.miss, before.miss);
  });

  it('refuses a caller with narrower grants FORBIDDEN, as without the cache, with no AWS call', async () => {
    const variables = { arn: DEMO_ARN, az: DEMO_AZ, id: finishedId };
    await post(wide, PAGE, variables);
    await post(wide, PAGE, variables); // cached for the wide key's grants by now
    await settled();
    gw.sim.log.clear();
    for (const key of [narrow, noRead]) {
      const res = JSON.parse(await post(key, PAGE, variables)) as {
        data?: { flowOperation: unknown } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN', key.name);
      assert.equal(res.data?.flowOperation ?? null, null, key.name);
    }
    await settled();
    assert.equal(awsCalls(), 0);
  });

  it('never serves an operation in progress from it: each read describes it again', async () => {
    const id = await gw.startCapture({}, bearer(wide.key));
    const variables = { arn: DEMO_ARN, az: DEMO_AZ, id };
    const before = await lookups();
    gw.sim.log.clear();
    for (let i = 0; i < 3; i++) {
      const res = JSON.parse(await post(wide, PAGE, variables)) as {
        data: { flowOperation: { flowOperationStatus: string } };
      };
      assert.equal(res.data.flowOperation.flowOperationStatus, 'IN_PROGRESS');
    }
    await settled();
    const describes = gw.sim.log.entries().filter((e) => e.operation === 'DescribeFlowOperation');
    assert.equal(describes.length, 3);
    const now = await lookups();
    assert.equal(now.hit, before.hit);
    assert.equal(now.miss, before.miss + 3);
  });

  it('leaves mutations alone: two identical starts are two StartFlowCapture calls', async () => {
    const before = await lookups();
    const input = {
      input: {
        firewallArn: DEMO_ARN,
        availabilityZone: DEMO_AZ,
        flowFilters: [{ destinationPort: '443' }],
      },
    };
    const START = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`;
    const a = JSON.parse(await post(wide, START, input)) as {
      data: { startFlowCapture: { flowOperationId: string } };
    };
    const b = JSON.parse(await post(wide, START, input)) as {
      data: { startFlowCapture: { flowOperationId: string } };
    };
    assert.notEqual(
      a.data.startFlowCapture.flowOperationId,
      b.data.startFlowCapture.flowOperationId,
    );
    await settled();
    const starts = gw.sim.log.entries().filter((e) => e.operation === 'StartFlowCapture');
    assert.equal(starts.length, 2);
    assert.deepEqual(await lookups(), before);
  });
});

describe('the serialized-response cache when off', () => {
  it('RESPONSE_CACHE_MAX_ENTRIES=0: a repeated finished page is executed again, no hit counted', async () => {
    const gw = await startGateway({ RESPONSE_CACHE_MAX_ENTRIES: '0' });
    try {
      const listed = await gw.gql<{
        flowOperations: {
          edges: { node: { flowOperationId: string; flowOperationStatus: string } }[];
        };
      }>(
        `{ flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationType: FLOW_CAPTURE, first: 100) { edges { node { flowOperationId flowOperationStatus } } } }`,
      );
      const id = listed.data!.flowOperations.edges.find(
        (e) => e.node.flowOperationStatus === 'COMPLETED',
      )!.node.flowOperationId;
      for (let i = 0; i < 2; i++) {
        const res = await gw.gql(PAGE, { arn: DEMO_ARN, az: DEMO_AZ, id });
        assert.equal(res.errors, undefined);
      }
      const text = await (await fetch(gw.metricsUrl)).text();
      assert.doesNotMatch(text, /^gateway_response_cache_lookups_total\{result="hit"\} [1-9]/m);
    } finally {
      await gw.close();
    }
  });
});
