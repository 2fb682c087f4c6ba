import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlobalIdCodec } from '../../src/global-id.js';
import { DEMO_ARN, DEMO_AZ, startGateway, waitFor } from '../helpers/gateway.js';
import { scrapeSample } from '../helpers/metrics.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer, newKey, writeKeys } from '../auth/support.js';

const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

const START = `mutation($input: StartFlowOperationInput!) {
  startFlowCapture(input: $input) { id flowOperationId } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Firewall { firewallArn firewallName status }
  ... on FlowOperation { firewallArn availabilityZone flowOperationId flowOperationType } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on FlowOperation { flowOperationId flowOperationStatus } } }`;

interface Started {
  startFlowCapture: { id: string; flowOperationId: string };
}
type NodeResult = { __typename: string; id: string; [field: string]: unknown } | null;

const input = (firewallArn = DEMO_ARN) => ({
  input: { firewallArn, availabilityZone: DEMO_AZ, flowFilters: [{ destinationPort: '443' }] },
});

async function start(gw: TestGateway, headers: Record<string, string> = {}) {
  const res = await gw.gql<Started>(START, input(), undefined, headers);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.startFlowCapture;
}

function codes(res: GraphQLResponse<unknown>): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe('node and nodes (global object identification)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  it('returns a Firewall by the id firewalls and firewall give it', async () => {
    const listed = await gw.gql<{
      firewalls: { edges: { node: { id: string; firewallArn: string } }[] };
      firewall: { id: string };
    }>(
      `query($arn: String!) { firewalls { edges { node { id firewallArn } } }
      firewall(firewallArn: $arn) { id } }`,
      { arn: DEMO_ARN },
    );
    const demo = listed.data!.firewalls.edges.find((e) => e.node.firewallArn === DEMO_ARN)!.node;
    assert.equal(listed.data!.firewall.id, demo.id);
    assert.equal(new Set(listed.data!.firewalls.edges.map((e) => e.node.id)).size, 4);

    gw.sim.log.clear();
    const res = await gw.gql<{ node: NodeResult }>(NODE, { id: demo.id });
    assert.equal(res.errors, undefined);
    assert.deepEqual(res.data!.node, {
      __typename: 'Firewall',
      id: demo.id,
      firewallArn: DEMO_ARN,
      firewallName: 'demo',
      status: 'READY',
    });
    // Name and status share the one DescribeFirewall of this request.
    assert.equal(gw.sim.log.count('DescribeFirewall'), 1);
    assert.equal(gw.sim.log.count(), 1);
  });

  it('gives an operation the same id as a mutation result, list item, flowOperation and subscription event, and node returns it', async () => {
    const started = await start(gw);
    const read = await gw.gql<{
      flowOperations: { edges: { node: { id: string; flowOperationId: string } }[] };
      flowOperation: { id: string };
    }>(
      `query($arn: String!, $az: String!, $op: ID!) {
        flowOperations(firewallArn: $arn, availabilityZone: $az, first: 50) { edges { node { id flowOperationId } } }
        flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $op) { id } }`,
      { arn: DEMO_ARN, az: DEMO_AZ, op: started.flowOperationId },
    );
    const item = read.data!.flowOperations.edges.find(
      (e) => e.node.flowOperationId === started.flowOperationId,
    );
    assert.equal(item?.node.id, started.id);
    assert.equal(read.data!.flowOperation.id, started.id);
    // Other operations have other ids.
    const ids = read.data!.flowOperations.edges.map((e) => e.node.id);
    assert.equal(new Set(ids).size, ids.length);

    const client = gw.wsClient();
    let first: GraphQLResponse<{ flowOperationStatusChanged: { id: string } }> | undefined;
    await new Promise<void>((resolve, reject) => {
      const stop = client.subscribe<{ flowOperationStatusChanged: { id: string } }>(
        {
          query: `subscription($arn: String!, $az: String, $op: ID!) {
            flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $op) { id } }`,
          variables: { arn: DEMO_ARN, az: DEMO_AZ, op: started.flowOperationId },
        },
        {
          next: (value) => {
            first = value as typeof first;
            stop();
            resolve();
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    assert.equal(first?.data?.flowOperationStatusChanged.id, started.id);

    // The subscription's watch is gone and its last poll answered (one may start while the
    // client's `complete` travels): from then on the log holds only the node query's calls.
    await waitFor(async () =>
      (await scrapeSample(gw.metricsUrl, 'gateway_poller_watches')) === 0 ? true : undefined,
    );
    await waitFor(() => gw.sim.log.entries().every((e) => e.status !== 0) || undefined);
    gw.sim.log.clear();
    const res = await gw.gql<{ node: NodeResult }>(NODE, { id: started.id });
    assert.equal(res.errors, undefined);
    assert.deepEqual(res.data!.node, {
      __typename: 'FlowOperation',
      id: started.id,
      firewallArn: DEMO_ARN,
      availabilityZone: DEMO_AZ,
      flowOperationId: started.flowOperationId,
      flowOperationType: 'FLOW_CAPTURE',
    });
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    assert.equal(gw.sim.log.count(), 1);
  });

  it('batches nodes through the request loaders: 100 ids of 10 operations cost 10 DescribeFlowOperation calls', async () => {
    const operations: Started['startFlowCapture'][] = [];
    for (let i = 0; i < 10; i++) operations.push(await start(gw));
    const ids = Array.from({ length: 100 }, (_, i) => operations[i % 10]!.id);

    gw.sim.log.clear();
    const res = await gw.gql<{ nodes: NodeResult[] }>(NODES, { ids });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.nodes.length, 100);
    res.data!.nodes.forEach((node, i) => {
      assert.equal(node?.id, ids[i]);
      assert.equal(node?.flowOperationId, operations[i % 10]!.flowOperationId);
      assert.equal(node?.flowOperationStatus, 'IN_PROGRESS');
    });
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 10);
    assert.equal(gw.sim.log.count(), 10);
  });

  it('refuses more than 100 ids before any AWS call', async () => {
    const { id } = await start(gw);
    gw.sim.log.clear();
    const res = await gw.gql<{ nodes: NodeResult[] }>(NODES, {
      ids: Array.from({ length: 101 }, () => id),
    });
    assert.deepEqual(codes(res), ['BAD_USER_INPUT']);
    assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'ids');
    assert.equal(res.data, null);
    assert.equal(gw.sim.log.count(), 0);
  });

  it('refuses forged, edited, foreign and cursor ids with BAD_USER_INPUT before any AWS call', async () => {
    const { id } = await start(gw);
    const page = await gw.gql<{ flowOperations: { pageInfo: { endCursor: string } } }>(
      `query($arn: String!, $az: String!) { flowOperations(firewallArn: $arn, availabilityZone: $az, first: 1) {
        pageInfo { endCursor } } }`,
      { arn: DEMO_ARN, az: DEMO_AZ },
    );
    const cursor = page.data!.flowOperations.pageInfo.endCursor;
    const dot = id.indexOf('.');
    const flipped = (at: number) =>
      id.slice(0, at) + (id[at] === 'A' ? 'B' : 'A') + id.slice(at + 1);
    const forged = [
      'not an id',
      '',
      Buffer.from(JSON.stringify([1, 'Firewall', DEMO_ARN])).toString('base64url'),
      flipped(20), // the ciphertext
      flipped(dot + 3), // the tag
      `${id}A`,
      cursor, // sealed by the same secret, for another use
      new GlobalIdCodec(Buffer.from('another-secret-of-another-gateway')).firewall(DEMO_ARN),
    ];
    gw.sim.log.clear();
    for (const bad of forged) {
      const res = await gw.gql<{ node: NodeResult }>(NODE, { id: bad });
      assert.deepEqual(codes(res), ['BAD_USER_INPUT'], bad);
      assert.deepEqual(res.errors?.[0]?.path, ['node']);
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'id');
      assert.equal(res.data?.node, null);
    }
    const mixed = await gw.gql<{ nodes: NodeResult[] }>(NODES, { ids: [forged[3], id] });
    assert.equal(mixed.data!.nodes[0], null);
    assert.equal(mixed.data!.nodes[1]?.id, id);
    assert.deepEqual(mixed.errors?.[0]?.path, ['nodes', 0]);
    assert.equal(mixed.errors?.[0]?.extensions?.argumentPath, 'ids[0]');
    // Only the good id reached AWS.
    assert.equal(gw.sim.log.count(), 1);
  });
});

