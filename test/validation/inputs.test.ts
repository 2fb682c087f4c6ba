import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BadUserInputError, ErrorCode } from '../../src/errors.js';
import {
  MAX_FLOW_FILTERS,
  validateFirewallArn,
  validateOperationKey,
  validateScope,
  validateStartInput,
} from '../../src/validation/inputs.js';
import type { FlowFilterArgs, StartFlowOperationArgs } from '../../src/validation/inputs.js';

const ARN = 'arn:aws:network-firewall:us-east-1:123456789012:firewall/example-firewall';
const ASSOCIATION_ARN =
  'arn:aws:network-firewall:us-east-1:123456789012:vpc-endpoint-association/assoc-0123';

/** Runs `fn` and asserts that it threw BAD_USER_INPUT naming exactly `path`. */
function assertInvalid(fn: () => unknown, path: string): BadUserInputError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected ${path} to be refused`);
  assert.ok(
    thrown instanceof BadUserInputError,
    `expected BadUserInputError, got ${String(thrown)}`,
  );
  assert.equal(thrown.extensions.code, ErrorCode.BAD_USER_INPUT);
  assert.equal(thrown.extensions.argumentPath, path);
  assert.ok(
    thrown.message.startsWith(`${path} `),
    `message "${thrown.message}" does not start with ${path}`,
  );
  return thrown;
}

function start(flowFilters: readonly FlowFilterArgs[], over: Partial<StartFlowOperationArgs> = {}) {
  return validateStartInput({
    firewallArn: ARN,
    availabilityZone: 'us-east-1a',
    flowFilters,
    ...over,
  });
}

// ---- generators of valid values -------------------------------------------------------------

const octet = fc.integer({ min: 0, max: 255 });
const ipv4Cidr = fc
  .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 }))
  .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`);

const group = fc.integer({ min: 0, max: 0xffff });
/** IPv6 CIDRs in expanded, short-hex, upper-case and '::'-compressed forms. */
const ipv6Cidr = fc
  .tuple(
    fc.array(group, { minLength: 8, maxLength: 8 }),
    fc.integer({ min: 0, max: 128 }),
    fc.constantFrom('expanded', 'short', 'upper', 'compressed'),
    fc.nat(7),
    fc.integer({ min: 1, max: 8 }),
  )
  .map(([groups, prefix, style, at, len]) => {
    const hex = groups.map((g) => g.toString(16));
    let text: string;
    if (style === 'expanded') text = hex.map((h) => h.padStart(4, '0')).join(':');
    else if (style === 'upper') text = hex.join(':').toUpperCase();
    else if (style === 'short') text = hex.join(':');
    else {
      // Zero a run of groups and write it as '::'.
      const end = Math.min(8, at + len);
      text = `${hex.slice(0, at).join(':')}::${hex.slice(end).join(':')}`;
    }
    return `${text}/${prefix}`;
  });

/** A bare address, in every textual form above: AWS takes it as one host. */
const bareAddress = fc.oneof(ipv4Cidr, ipv6Cidr).map((text) => text.slice(0, text.indexOf('/')));
const cidr = fc.oneof(ipv4Cidr, ipv6Cidr, bareAddress);
const portNumber = fc.integer({ min: 0, max: 65535 });
const port = fc.oneof(
  fc.constant('ANY'),
  portNumber.map(String),
  fc.tuple(portNumber, portNumber).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
);
const protocol = fc.integer({ min: 0, max: 255 }).map(String);
const absent = fc.constantFrom(null, undefined);

const validFilter: fc.Arbitrary<FlowFilterArgs> = fc
  .record({
    sourceAddress: fc.oneof(
      cidr.map((a) => ({ addressDefinition: a })),
      absent,
    ),
    destinationAddress: fc.oneof(
      cidr.map((a) => ({ addressDefinition: a })),
      absent,
    ),
    sourcePort: fc.oneof(port, absent),
    destinationPort: fc.oneof(port, absent),
    protocols: fc.oneof(fc.array(protocol, { maxLength: 5 }), absent),
  })
  .map((f) => ({ ...f }));
const validFilters = fc.array(validFilter, { minLength: 1, maxLength: MAX_FLOW_FILTERS });

// ---- invalid values -------------------------------------------------------------------------

