import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFirewallArn } from '../../src/aws/arn.js';

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';

const partitionArb = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b');
const regionArb = fc.constantFrom(
  'us-east-1',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-2',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
  'us-iso-east-1',
  'me-south-1',
  'il-central-1',
);
const accountArb = fc.stringMatching(/^\d{12}$/);
const firewallNameArb = fc
  .array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 128 })
  .map((chars) => chars.join(''));

describe('parseFirewallArn', () => {
  it('parses the AWS documentation example', () => {
    assert.deepEqual(
      parseFirewallArn('arn:aws:network-firewall:us-west-2:123456789012:firewall/example-firewall'),
      {
        partition: 'aws',
        region: 'us-west-2',
        accountId: '123456789012',
        name: 'example-firewall',
      },
    );
  });

  it('parses China and GovCloud ARNs', () => {
    assert.deepEqual(
      parseFirewallArn('arn:aws-cn:network-firewall:cn-north-1:111122223333:firewall/fw-1'),
      { partition: 'aws-cn', region: 'cn-north-1', accountId: '111122223333', name: 'fw-1' },
    );
    assert.deepEqual(
      parseFirewallArn('arn:aws-us-gov:network-firewall:us-gov-west-1:000000000000:firewall/F'),
      { partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '000000000000', name: 'F' },
    );
  });

  it('parses any valid ARN back into its parts', () => {
    fc.assert(
      fc.property(
        partitionArb,
        regionArb,
        accountArb,
        firewallNameArb,
        (partition, region, accountId, name) => {
          const arn = `arn:${partition}:network-firewall:${region}:${accountId}:firewall/${name}`;
          assert.deepEqual(parseFirewallArn(arn), { partition, region, accountId, name });
        },
      ),
      { numRuns: 200 },
    );
  });

  const valid = 'arn:aws:network-firewall:us-east-1:123456789012:firewall/my-fw';
  const refused: [string, string][] = [
    ['wrong service', 'arn:aws:ec2:us-east-1:123456789012:firewall/my-fw'],
    [
      'wrong service (network-firewalls)',
      'arn:aws:network-firewalls:us-east-1:123456789012:firewall/my-fw',
    ],
    ['11-digit account', 'arn:aws:network-firewall:us-east-1:12345678901:firewall/my-fw'],
    ['13-digit account', 'arn:aws:network-firewall:us-east-1:1234567890123:firewall/my-fw'],
    ['non-digit account', 'arn:aws:network-firewall:us-east-1:12345678901a:firewall/my-fw'],
    ['empty account', 'arn:aws:network-firewall:us-east-1::firewall/my-fw'],
    ['missing firewall/', 'arn:aws:network-firewall:us-east-1:123456789012:my-fw'],
    ['empty name', 'arn:aws:network-firewall:us-east-1:123456789012:firewall/'],
    ['firewall-policy/', 'arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/my-fw'],
    [
      'stateful rule group',
      'arn:aws:network-firewall:us-east-1:123456789012:stateful-rulegroup/rg',
    ],
    ['name with a slash', 'arn:aws:network-firewall:us-east-1:123456789012:firewall/a/b'],
    ['name with an underscore', 'arn:aws:network-firewall:us-east-1:123456789012:firewall/my_fw'],
    [
      'name of 129 characters',
      `arn:aws:network-firewall:us-east-1:123456789012:firewall/${'a'.repeat(129)}`,
    ],
    ['empty region', 'arn:aws:network-firewall::123456789012:firewall/my-fw'],
    ['region without a number', 'arn:aws:network-firewall:us-east:123456789012:firewall/my-fw'],
    ['upper-case region', 'arn:aws:network-firewall:US-EAST-1:123456789012:firewall/my-fw'],
    ['wrong partition', 'arn:azure:network-firewall:us-east-1:123456789012:firewall/my-fw'],
    ['missing arn:', 'aws:network-firewall:us-east-1:123456789012:firewall/my-fw'],
    ['leading space', ` ${valid}`],
    ['trailing newline', `${valid}\n`],
    ['trailing space', `${valid} `],
    ['empty string', ''],
  ];
  for (const [why, arn] of refused) {
    it(`refuses: ${why}`, () => {
      assert.equal(parseFirewallArn(arn), undefined);
    });
  }

  it('accepts a 128-character name', () => {
    const name = 'a'.repeat(128);
    assert.equal(
      parseFirewallArn(`arn:aws:network-firewall:us-east-1:123456789012:firewall/${name}`)?.name,
      name,
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const parts = parseFirewallArn(s);
        if (parts) {
          assert.equal(
            s,
            `arn:${parts.partition}:network-firewall:${parts.region}:${parts.accountId}:firewall/${parts.name}`,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