describe('node and nodes under AUTH_MODE=apikey', () => {
  const ops = newKey(
    'ops',
    ['read', 'write'],
    ['arn:aws:network-firewall:*:111122223333:firewall/*'],
  );
  const demoOnly = newKey('demo-only', ['read'], [DEMO_ARN]);
  let dir: string;
  let gw: TestGateway;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-node-keys-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [ops, demoOnly]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: file,
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hides another firewall and its operations from a caller limited to one firewall: null and FORBIDDEN, no AWS call, nothing named', async () => {
    const prodOp = (await gw.gql<Started>(START, input(PROD_ARN), undefined, bearer(ops.key))).data!
      .startFlowCapture;
    const demoOp = (await gw.gql<Started>(START, input(), undefined, bearer(ops.key))).data!
      .startFlowCapture;
    const firewalls = await gw.gql<{ a: { id: string }; b: { id: string } }>(
      `query($a: String!, $b: String!) { a: firewall(firewallArn: $a) { id } b: firewall(firewallArn: $b) { id } }`,
      { a: PROD_ARN, b: DEMO_ARN },
      undefined,
      bearer(ops.key),
    );
    const prodFirewall = firewalls.data!.a.id;
    const demoFirewall = firewalls.data!.b.id;

    gw.sim.log.clear();
    for (const id of [prodFirewall, prodOp.id]) {
      const res = await gw.gql<{ node: NodeResult }>(NODE, { id }, undefined, bearer(demoOnly.key));
      assert.equal(res.status, 200);
      assert.equal(res.data?.node, null);
      assert.deepEqual(codes(res), ['FORBIDDEN']);
      assert.deepEqual(res.errors?.[0]?.path, ['node']);
      // The id is opaque to its holder, and the refusal keeps it so.
      const said = JSON.stringify(res.errors);
      assert.doesNotMatch(said, /prod-egress|111122223333|us-east-1|network-firewall/);
    }
    assert.equal(gw.sim.log.count(), 0);

    const res = await gw.gql<{ nodes: NodeResult[] }>(
      NODES,
      { ids: [demoOp.id, prodOp.id, demoFirewall, prodFirewall] },
      undefined,
      bearer(demoOnly.key),
    );
    assert.equal(res.data!.nodes[0]?.flowOperationId, demoOp.flowOperationId);
    assert.equal(res.data!.nodes[1], null);
    assert.deepEqual(res.data!.nodes[2], { __typename: 'Firewall', id: demoFirewall });
    assert.equal(res.data!.nodes[3], null);
    assert.deepEqual(
      res.errors?.map((e) => [e.path, e.extensions?.code]),
      [
        [['nodes', 1], 'FORBIDDEN'],
        [['nodes', 3], 'FORBIDDEN'],
      ],
    );
    // Only the demo operation and firewall were loaded.
    assert.equal(gw.sim.log.count('DescribeFlowOperation'), 1);
    assert.equal(gw.sim.log.count('DescribeFirewall'), 1);
    assert.equal(gw.sim.log.count(), 2);

    // The same ids, for a caller who may see them, load.
    const allowed = await gw.gql<{ node: NodeResult }>(
      NODE,
      { id: prodOp.id },
      undefined,
      bearer(ops.key),
    );
    assert.equal(allowed.data?.node?.flowOperationId, prodOp.flowOperationId);
  });
});

