import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { authorize } from '../../src/auth/authorize.js';
import { bearer } from '../../src/auth/credentials.js';
import { CLAIM_LIMITS, principalFromClaims } from '../../src/auth/jwt.js';
import { FirewallPatterns, globMatches } from '../../src/auth/principal.js';
import type { Principal } from '../../src/auth/principal.js';
import { RequestTargets } from '../../src/auth/targets.js';
import { REGION, parseFirewallArn } from '../../src/aws/arn.js';
import { Router } from '../../src/aws/routing.js';
import { CursorCodec } from '../../src/cursor.js';
import type { GatewayError } from '../../src/errors.js';
import { parseCidr, parseIp, parsePort, parseProtocol } from '../../src/net/index.js';
import { clientAddress, parseTrustProxy } from '../../src/net/client-address.js';
import { requestIdFrom } from '../../src/observability/request-context.js';
import { DateTime } from '../../src/resolvers/scalars.js';
import { validateOperationKey, validateStartInput } from '../../src/validation/inputs.js';
import { DEMO_ARN } from '../helpers/gateway.js';
import { adversarial, assertLinear, grow } from '../helpers/linear-work.js';

/** A request's targets under a router that accepts every region and account. */
const anyTargets = () =>
  new RequestTargets(
    new Router({
      regions: [],
      accounts: [],
      defaultAccountId: undefined,
      defaultRegion: undefined,
    }),
  );

/**
 * Every regex and parser that meets caller text, on pathological input: 100 KB built from the
 * separators each grammar cares about, where a backtracking regex blows up. No clock: each regex
 * that runs is proven linear by recheck, and the work done (characters read) on twice the input
 * must at most double (test/helpers/linear-work.ts; test/limits/redos-harness.test.ts shows the
 * check failing on a catastrophic regex and on a quadratic parser).
 */
const SIZE = 100_000;
const RUNS = 20;

const ARN_HEADS = ['', 'arn:', 'arn:aws:', 'arn:aws:network-firewall:', `${DEMO_ARN}`];
const ARN_UNITS = [':', '/', '-', 'a', '1', 'firewall/', 'us-east-1', '*'];
const IP_HEADS = ['', '10.', '1:', '::', '2001:db8::', '::ffff:'];
const IP_UNITS = [':', '.', '0', '9', 'f', '::', '/', '1.'];
const NUMBER_UNITS = ['0', '9', ':', '1', ' ', 'A'];

const reader = (patterns: string[]): Principal => ({
  kind: 'apikey',
  id: 'reader',
  scopes: new Set(['read']),
  firewalls: new FirewallPatterns(patterns),
});
const DEFAULT_PATTERN = 'arn:aws:network-firewall:*:*:firewall/*';

