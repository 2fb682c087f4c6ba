import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FirewallPatterns } from '../../src/auth/principal.js';
import type { Principal } from '../../src/auth/principal.js';
import { mayKnowSource } from '../../src/auth/source-access.js';
import type { ListSource } from '../../src/auth/source-access.js';
import { adversarial, assertLinear } from '../helpers/linear-work.js';

const caller = (...patterns: string[]): Principal => ({
  kind: 'apikey',
  id: 'test',
  scopes: new Set(['read']),
  firewalls: new FirewallPatterns(patterns),
});

const EU: ListSource = { region: 'eu-west-1', accountId: '444455556666' };
const US: ListSource = { region: 'us-east-1', accountId: '111122223333' };
const US_DEFAULT: ListSource = { region: 'us-east-1', accountId: undefined };

describe('mayKnowSource: could a caller’s patterns match a firewall of that region and account', () => {
  it('answers for the patterns operators write', () => {
    const cases: [string, ListSource, boolean][] = [
      ['arn:aws:network-firewall:*:*:firewall/*', EU, true],
      ['*', EU, true],
      ['arn:aws:network-firewall:*:111122223333:firewall/*', EU, false],
      ['arn:aws:network-firewall:*:111122223333:firewall/*', US, true],
      ['arn:aws:network-firewall:us-east-1:111122223333:firewall/demo', US, true],
      ['arn:aws:network-firewall:us-east-1:111122223333:firewall/demo', EU, false],
      ['arn:aws:network-firewall:us-east-1:111122223333:firewall/demo', US_DEFAULT, true],
      ['arn:aws:network-firewall:eu-west-1:*', US_DEFAULT, false],
      ['arn:aws:network-firewall:*:444455556666:*', EU, true],
      // The star may not carry the account into the name: names have no ':' nor '/'.
      ['arn:aws:network-firewall:*:firewall/x:444455556666', US, false],
      ['arn:aws:network-firewall:*:444455556666/*', US, false],
      // Another partition's ARNs never match a commercial region's source.
      ['arn:aws-cn:network-firewall:*', EU, false],
      // A pattern that needs an empty name matches nothing.
      ['arn:aws:network-firewall:eu-west-1:444455556666:firewall/', EU, false],
    ];
    for (const [pattern, source, expected] of cases) {
      assert.equal(mayKnowSource(caller(pattern), source), expected, `${pattern} ${source.region}`);
    }
  });

  it('a caller without an allow-list (AUTH_MODE=none) may know every source', () => {
    assert.equal(mayKnowSource({ ...caller(), firewalls: undefined }, EU), true);
    assert.equal(mayKnowSource(caller(), EU), false, 'no patterns, no sources');
  });

  it('never hides a source from a caller who may see one of its firewalls', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const account = fc.stringMatching(/^\d{12}$/);
    const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-2', 'cn-north-1');
    fc.assert(
      fc.property(region, account, name, fc.array(fc.nat(), { maxLength: 6 }), (r, a, n, cuts) => {
        const partition = r.startsWith('cn-') ? 'aws-cn' : 'aws';
        const arn = `arn:${partition}:network-firewall:${r}:${a}:firewall/${n}`;
        // A pattern made from the ARN by replacing some runs with `*` matches it.
        let pattern = arn;
        for (const cut of cuts) {
          const at = cut % pattern.length;
          pattern = `${pattern.slice(0, at)}*${pattern.slice(at + 1 + (cut % 5))}`;
        }
        const who = caller(pattern);
        fc.pre(who.firewalls!.matches(arn));
        assert.equal(mayKnowSource(who, { region: r, accountId: a }), true, pattern);
        assert.equal(mayKnowSource(who, { region: r, accountId: undefined }), true, pattern);
      }),
      { numRuns: 500 },
    );
  });

  it('stays linear in the pattern: stars and letters up to 4,096 characters', () => {
    // No clock: the characters read on twice the pattern at most double (test/helpers/linear-work.ts).
    fc.assert(
      fc.property(
        adversarial(['', 'arn:', 'arn:aws:network-firewall:'], ['*', 'a', '*a', ':', '/', '1']),
        fc.constantFrom(EU, US, US_DEFAULT),
        (hostile, source) =>
          assertLinear('mayKnowSource', hostile, 2048, (pattern) =>
            mayKnowSource(caller(pattern), source),
          ),
      ),
      { numRuns: 20 },
    );
  });
});