describe('node across replicas sharing CURSOR_SECRET', () => {
  const env = {
    CURSOR_SECRET: 'replicas-share-this-secret-0123456789',
    SIMULATOR_OPERATION_DELAY_MS: '600000',
  };
  let a: TestGateway;
  let b: TestGateway;
  before(async () => {
    a = await startGateway(env);
    b = await startGateway(env);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('gives the same ids on both, and each loads what the other issued', async () => {
    const firewall = `query($arn: String!) { firewall(firewallArn: $arn) { id } }`;
    const [fromA, fromB] = await Promise.all(
      [a, b].map((gw) => gw.gql<{ firewall: { id: string } }>(firewall, { arn: DEMO_ARN })),
    );
    assert.equal(fromA!.data!.firewall.id, fromB!.data!.firewall.id);
    const res = await b.gql<{ node: NodeResult }>(NODE, { id: fromA!.data!.firewall.id });
    assert.equal(res.data?.node?.firewallArn, DEMO_ARN);

    // Each replica here has its own simulator: an operation started on A is accepted as an id
    // by B, and B's AWS answers that it does not know it.
    const started = await start(a);
    b.sim.log.clear();
    const missing = await b.gql<{ node: NodeResult }>(NODE, { id: started.id });
    assert.equal(missing.data?.node, null);
    assert.deepEqual(codes(missing), ['NOT_FOUND']);
    assert.equal(b.sim.log.count('DescribeFlowOperation'), 1);
  });
});