/** The reference semantics of a `*` glob, for short strings only (it backtracks). */
function globByRegex(pattern: string, text: string): boolean {
  const source = pattern
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`).test(text);
}

describe('input bounds: no regex or walk over caller input is superlinear', () => {
  it('matches firewall patterns as the anchored glob does, without a regex', () => {
    const alphabet = fc.constantFrom('a', 'b', ':', '/', '*');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 10 }).map((a) => a.join('')),
        fc.array(fc.constantFrom('a', 'b', ':', '/'), { maxLength: 14 }).map((a) => a.join('')),
        (pattern, text) => {
          assert.equal(globMatches(pattern.split('*'), text), globByRegex(pattern, text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches a pattern with many stars against a 100 KB ARN in linear work', () => {
    fc.assert(
      fc.property(
        adversarial(ARN_HEADS, ARN_UNITS),
        fc.constantFrom(DEFAULT_PATTERN, '*:*:*:*:*:*:*:*:*x', `*${'/*'.repeat(200)}`, 'a*a*a*a*b'),
        (arn, pattern) => {
          const patterns = new FirewallPatterns([pattern]);
          assertLinear('FirewallPatterns.matches', arn, SIZE, (text) => patterns.matches(text));
          const parts = pattern.split('*');
          assertLinear('globMatches', arn, SIZE, (text) => globMatches(parts, text));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses a 100 KB firewallArn in authorize() with BAD_USER_INPUT, its path and a clipped value, for API keys and JWTs', () => {
    const jwt = principalFromClaims(
      { sub: 'someone', scope: 'read', nfw_firewalls: [DEFAULT_PATTERN] },
      'nfw_firewalls',
    );
    fc.assert(
      fc.property(adversarial(ARN_HEADS, ARN_UNITS), (hostile) => {
        const arn = grow(hostile, SIZE);
        for (const principal of [reader([DEFAULT_PATTERN]), jwt]) {
          assertLinear('authorize', hostile, SIZE, (text) =>
            authorize({ principal, targets: anyTargets() }, 'read', {
              arn: text,
              path: 'firewallArn',
            }),
          );
          assert.throws(
            () =>
              authorize({ principal, targets: anyTargets() }, 'read', { arn, path: 'firewallArn' }),
            (error: GatewayError) => {
              assert.equal(error.extensions.code, 'BAD_USER_INPUT');
              assert.equal(error.extensions.argumentPath, 'firewallArn');
              assert.ok(error.message.length < 512, `message of ${error.message.length} chars`);
              return true;
            },
          );
        }
      }),
      { numRuns: RUNS },
    );
    // The shape is checked too, not only the length: a short ARN that is not one never meets a pattern.
    assert.throws(
      () =>
        authorize({ principal: jwt, targets: anyTargets() }, 'read', {
          arn: 'arn:aws:x',
          path: 'firewallArn',
        }),
      /not a firewall ARN/,
    );
    assert.doesNotThrow(() =>
      authorize({ principal: jwt, targets: anyTargets() }, 'read', {
        arn: DEMO_ARN,
        path: 'firewallArn',
      }),
    );
  });

  it('parses ARNs, CIDRs, IPs, ports and protocols of 100 KB in linear work', () => {
    fc.assert(
      fc.property(
        adversarial(ARN_HEADS, ARN_UNITS),
        adversarial(IP_HEADS, IP_UNITS),
        adversarial(['', '1', 'ANY'], NUMBER_UNITS),
        (arn, ip, number) => {
          assertLinear('parseFirewallArn', arn, SIZE, parseFirewallArn);
          assertLinear('parseCidr', ip, SIZE, parseCidr);
          assertLinear('parseIp', ip, SIZE, parseIp);
          assertLinear('parsePort', number, SIZE, parsePort);
          assertLinear('parseProtocol', number, SIZE, parseProtocol);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('validates inputs of 100 KB in each field in linear work, with messages under 1 KB', () => {
    const fields = ['sourceAddress', 'destinationAddress', 'sourcePort', 'destinationPort'];
    fc.assert(
      fc.property(
        adversarial(IP_HEADS, [...IP_UNITS, ...NUMBER_UNITS]),
        fc.constantFrom(...fields, 'protocols', 'availabilityZone', 'vpcEndpointId', 'id'),
        (hostile, field) => {
          const run = (value: string) => {
            const filter: Record<string, unknown> = {};
            if (field.endsWith('Address')) filter[field] = { addressDefinition: value };
            else if (field === 'protocols') filter.protocols = [value];
            else if (field.endsWith('Port')) filter[field] = value;
            return field === 'id'
              ? validateOperationKey({ firewallArn: DEMO_ARN, flowOperationId: value })
              : validateStartInput({
                  firewallArn: DEMO_ARN,
                  ...(field === 'availabilityZone' ? { availabilityZone: value } : {}),
                  ...(field === 'vpcEndpointId' ? { vpcEndpointId: value } : {}),
                  flowFilters: [fields.includes(field) || field === 'protocols' ? filter : {}],
                });
          };
          assertLinear(`validate ${field}`, hostile, SIZE, run);
          assert.throws(
            () => run(grow(hostile, SIZE)),
            (error: GatewayError) => {
              assert.equal(error.extensions.code, 'BAD_USER_INPUT');
              assert.ok(error.message.length < 1024, `message of ${error.message.length} chars`);
              return true;
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parses 100 KB DateTime and region arguments in linear work, with messages under 1 KB', () => {
    fc.assert(
      fc.property(
        adversarial(['', '2026-11-25T17:04:48.', '2026-'], ['0', '9', ':', '-', '.', 'T', 'Z']),
        adversarial(['', 'us-', 'eu-west-'], ['-', 'a', 'z', '1', '-east']),
        (instant, region) => {
          assertLinear('DateTime.parseValue', instant, SIZE, (text) => DateTime.parseValue(text));
          assertLinear('REGION', region, SIZE, (text) => REGION.test(text));
          try {
            DateTime.parseValue(grow(instant, SIZE));
          } catch (error) {
            const length = (error as Error).message.length;
            assert.ok(length < 1024, `message of ${length} chars`);
          }
        },
      ),
      { numRuns: RUNS },
    );
    // RFC 3339 in form but not a real instant: the message quotes it, clipped.
    const month13 = `2026-13-45T17:04:48.${'0'.repeat(SIZE)}Z`;
    assert.throws(
      () => DateTime.parseValue(month13),
      (error: Error) => /not a real instant/.test(error.message) && error.message.length < 1024,
    );
  });

  it('decodes 100 KB cursors in linear work, refusing them', () => {
    const codec = new CursorCodec(Buffer.alloc(32, 7));
    const valid = codec.encode('k', 's', { token: 'x'.repeat(4000), offset: 3 });
    assert.deepEqual(codec.decode(valid, 'k', 's', 'after'), {
      token: 'x'.repeat(4000),
      offset: 3,
    });
    fc.assert(
      fc.property(
        adversarial(['', valid, 'e30.', 'A'], ['.', 'A', '-', '_', '=', '%', valid.slice(0, 8)]),
        (hostile) => {
          const decode = (cursor: string) => codec.decode(cursor, 'k', 's', 'after');
          assertLinear('CursorCodec.decode', hostile, SIZE, decode);
          assert.throws(() => decode(grow(hostile, SIZE)), /not a valid cursor/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parses 100 KB TRUST_PROXY lists and X-Forwarded-For headers in linear work', () => {
    const behindProxy = clientAddress(['10.0.0.0/8', 'loopback']);
    const byHops = clientAddress(3);
    const request = (xff: string) =>
      ({
        socket: { remoteAddress: '10.0.0.1' },
        headers: { 'x-forwarded-for': xff },
      }) as unknown as IncomingMessage;
    fc.assert(
      fc.property(
        adversarial(['', '10.0.0.1,', 'loopback,'], ['10.0.0.1,', ',', ' ', ':', '.', '::1,', '1']),
        (list) => {
          assertLinear('parseTrustProxy', list, SIZE, parseTrustProxy);
          assertLinear('clientAddress (list)', list, SIZE, (text) => behindProxy(request(text)));
          assertLinear('clientAddress (hops)', list, SIZE, (text) => byHops(request(text)));
        },
      ),
      { numRuns: RUNS },
    );
    // Thousands of trusted-looking hops: the peer and nine more are believed, as with TRUST_PROXY=10.
    const address = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    const chain = Array.from({ length: 5000 }, (_, i) => address(i)).join(', ');
    assert.equal(behindProxy(request(`203.0.113.9, ${chain}`)), address(4990));
    assert.throws(() => parseTrustProxy('10.0.0.1,'.repeat(100)), /at most 64/);
  });

  it('reads 100 KB credentials, request ids and JWT claims in linear work, refusing oversized claims', () => {
    fc.assert(
      fc.property(
        adversarial(['Bearer ', 'bearer', ''], [' ', '\t', 'a', '.', '=']),
        adversarial(['read ', ''], [' ', 'read', 'write', ' read']),
        (credential, hostileWords) => {
          assertLinear('bearer', credential, SIZE, bearer);
          assertLinear('requestIdFrom', credential, SIZE, requestIdFrom);
          const claimsOf = (words: string) => [
            { scope: words },
            { scp: words.split(' ') },
            { nfw_firewalls: words },
            { nfw_firewalls: words.split(' ') },
            { sub: words },
          ];
          for (let i = 0; i < claimsOf('').length; i++) {
            const payload = (words: string) => ({ sub: 'someone', ...claimsOf(words)[i] });
            assertLinear('principalFromClaims', hostileWords, SIZE, (words) =>
              principalFromClaims(payload(words), 'nfw_firewalls'),
            );
            const words = grow(hostileWords, SIZE);
            // 100 KB of spaces as `sub` is refused as blank before its length is looked at.
            assert.throws(
              () => principalFromClaims(payload(words), 'nfw_firewalls'),
              /too long|too many|no subject/,
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
    const patterns = Array.from({ length: CLAIM_LIMITS.patterns }, (_, i) => `${DEMO_ARN}-${i}`);
    const principal = principalFromClaims(
      { sub: 'someone', scope: 'read', nfw_firewalls: patterns },
      'nfw_firewalls',
    );
    assert.equal(principal.firewalls?.patterns.length, CLAIM_LIMITS.patterns);
  });
});
