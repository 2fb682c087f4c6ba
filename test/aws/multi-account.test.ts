import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ARN, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const EU_ARN = 'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection';
const LAB_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
const ROLE = 'arn:aws:iam::444455556666:role/nfw-gateway-read';

describe('one graph over two regions and two accounts', () => {
  let gw: TestGateway;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfw-accounts-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(
      file,
      JSON.stringify({
        accounts: [{ accountId: '444455556666', roleArn: ROLE, regions: ['eu-west-1'] }],
      }),
    );
    gw = await startGateway({
      SIMULATOR_OPERATION_DELAY_MS: '600000',
      AWS_REGION: 'us-east-1',
      NFW_REGIONS: 'us-east-1',
      NFW_ACCOUNTS_FILE: file,
      NFW_DEFAULT_ACCOUNT_ID: '111122223333',
    });
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  it('lists firewalls of every configured region and account in one connection', async () => {
    const seen: { arn: string; region: string; accountId: string }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: {
        data?: {
          firewalls: {
            edges: { node: { firewallArn: string; region: string; accountId: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        } | null;
        errors?: unknown;
      } = await gw.gql(
        `query($after: String) { firewalls(first: 1, after: $after) { edges { node { firewallArn region accountId } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      seen.push(
        ...res.data!.firewalls.edges.map((e) => ({
          arn: e.node.firewallArn,
          region: e.node.region,
          accountId: e.node.accountId,
        })),
      );
      if (!res.data!.firewalls.pageInfo.hasNextPage) break;
      after = res.data!.firewalls.pageInfo.endCursor;
    }
    assert.deepEqual(
      seen.map((s) => s.arn).sort(),
      [
        DEMO_ARN,
        EU_ARN,
        'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress',
      ].sort(),
    );
    assert.deepEqual(
      seen.find((s) => s.arn === EU_ARN),
      { arn: EU_ARN, region: 'eu-west-1', accountId: '444455556666' },
    );
    assert.ok(!seen.some((s) => s.arn === LAB_ARN), 'us-west-2 is not configured');

    // The SDK's temporary-credentials provider assumed the role once, through the simulator's STS.
    const assumes = gw.sim.log.entries().filter((e) => e.operation === 'AssumeRole');
    assert.equal(assumes.length, 1);
    assert.equal(assumes[0]!.input.RoleArn, ROLE);
    assert.equal(assumes[0]!.accessKeyId, 'AKIASIMULATOR', 'signed with the default credentials');
    const lists = gw.sim.log.entries().filter((e) => e.operation === 'ListFirewalls');
    const us = lists.filter((e) => e.region === 'us-east-1');
    const eu = lists.filter((e) => e.region === 'eu-west-1');
    assert.ok(
      us.length > 0 && us.every((e) => e.accessKeyId === 'AKIASIMULATOR'),
      'default credentials in us-east-1',
    );
    assert.ok(
      eu.length > 0 && eu.every((e) => e.accessKeyId?.startsWith('ASIA444455556666')),
      "the account's role in eu-west-1",
    );
  });

  it("reaches the other account's firewall with calls signed for its region and with its role", async () => {
    const res = await gw.gql<{
      firewall: {
        availabilityZones: string[];
        flowOperations: {
          edges: {
            node: { flowOperationId: string; flowOperationStatus: string; flowFilters: unknown[] };
          }[];
        };
      };
    }>(
      `{ firewall(firewallArn: "${EU_ARN}") { availabilityZones flowOperations(availabilityZone: "eu-west-1a", first: 2) { edges { node { flowOperationId flowOperationStatus flowFilters { sourcePort } } } } } }`,
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(res.data!.firewall.availabilityZones, ['eu-west-1a', 'eu-west-1b']);
    assert.equal(res.data!.firewall.flowOperations.edges.length, 2);
    const calls = gw.sim.log.entries().filter((e) => e.operation !== 'AssumeRole');
    assert.ok(calls.length >= 3);
    for (const call of calls) {
      assert.equal(call.region, 'eu-west-1', `${call.operation} signed for eu-west-1`);
      assert.match(
        call.accessKeyId ?? '',
        /^ASIA444455556666/,
        `${call.operation} signed with the assumed role`,
      );
    }
  });

  it('starts and watches an operation in the other account', async () => {
    const id = await gw.startCapture({
      firewallArn: EU_ARN,
      availabilityZone: 'eu-west-1a',
      flowFilters: [{ destinationPort: '443' }],
    });
    const client = gw.wsClient();
    const sub = await subscribeAll<{ flowOperationStatusChanged: { flowOperationStatus: string } }>(
      client,
      `subscription($id: ID!) { flowOperationStatusChanged(firewallArn: "${EU_ARN}", availabilityZone: "eu-west-1a", flowOperationId: $id) { flowOperationStatus } }`,
      { id },
      { onNext: () => gw.sim.control.completeOperation(id, 'COMPLETED') },
    );
    assert.deepEqual(
      sub.results.map((r) => r.data?.flowOperationStatusChanged.flowOperationStatus),
      ['IN_PROGRESS', 'COMPLETED'],
    );
    const starts = gw.sim.log.entries().filter((e) => e.operation === 'StartFlowCapture');
    assert.equal(starts[0]?.region, 'eu-west-1');
    assert.match(starts[0]?.accessKeyId ?? '', /^ASIA444455556666/);
  });

  it('refuses an unconfigured region or account with FORBIDDEN naming the setting, before any AWS call', async () => {
    const cases: [string, RegExp][] = [
      [LAB_ARN, /NFW_REGIONS/],
      ['arn:aws:network-firewall:us-east-1:999988887777:firewall/other', /NFW_ACCOUNTS_FILE/],
      [
        'arn:aws:network-firewall:us-east-1:444455556666:firewall/eu-inspection',
        /regions.*NFW_ACCOUNTS_FILE/,
      ],
    ];
    for (const [arn, setting] of cases) {
      for (const query of [
        `{ firewall(firewallArn: "${arn}") { firewallName } }`,
        `{ flowOperations(firewallArn: "${arn}", availabilityZone: "us-east-1a") { edges { cursor } } }`,
      ]) {
        const res = await gw.gql(query);
        assert.equal(
          res.errors?.[0]?.extensions?.code,
          'FORBIDDEN',
          `${arn}: ${JSON.stringify(res.errors)}`,
        );
        assert.match(res.errors[0].message, setting);
      }
    }
    const regionRes = await gw.gql(`{ firewalls(region: "ap-south-1") { edges { cursor } } }`);
    assert.equal(regionRes.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(regionRes.errors[0].message, /NFW_REGIONS/);
    assert.equal(gw.sim.log.count(), 0, 'nothing reached AWS');
  });

  it('filters firewalls by region', async () => {
    const res = await gw.gql<{ firewalls: { edges: { node: { firewallArn: string } }[] } }>(
      `{ firewalls(region: "eu-west-1") { edges { node { firewallArn } } } }`,
    );
    assert.deepEqual(
      res.data!.firewalls.edges.map((e) => e.node.firewallArn),
      [EU_ARN],
    );
  });
});

describe('accounts on NFW_BACKEND=aws, with the endpoints from the standard AWS_ENDPOINT_URL_* variables', () => {
  it('assumes the role through AWS_ENDPOINT_URL_STS and signs with it', async () => {
    const { createSimulator } = await import('../../src/simulator/index.js');
    const { loadConfig } = await import('../../src/config.js');
    const { createServer } = await import('../../src/server.js');
    const { createLogger } = await import('../../src/logger.js');
    const sim = await createSimulator({ operationDelayMs: 600_000 });
    const dir = mkdtempSync(join(tmpdir(), 'nfw-accounts-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(
      file,
      JSON.stringify({ accounts: [{ accountId: '444455556666', roleArn: ROLE }] }),
    );
    // The SDK reads these from the environment itself, as it would in a real deployment.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_STS: sim.url,
      AWS_ACCESS_KEY_ID: 'AKIADEFAULTIDENTITY',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const server = await createServer(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        NODE_ENV: 'production',
        NFW_BACKEND: 'aws',
        AUTH_MODE: 'none',
        AWS_REGION: 'us-east-1',
        NFW_REGIONS: 'us-east-1,eu-west-1',
        AWS_ENDPOINT_URL_NETWORK_FIREWALL: sim.url,
        NFW_ACCOUNTS_FILE: file,
      }),
      { logger: createLogger('silent') },
    );
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ firewall(firewallArn: "${EU_ARN}") { firewallName } }` }),
      });
      const body = (await res.json()) as {
        data?: { firewall: { firewallName: string } };
        errors?: unknown;
      };
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal(body.data?.firewall.firewallName, 'eu-inspection');
      const assume = sim.log.entries().find((e) => e.operation === 'AssumeRole');
      assert.equal(assume?.accessKeyId, 'AKIADEFAULTIDENTITY');
      const describe = sim.log.entries().find((e) => e.operation === 'DescribeFirewall');
      assert.equal(describe?.region, 'eu-west-1');
      assert.match(describe?.accessKeyId ?? '', /^ASIA444455556666/);
    } finally {
      await server.close();
      await sim.close();
      process.env = saved;
    }
  });
});