const BAD_ADDRESSES = [
  '192.0.2',
  '192.0.2.256',
  '2001:db8:::1',
  '192.0.2.0/33',
  '256.0.0.0/8',
  '10.0.0/8',
  '10.0.0.0.0/8',
  '10.0.0.0/08',
  '010.0.0.0/8',
  '10.0.0.0/-1',
  '10.0.0.0/',
  '/8',
  '10.0.0.0/8/8',
  ' 10.0.0.0/8',
  '10.0.0.0 /8',
  '2001:db8::/129',
  '2001:db8:::/64',
  '1::2::3/64',
  '1:2:3:4:5:6:7:8:9/64',
  '1:2:3:4:5:6:7/64',
  '12345::/64',
  'g::/64',
  'fe80::1%eth0/64',
  '::ffff:1.2.3/96',
  '1.2.3.4::/64',
  'abc',
  '',
];
const BAD_PORTS = [
  '65536',
  '-1',
  'any',
  'Any',
  '1994:1990',
  '1:2:3',
  '',
  ' 80',
  '80 ',
  '080',
  '00',
  '1.5',
  '0x50',
  '80-90',
  ':80',
  '80:',
  '+80',
  '1e3',
  '99999999999999999999',
  '0:65536',
  'ANY:80',
];
const BAD_PROTOCOLS = [
  '256',
  '-1',
  'tcp',
  'TCP',
  '',
  '06',
  '6.0',
  ' 6',
  '6 ',
  '+6',
  '1e2',
  '0x6',
  '1000',
];

type Field =
  'sourceAddress' | 'destinationAddress' | 'sourcePort' | 'destinationPort' | 'protocols';

// ---- tests ----------------------------------------------------------------------------------

describe('validateStartInput: AWS documentation examples', () => {
  const addresses = [
    '192.0.2.44/32',
    '192.0.2.0/24',
    '1111:0000:0000:0000:0000:0000:0000:0111/128',
    '1111:0000:0000:0000:0000:0000:0000:0000/64',
    '2001:db8::/64',
    '0.0.0.0/0',
    '::/0',
    '10.0.0.1/16',
    '::ffff:192.0.2.1/128',
    // Bare addresses, as the service's own flow results report them: one host.
    '192.0.2.44',
    '10.0.25.22',
    '2001:db8::8:800:200c:417a',
    '1111:0000:0000:0000:0000:0000:0000:0111',
    '::ffff:192.0.2.1',
    '::',
  ];
  for (const address of addresses) {
    it(`accepts the address ${address}`, () => {
      start([{ sourceAddress: { addressDefinition: address } }]);
      start([{ destinationAddress: { addressDefinition: address } }]);
    });
  }

  for (const p of ['ANY', '1994', '1990:1994', '0', '65535', '0:65535', '80:80']) {
    it(`accepts the port ${p}`, () => {
      start([{ sourcePort: p, destinationPort: p }]);
    });
  }

  it('accepts the protocols 6, 17, 0 and 255', () => {
    start([{ protocols: ['6', '17', '0', '255'] }]);
  });

  it('accepts a complete filter and returns the scope', () => {
    const scope = start([
      {
        sourceAddress: { addressDefinition: '192.0.2.0/24' },
        destinationAddress: { addressDefinition: '2001:db8::/64' },
        sourcePort: 'ANY',
        destinationPort: '1990:1994',
        protocols: ['6', '17'],
      },
    ]);
    assert.deepEqual(scope, { firewallArn: ARN, availabilityZone: 'us-east-1a' });
  });

  it('accepts a filter with nothing set, null fields and empty protocols', () => {
    start([{}]);
    start([
      {
        sourceAddress: null,
        destinationAddress: null,
        sourcePort: null,
        destinationPort: null,
        protocols: null,
      },
    ]);
    start([{ protocols: [] }]);
  });
});

