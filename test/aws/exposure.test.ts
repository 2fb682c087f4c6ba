import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';
import { createSimulator } from '../../src/simulator/index.js';
import { DEMO_ARN, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer, captureLogger, newKey, writeKeys } from '../auth/support.js';

const OTHER_ACCOUNT = '444455556666';
const ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/nfw-gateway-read`;
const EU_ARN = `arn:aws:network-firewall:eu-west-1:${OTHER_ACCOUNT}:firewall/eu-inspection`;
const LAB_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

// What AWS's AccessDenied texts name: the gateway's role, account and instance, the other account.
const GATEWAY_DETAIL = /111122223333|arn:aws:(?:sts|iam)|i-0123456789abcdef0|nfw-flow-gateway/;
const OTHER_DETAIL = /444455556666|nfw-gateway-read|eu-west-1|arn:aws:iam/;

const demoOnly = newKey('demo-only', ['read'], [DEMO_ARN]);
const euReader = newKey('eu-reader', ['read'], [`arn:aws:network-firewall:*:${OTHER_ACCOUNT}:*`]);
const everything = newKey('everything', ['read'], ['arn:aws:network-firewall:*:*:firewall/*']);
const operator = newKey('operator', ['admin'], []);

const FIREWALLS = `query($first: Int, $after: String) { firewalls(first: $first, after: $after) {
  edges { cursor node { firewallArn } } pageInfo { hasNextPage endCursor } } }`;

interface FirewallsPage {
  firewalls: {
    edges: { cursor: string; node: { firewallArn: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const arns = (res: GraphQLResponse<FirewallsPage>) =>
  res.data?.firewalls.edges.map((e) => e.node.firewallArn);

describe('AWS and configuration detail stays with the callers it belongs to', () => {
  let gw: TestGateway;
  const log = captureLogger();
  let base: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfw-exposure-'));
    const accounts = join(dir, 'accounts.json');
    writeFileSync(
      accounts,
      JSON.stringify({
        accounts: [{ accountId: OTHER_ACCOUNT, roleArn: ROLE, regions: ['eu-west-1'] }],
      }),
    );
    const keys = join(dir, 'keys.json');
    writeKeys(keys, [demoOnly, euReader, everything, operator]);
    gw = await startGateway(
      {
        AWS_REGION: 'us-east-1',
        NFW_REGIONS: 'us-east-1,us-west-2',
        NFW_ACCOUNTS_FILE: accounts,
        NFW_DEFAULT_ACCOUNT_ID: '111122223333',
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: keys,
        AWS_MAX_ATTEMPTS: '1',
      },
      { logger: log.logger },
    );
    base = gw.url.replace(/\/graphql$/, '');
  });
  after(() => gw.close());
  beforeEach(() => {
    gw.sim.faults.reset();
    gw.sim.log.clear();
  });
  // The SDK keeps a role's credentials once it has them: the tests that deny AssumeRole come
  // before the first one that lets it through.

  it('/readyz without a credential says only that it is unavailable when AWS denies the gateway', async () => {
    gw.sim.faults.set({ denyNext: 100, operations: ['ListFirewalls'] });
    const anonymous = await fetch(`${base}/readyz`);
    assert.equal(anonymous.status, 503);
    const text = await anonymous.text();
    assert.deepEqual(JSON.parse(text), { status: 'unavailable' });
    assert.doesNotMatch(text, GATEWAY_DETAIL);

    // A reader's key changes nothing; a wrong key is refused as on /graphql.
    const reader = await fetch(`${base}/readyz`, { headers: bearer(demoOnly.key) });
    assert.deepEqual(await reader.json(), { status: 'unavailable' });
    assert.equal((await fetch(`${base}/readyz`, { headers: bearer('wrong') })).status, 401);

    // The operator's `admin` key reads why, in the gateway's words and in AWS's.
    const admin = await fetch(`${base}/readyz`, { headers: bearer(operator.key) });
    assert.equal(admin.status, 503);
    const detail = (await admin.json()) as Record<string, string>;
    assert.equal(detail.status, 'unavailable');
    assert.equal(detail.awsErrorName, 'AccessDeniedException');
    assert.match(detail.reason ?? '', /gateway's own credentials/);
    assert.match(detail.awsMessage ?? '', /arn:aws:sts::111122223333:assumed-role/);
    // And the logs say it once, with AWS's text.
    const logged = log.lines.filter((l) => l.msg === 'readiness: the backend is unavailable');
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]?.awsMessage), /is not authorized/);
    assert.equal(gw.sim.log.count('ListFirewalls'), 1, 'one check, cached for the next callers');
  });

  it('a caller of one firewall lists only the source it may know: other accounts and regions are not read', async () => {
    gw.sim.faults.set({ denyNext: 100, operations: ['AssumeRole'] });
    const res = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 10 },
      undefined,
      bearer(demoOnly.key),
    );
    assert.deepEqual(arns(res), [DEMO_ARN]);
    // The other account's role is never assumed, so its refusal is not this caller's problem.
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const body = JSON.stringify(res);
    assert.doesNotMatch(body, OTHER_DETAIL);
    assert.doesNotMatch(body, /arn:aws:sts|i-0123456789abcdef0/);
    // One source: how many the gateway spans does not show in the calls it spent either.
    const calls = gw.sim.log.entries().map((e) => `${e.operation} ${e.region} ${e.status}`);
    assert.deepEqual(calls, ['ListFirewalls us-east-1 200']);
    const spent = (res as { extensions?: { upstreamBudget?: { spent: number } } }).extensions
      ?.upstreamBudget?.spent;
    assert.equal(spent, 1);
  });

  it('a caller allowed in the failing account is told which source failed, in the gateway’s words', async () => {
    gw.sim.faults.set({ denyNext: 100, operations: ['AssumeRole'] });
    const res = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 10 },
      undefined,
      bearer(euReader.key),
    );
    assert.deepEqual(arns(res), []);
    const error = res.errors?.[0];
    assert.deepEqual(error?.path, ['firewalls']);
    assert.equal(error?.extensions?.code, 'UPSTREAM_ERROR');
    assert.equal(error?.extensions?.accountId, OTHER_ACCOUNT);
    assert.equal(error?.extensions?.region, 'eu-west-1');
    assert.equal(error?.extensions?.awsErrorName, 'AccessDenied');
    assert.match(error.message, /account 444455556666 in eu-west-1 could not be listed/);
    // Not even this caller reads the gateway's roles and instance.
    assert.doesNotMatch(JSON.stringify(res), /arn:aws|i-0123456789abcdef0|nfw-gateway-read/);
  });

  it('over websockets, a query gets the firewalls and the same error beside them', async () => {
    gw.sim.faults.set({ denyNext: 100, operations: ['AssumeRole'] });
    const client = gw.wsClient({ connectionParams: bearer(everything.key) });
    const { results } = await subscribeAll<FirewallsPage>(client, FIREWALLS, { first: 10 });
    assert.equal(results.length, 1);
    assert.ok(arns(results[0]!)?.includes(DEMO_ARN));
    assert.deepEqual(
      results[0]!.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.accountId]),
      [[['firewalls'], 'UPSTREAM_ERROR', OTHER_ACCOUNT]],
    );
    assert.doesNotMatch(JSON.stringify(results), /arn:aws:(?:sts|iam)|nfw-gateway-read/);
  });

  it('a failed source is skipped: the next page goes on after it, and a new listing retries it', async () => {
    // The first ListFirewalls (us-east-1, the first source) is denied, the others answer.
    gw.sim.faults.set({ denyNext: 1, operations: ['ListFirewalls'] });
    const first = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 1 },
      undefined,
      bearer(everything.key),
    );
    assert.deepEqual(arns(first), [LAB_ARN]);
    assert.equal(first.data!.firewalls.pageInfo.hasNextPage, true);
    assert.deepEqual(
      first.errors?.map((e) => [e.path, e.extensions?.region, e.extensions?.accountId]),
      [[['firewalls'], 'us-east-1', '111122223333']],
    );
    assert.equal(gw.sim.log.count('ListFirewalls'), 2);

    gw.sim.log.clear();
    const second = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 1, after: first.data!.firewalls.pageInfo.endCursor },
      undefined,
      bearer(everything.key),
    );
    assert.equal(second.errors, undefined, JSON.stringify(second.errors));
    assert.deepEqual(arns(second), [EU_ARN]);
    assert.equal(second.data!.firewalls.pageInfo.hasNextPage, false);
    // The cursor's edge ended us-west-2's last page, so it resumes past it (no re-read of that
    // page): the account's eu-west-1 only; never us-east-1.
    assert.deepEqual(
      gw.sim.log
        .entries()
        .filter((e) => e.operation === 'ListFirewalls')
        .map((e) => `${e.operation} ${e.region}`),
      ['ListFirewalls eu-west-1'],
    );

    const again = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 10 },
      undefined,
      bearer(everything.key),
    );
    assert.equal(again.errors, undefined);
    assert.deepEqual(arns(again), [DEMO_ARN, PROD_ARN, LAB_ARN, EU_ARN]);
  });

  it('a caller learns no region list: a region none of its patterns covers is empty, configured or not', async () => {
    for (const region of ['eu-west-1', 'us-west-2', 'ap-south-1']) {
      const res = await gw.gql<FirewallsPage>(
        `query($region: String) { firewalls(region: $region) { edges { node { firewallArn } } pageInfo { hasNextPage endCursor } } }`,
        { region },
        undefined,
        bearer(demoOnly.key),
      );
      assert.equal(res.errors, undefined, `${region}: ${JSON.stringify(res.errors)}`);
      assert.deepEqual(res.data!.firewalls, {
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    }
    assert.equal(gw.sim.log.count(), 0, 'nothing asked of AWS');
    // A caller who could have firewalls there is still told what the operator must configure.
    const res = await gw.gql(
      `{ firewalls(region: "ap-south-1") { edges { cursor } } }`,
      {},
      undefined,
      bearer(everything.key),
    );
    assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('a cursor of the multi-account list names no region, account or page token', async () => {
    const res = await gw.gql<FirewallsPage>(
      FIREWALLS,
      { first: 1 },
      undefined,
      bearer(everything.key),
    );
    const cursors = [
      ...res.data!.firewalls.edges.map((e) => e.cursor),
      res.data!.firewalls.pageInfo.endCursor!,
    ];
    for (const cursor of cursors) {
      const decoded = cursor
        .split('.')
        .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
        .join('.');
      assert.doesNotMatch(decoded, /\d{12}|us-east-1|us-west-2|eu-west-1|"i"|firewall/);
    }
  });
});

describe('error details with NODE_ENV unset', () => {
  it('on NFW_BACKEND=aws, responses carry no stack trace (unset means production)', async () => {
    assert.equal(loadConfig({}).nodeEnv, 'production');
    const sim = await createSimulator({ operationDelayMs: 600_000 });
    const server = await createServer(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        NFW_BACKEND: 'aws',
        AUTH_MODE: 'none',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_NETWORK_FIREWALL: sim.url,
      }),
      {
        logger: createLogger('silent'),
        awsCredentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
      },
    );
    try {
      // One refused by the gateway's own checks, one by AWS (no such firewall).
      for (const query of [
        `{ flowOperations(firewallArn: "not-an-arn") { edges { cursor } } }`,
        `{ firewall(firewallArn: "${DEMO_ARN}x") { firewallName } }`,
      ]) {
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await res.json()) as GraphQLResponse;
        assert.equal(body.errors?.length, 1, JSON.stringify(body));
        assert.equal(body.errors[0]!.extensions?.stacktrace, undefined, JSON.stringify(body));
        assert.doesNotMatch(JSON.stringify(body), /\.ts:\d+|node_modules|\/src\//);
      }
    } finally {
      await server.close();
      await sim.close();
    }
  });
});
