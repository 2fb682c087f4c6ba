import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAccountsFile } from '../../src/aws/accounts.js';
import { parseFirewallArn } from '../../src/aws/arn.js';
import { Router, targetKey } from '../../src/aws/routing.js';
import { ConfigError } from '../../src/config.js';
import { ForbiddenError } from '../../src/errors.js';

const arn = (region: string, account: string) =>
  `arn:aws:network-firewall:${region}:${account}:firewall/fw`;
const ROLE = 'arn:aws:iam::444455556666:role/read';
/** Routes an ARN as the request's targets do: parsed once, then checked against the set-up. */
const route = (router: Router, a: string) => router.forArn(parseFirewallArn(a)!, 'firewallArn');

describe('Router', () => {
  const router = new Router({
    regions: ['us-east-1', 'eu-central-1'],
    accounts: [{ accountId: '444455556666', roleArn: ROLE, regions: ['eu-west-1'] }],
    defaultAccountId: '111122223333',
    defaultRegion: 'us-east-1',
  });

  it('routes by the ARN: its region, and the role of a mapped account', () => {
    assert.deepEqual(route(router, arn('eu-central-1', '111122223333')), {
      region: 'eu-central-1',
      account: undefined,
    });
    const mapped = route(router, arn('eu-west-1', '444455556666'));
    assert.equal(mapped.region, 'eu-west-1');
    assert.equal(mapped.account?.roleArn, ROLE);
  });

  it('refuses unconfigured regions and accounts, naming the setting', () => {
    const forbidden = (a: string, setting: RegExp) =>
      assert.throws(
        () => route(router, a),
        (e: unknown) => e instanceof ForbiddenError && setting.test(e.message),
      );
    forbidden(arn('ap-south-1', '111122223333'), /add it to NFW_REGIONS/);
    forbidden(arn('us-east-1', '444455556666'), /"regions" in NFW_ACCOUNTS_FILE/);
    forbidden(arn('us-east-1', '999988887777'), /to NFW_ACCOUNTS_FILE/);
  });

  it('lets unmapped accounts use the default credentials when the default account is not pinned', () => {
    const open = new Router({
      regions: ['us-east-1'],
      accounts: [],
      defaultAccountId: undefined,
      defaultRegion: 'us-east-1',
    });
    assert.deepEqual(route(open, arn('us-east-1', '999988887777')), {
      region: 'us-east-1',
      account: undefined,
    });
  });

  it('lists targets in a stable order, optionally for one region', () => {
    assert.deepEqual(router.listTargets().map(targetKey), [
      'us-east-1|',
      'eu-central-1|',
      'eu-west-1|444455556666',
    ]);
    assert.deepEqual(router.listTargets('eu-west-1').map(targetKey), ['eu-west-1|444455556666']);
    assert.deepEqual(router.listTargets('ap-south-1'), []);
  });
});

describe('loadAccountsFile', () => {
  const write = (content: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'nfw-acc-')), 'accounts.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('reads a valid file', () => {
    const file = write({
      accounts: [
        {
          accountId: '444455556666',
          roleArn: ROLE,
          regions: ['eu-west-1', 'eu-west-1'],
          externalId: 'x',
        },
      ],
    });
    assert.deepEqual(loadAccountsFile(file), [
      { accountId: '444455556666', roleArn: ROLE, regions: ['eu-west-1'], externalId: 'x' },
    ]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{', /JSON/],
    ['no accounts list', { accounts: {} }, /"accounts"/],
    [
      'a short account id',
      { accounts: [{ accountId: '123', roleArn: ROLE }] },
      /accounts\[0\]\.accountId/,
    ],
    [
      'a role in another account',
      { accounts: [{ accountId: '111122223333', roleArn: ROLE }] },
      /role in account 444455556666/,
    ],
    [
      'a bad region',
      { accounts: [{ accountId: '444455556666', roleArn: ROLE, regions: ['mars'] }] },
      /regions/,
    ],
    [
      'a duplicate',
      {
        accounts: [
          { accountId: '444455556666', roleArn: ROLE },
          { accountId: '444455556666', roleArn: ROLE },
        ],
      },
      /twice/,
    ],
  ];
  for (const [name, content, message] of bad) {
    it(`refuses ${name} with a ConfigError naming NFW_ACCOUNTS_FILE`, () => {
      assert.throws(
        () => loadAccountsFile(write(content)),
        (e: unknown) =>
          e instanceof ConfigError && e.variable === 'NFW_ACCOUNTS_FILE' && message.test(e.message),
      );
    });
  }
});