describe('validateStartInput: paths of failures', () => {
  it('a bad destinationPort in filter 3', () => {
    const filters: FlowFilterArgs[] = [{}, {}, {}, { destinationPort: '70000' }, {}];
    const e = assertInvalid(() => start(filters), 'input.flowFilters[3].destinationPort');
    assert.match(e.message, /^input\.flowFilters\[3\]\.destinationPort must be ANY/);
  });

  it('a bad sourcePort in filter 0', () => {
    assertInvalid(() => start([{ sourcePort: 'http' }]), 'input.flowFilters[0].sourcePort');
  });

  it('a bad source and destination address', () => {
    assertInvalid(
      () => start([{}, { sourceAddress: { addressDefinition: '10.0.0' } }]),
      'input.flowFilters[1].sourceAddress.addressDefinition',
    );
    assertInvalid(
      () => start([{}, {}, { destinationAddress: { addressDefinition: '10.0.0.0/40' } }]),
      'input.flowFilters[2].destinationAddress.addressDefinition',
    );
  });

  it('a bad protocol at j = 2 of filter 1', () => {
    assertInvalid(
      () => start([{}, { protocols: ['6', '17', 'udp'] }]),
      'input.flowFilters[1].protocols[2]',
    );
  });

  it('0 and 21 filters', () => {
    assertInvalid(() => start([]), 'input.flowFilters');
    assertInvalid(() => start(Array.from({ length: 21 }, () => ({}))), 'input.flowFilters');
    start(Array.from({ length: 20 }, () => ({})));
  });

  it('negative minimum flow age; zero and null are fine', () => {
    assertInvalid(
      () => start([{}], { minimumFlowAgeInSeconds: -1 }),
      'input.minimumFlowAgeInSeconds',
    );
    start([{}], { minimumFlowAgeInSeconds: 0 });
    start([{}], { minimumFlowAgeInSeconds: null });
    start([{}], { minimumFlowAgeInSeconds: 3600 });
  });

  it('a bad ARN, before anything else is looked at', () => {
    assertInvalid(
      () => start([], { firewallArn: 'arn:aws:network-firewall:us-east-1:123:firewall/x' }),
      'input.firewallArn',
    );
  });

  it('bad scope parts under input.', () => {
    assertInvalid(() => start([{}], { availabilityZone: 'us-east-1' }), 'input.availabilityZone');
    assertInvalid(() => start([{}], { vpcEndpointId: 'vpc-123' }), 'input.vpcEndpointId');
    assertInvalid(
      () => start([{}], { vpcEndpointAssociationArn: ARN }),
      'input.vpcEndpointAssociationArn',
    );
  });

  it('the first bad field wins, in the order source/destination address, ports, protocols', () => {
    const filter: FlowFilterArgs = {
      sourceAddress: { addressDefinition: 'x' },
      destinationAddress: { addressDefinition: 'y' },
      sourcePort: 'z',
      destinationPort: 'w',
      protocols: ['v'],
    };
    assertInvalid(
      () => start([{}, filter]),
      'input.flowFilters[1].sourceAddress.addressDefinition',
    );
  });
});

describe('validateStartInput: properties', () => {
  it('accepts any generated set of valid filters', () => {
    fc.assert(
      fc.property(validFilters, (filters) => {
        assert.deepEqual(start(filters), { firewallArn: ARN, availabilityZone: 'us-east-1a' });
      }),
      { numRuns: 300 },
    );
  });

  it('one invalid value at a random filter and field fails with exactly that path', () => {
    const injection = fc.oneof(
      fc.record({
        field: fc.constantFrom<Field>('sourceAddress', 'destinationAddress'),
        bad: fc.constantFrom(...BAD_ADDRESSES),
      }),
      fc.record({
        field: fc.constantFrom<Field>('sourcePort', 'destinationPort'),
        bad: fc.constantFrom(...BAD_PORTS),
      }),
      fc.record({ field: fc.constant<Field>('protocols'), bad: fc.constantFrom(...BAD_PROTOCOLS) }),
    );
    fc.assert(
      fc.property(
        validFilters,
        fc.nat(),
        injection,
        fc.array(protocol, { maxLength: 4 }),
        fc.nat(),
        (filters, at, { field, bad }, protocols, pj) => {
          const i = at % filters.length;
          const target = { ...filters[i] };
          let path = `input.flowFilters[${i}].${field}`;
          if (field === 'sourceAddress' || field === 'destinationAddress') {
            target[field] = { addressDefinition: bad };
            path += '.addressDefinition';
          } else if (field === 'protocols') {
            const j = pj % (protocols.length + 1);
            target.protocols = [...protocols.slice(0, j), bad, ...protocols.slice(j)];
            path += `[${j}]`;
          } else {
            target[field] = bad;
          }
          const mutated = filters.map((f, k) => (k === i ? target : f));
          assertInvalid(() => start(mutated), path);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('arbitrary strings as ports, protocols and addresses never throw anything but BadUserInputError', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[0-9a-fA-F:./%]{0,45}$/),
      fc.stringMatching(/^[0-9:ANY]{0,12}$/),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<Field>(
          'sourceAddress',
          'destinationAddress',
          'sourcePort',
          'destinationPort',
          'protocols',
        ),
        text,
        (field, value) => {
          let filter: FlowFilterArgs;
          let path = `input.flowFilters[0].${field}`;
          if (field === 'sourceAddress' || field === 'destinationAddress') {
            filter = { [field]: { addressDefinition: value } };
            path += '.addressDefinition';
          } else if (field === 'protocols') {
            filter = { protocols: [value] };
            path += '[0]';
          } else {
            filter = { [field]: value };
          }
          try {
            start([filter]);
          } catch (error) {
            assert.ok(
              error instanceof BadUserInputError,
              `${JSON.stringify(value)} threw ${String(error)}`,
            );
            assert.equal(error.extensions.argumentPath, path);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ports: a number n is valid exactly when it is written canonically and 0 <= n <= 65535', () => {
    fc.assert(
      fc.property(fc.integer({ min: -70000, max: 140000 }), (n) => {
        const run = () => start([{ destinationPort: String(n) }]);
        if (n >= 0 && n <= 65535) run();
        else assertInvalid(run, 'input.flowFilters[0].destinationPort');
      }),
      { numRuns: 300 },
    );
  });

  it('port ranges: a:b is valid exactly when a <= b', () => {
    fc.assert(
      fc.property(portNumber, portNumber, (a, b) => {
        const run = () => start([{ sourcePort: `${a}:${b}` }]);
        if (a <= b) run();
        else assertInvalid(run, 'input.flowFilters[0].sourcePort');
      }),
      { numRuns: 300 },
    );
  });

  it('protocols: a number n is valid exactly when 0 <= n <= 255', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300, max: 600 }), (n) => {
        const run = () => start([{ protocols: ['6', String(n)] }]);
        if (n >= 0 && n <= 255) run();
        else assertInvalid(run, 'input.flowFilters[0].protocols[1]');
      }),
      { numRuns: 300 },
    );
  });

  it('IPv4 prefixes above 32 and IPv6 prefixes above 128 are refused', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 33, max: 200 }),
        fc.integer({ min: 129, max: 300 }),
        (p4, p6) => {
          assertInvalid(
            () => start([{ sourceAddress: { addressDefinition: `10.0.0.0/${p4}` } }]),
            'input.flowFilters[0].sourceAddress.addressDefinition',
          );
          assertInvalid(
            () => start([{ destinationAddress: { addressDefinition: `2001:db8::/${p6}` } }]),
            'input.flowFilters[0].destinationAddress.addressDefinition',
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('validateFirewallArn', () => {
  it('accepts ARNs in aws, aws-cn and aws-us-gov', () => {
    validateFirewallArn(ARN, 'firewallArn');
    validateFirewallArn(
      'arn:aws-cn:network-firewall:cn-north-1:123456789012:firewall/a',
      'firewallArn',
    );
    validateFirewallArn(
      'arn:aws-us-gov:network-firewall:us-gov-west-1:123456789012:firewall/a',
      'x',
    );
  });

  it('refuses with the given path and quotes the value', () => {
    const e = assertInvalid(() => validateFirewallArn('nope', 'firewallArn'), 'firewallArn');
    assert.match(e.message, /got "nope"$/);
  });

  it('truncates very long values in the message', () => {
    const e = assertInvalid(
      () => validateFirewallArn('x'.repeat(10_000), 'firewallArn'),
      'firewallArn',
    );
    assert.ok(e.message.length < 500, `message is ${e.message.length} characters`);
  });

  it('refuses policy and rule-group ARNs', () => {
    for (const arn of [
      'arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/p',
      'arn:aws:network-firewall:us-east-1:123456789012:stateful-rulegroup/r',
    ]) {
      assertInvalid(() => validateFirewallArn(arn, 'firewallArn'), 'firewallArn');
    }
  });
});

describe('validateScope', () => {
  it('returns only the parts that were given', () => {
    assert.deepEqual(validateScope({ firewallArn: ARN }), { firewallArn: ARN });
    assert.deepEqual(
      validateScope({ firewallArn: ARN, availabilityZone: null, vpcEndpointId: undefined }),
      { firewallArn: ARN },
    );
    assert.deepEqual(validateScope({ firewallArn: ARN, vpcEndpointId: 'vpce-0123456789abcdef0' }), {
      firewallArn: ARN,
      vpcEndpointId: 'vpce-0123456789abcdef0',
    });
    assert.deepEqual(
      validateScope({ firewallArn: ARN, vpcEndpointAssociationArn: ASSOCIATION_ARN }),
      { firewallArn: ARN, vpcEndpointAssociationArn: ASSOCIATION_ARN },
    );
  });

  it('refuses vpcEndpointId and vpcEndpointAssociationArn together, naming the ARN', () => {
    const both = {
      firewallArn: ARN,
      vpcEndpointId: 'vpce-0123456789abcdef0',
      vpcEndpointAssociationArn: ASSOCIATION_ARN,
    };
    const e = assertInvalid(() => validateScope(both), 'vpcEndpointAssociationArn');
    assert.match(e.message, /cannot be given with vpcEndpointId/);
    assertInvalid(() => validateScope(both, 'input.'), 'input.vpcEndpointAssociationArn');
    assertInvalid(
      () => start([{}], { ...both, availabilityZone: null }),
      'input.vpcEndpointAssociationArn',
    );
  });

  it('accepts Availability Zone names and ids', () => {
    for (const az of [
      'us-east-1a',
      'eu-central-1c',
      'us-gov-west-1b',
      'ap-northeast-3a',
      'use1-az1',
      'euw2-az3',
    ]) {
      assert.equal(validateScope({ firewallArn: ARN, availabilityZone: az }).availabilityZone, az);
    }
  });

  it('names firewallArn without a prefix and input.firewallArn with one', () => {
    assertInvalid(() => validateScope({ firewallArn: 'bad' }), 'firewallArn');
    assertInvalid(() => validateScope({ firewallArn: 'bad' }, 'input.'), 'input.firewallArn');
  });

  it('refuses bad zones, endpoint ids and association ARNs, naming each', () => {
    for (const az of ['us-east-1', 'US-EAST-1A', 'us-east-1ab', 'useast1a', '', 'us-east-1a ']) {
      assertInvalid(
        () => validateScope({ firewallArn: ARN, availabilityZone: az }),
        'availabilityZone',
      );
    }
    for (const id of ['vpc-123', 'vpce-', 'vpce-abc!', '', `vpce-${'a'.repeat(129)}`]) {
      assertInvalid(() => validateScope({ firewallArn: ARN, vpcEndpointId: id }), 'vpcEndpointId');
    }
    for (const arn of [
      ARN,
      '',
      'arn:aws:network-firewall:us-east-1:123456789012:vpc-endpoint-association/',
    ]) {
      assertInvalid(
        () => validateScope({ firewallArn: ARN, vpcEndpointAssociationArn: arn }),
        'vpcEndpointAssociationArn',
      );
    }
  });

  it('checks the firewall ARN first', () => {
    assertInvalid(
      () => validateScope({ firewallArn: 'bad', availabilityZone: 'bad' }),
      'firewallArn',
    );
  });
});

describe('validateOperationKey', () => {
  it('returns the scope plus the operation id', () => {
    assert.deepEqual(
      validateOperationKey({
        firewallArn: ARN,
        availabilityZone: 'us-east-1a',
        flowOperationId: 'op-123',
      }),
      { firewallArn: ARN, availabilityZone: 'us-east-1a', flowOperationId: 'op-123' },
    );
  });

  it('refuses bad operation ids naming flowOperationId', () => {
    for (const id of ['', 'a b', 'a/b', 'x'.repeat(129), 'op_1']) {
      assertInvalid(
        () => validateOperationKey({ firewallArn: ARN, flowOperationId: id }),
        'flowOperationId',
      );
    }
  });

  it('validates the scope before the id', () => {
    assertInvalid(
      () => validateOperationKey({ firewallArn: 'x', flowOperationId: '' }),
      'firewallArn',
    );
  });
});
