import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DescribeFirewallCommand,
  DescribeFlowOperationCommand,
  InternalServerError,
  InvalidRequestException,
  ListFirewallsCommand,
  ListFlowOperationsCommand,
  ResourceNotFoundException,
  StartFlowCaptureCommand,
  StartFlowFlushCommand,
  ThrottlingException,
} from '@aws-sdk/client-network-firewall';
import type {
  FlowFilter,
  StartFlowCaptureCommandInput,
  NetworkFirewallServiceException,
} from '@aws-sdk/client-network-firewall';
import { ASSOC, ASSOC_ENDPOINT, DEMO, EU, PROD, clientFor, startSimulator } from './helpers.js';

const sim = await startSimulator({ operationDelayMs: 10 });
const client = clientFor(sim);
const AZ = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };

async function expectError(
  promise: Promise<unknown>,
  type: new (...args: never[]) => NetworkFirewallServiceException,
  status: number,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    assert.equal(e.name, type.name);
    assert.equal(e.$metadata.httpStatusCode, status);
    assert.match(e.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    if (message) assert.match(e.message, message);
    return true;
  });
}

function capture(input: Partial<StartFlowCaptureCommandInput>) {
  return client.send(
    new StartFlowCaptureCommand({
      ...AZ,
      FlowFilters: [{ Protocols: ['6'] }],
      ...input,
    }),
  );
}

describe('input validation maps to InvalidRequestException', { timeout: 20_000 }, () => {
  const cases: [string, Partial<StartFlowCaptureCommandInput>, RegExp][] = [
    [
      'bad octet',
      { FlowFilters: [{ SourceAddress: { AddressDefinition: '10.0.0.256/8' } }] },
      /FlowFilters\[0\]\.SourceAddress\.AddressDefinition '10\.0\.0\.256\/8' is not a valid IP address or CIDR block: octet 256 is out of range 0\.\.255/,
    ],
    [
      'short address',
      { FlowFilters: [{ DestinationAddress: { AddressDefinition: '1.2.3/24' } }] },
      /expected 4 dot-separated octets/,
    ],
    [
      'prefix too long',
      { FlowFilters: [{}, { SourceAddress: { AddressDefinition: '2001:db8::/129' } }] },
      /FlowFilters\[1\].*out of range 0\.\.128/,
    ],
    [
      'a bare address that is not one',
      { FlowFilters: [{ SourceAddress: { AddressDefinition: '10.0.0' } }] },
      /'10\.0\.0' is not a valid IP address or CIDR block: expected 4 dot-separated octets/,
    ],
    [
      'an address longer than AWS allows (255)',
      { FlowFilters: [{ SourceAddress: { AddressDefinition: `10.0.0.1${' '.repeat(300)}` } }] },
      /AddressDefinition must be 1 to 255 characters, got 308/,
    ],
    [
      'reversed port range',
      { FlowFilters: [{ SourcePort: '2000:1000' }] },
      /SourcePort '2000:1000' is not a valid port: range start 2000 is greater than range end 1000/,
    ],
    [
      'port out of range',
      { FlowFilters: [{ DestinationPort: '70000' }] },
      /DestinationPort '70000'/,
    ],
    [
      'protocol out of range',
      { FlowFilters: [{ Protocols: ['6', '256'] }] },
      /Protocols\[1\] '256' is not a valid IANA protocol number/,
    ],
    ['protocol name', { FlowFilters: [{ Protocols: ['tcp'] }] }, /Protocols\[0\] 'tcp'/],
    ['no filters', { FlowFilters: [] }, /between 1 and 20 filters, got 0/],
    [
      'too many filters',
      { FlowFilters: Array.from({ length: 21 }, (): FlowFilter => ({})) },
      /between 1 and 20 filters, got 21/,
    ],
    [
      'negative minimum age',
      { MinimumFlowAgeInSeconds: -1 },
      /MinimumFlowAgeInSeconds -1 is out of range/,
    ],
    [
      'malformed ARN',
      { FirewallArn: 'arn:aws:ec2:us-east-1:111122223333:instance/i-1' },
      /FirewallArn .* is not a valid ARN/,
    ],
    [
      'missing scope on a multi-AZ firewall',
      { AvailabilityZone: undefined },
      /AvailabilityZone or VpcEndpointAssociationArn is required: firewall demo is in 3 Availability Zones \(us-east-1a, us-east-1b, us-east-1c\)/,
    ],
    [
      'AZ the firewall is not in',
      { AvailabilityZone: 'us-east-1d' },
      /no endpoint in Availability Zone us-east-1d/,
    ],
    ['AZ and association together', { VpcEndpointId: 'vpce-0demo0assoc000001' }, /not both/],
    [
      'association ARN and endpoint id together, even when they agree',
      {
        AvailabilityZone: undefined,
        VpcEndpointAssociationArn: ASSOC,
        VpcEndpointId: ASSOC_ENDPOINT,
      },
      /Specify either VpcEndpointAssociationArn or VpcEndpointId, not both/,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => expectError(capture(input), InvalidRequestException, 400, message));
  }

  it('flushes are validated the same way', () =>
    expectError(
      client.send(new StartFlowFlushCommand({ ...AZ, FlowFilters: [{ SourcePort: 'any' }] })),
      InvalidRequestException,
      400,
      /upper case/,
    ));

  it('a malformed FlowOperationId is invalid, an unknown one is not found', async () => {
    await expectError(
      client.send(new DescribeFlowOperationCommand({ ...AZ, FlowOperationId: 'nope' })),
      InvalidRequestException,
      400,
      /FlowOperationId 'nope'/,
    );
    await expectError(
      client.send(
        new DescribeFlowOperationCommand({
          ...AZ,
          FlowOperationId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
      ResourceNotFoundException,
      400,
    );
  });

  it('DescribeFirewall needs an ARN or a name', () =>
    expectError(
      client.send(new DescribeFirewallCommand({})),
      InvalidRequestException,
      400,
      /ARN or the firewall name/,
    ));
});

describe('server-side errors', { timeout: 20_000 }, () => {
  it('throttling and 5xx map to the SDK classes', async () => {
    sim.faults.set({ throttleNext: 1 });
    await expectError(client.send(new ListFirewallsCommand({})), ThrottlingException, 400);
    sim.faults.set({ errorNext: 1 });
    await expectError(client.send(new ListFirewallsCommand({})), InternalServerError, 500);
    sim.faults.reset();
  });
});

describe('regions and accounts', { timeout: 20_000 }, () => {
  it('ListFirewalls lists the firewalls of the signing region', async () => {
    const east = await client.send(new ListFirewallsCommand({}));
    assert.deepEqual(
      east.Firewalls?.map((f) => f.FirewallArn),
      [DEMO, PROD],
    );
    const eu = await clientFor(sim, 'eu-west-1').send(new ListFirewallsCommand({}));
    assert.deepEqual(eu.Firewalls, [{ FirewallName: 'eu-inspection', FirewallArn: EU }]);
    const empty = await clientFor(sim, 'ap-south-1').send(new ListFirewallsCommand({}));
    assert.deepEqual(empty.Firewalls, []);

    const first = await client.send(new ListFirewallsCommand({ MaxResults: 1 }));
    assert.equal(first.Firewalls?.length, 1);
    const second = await client.send(
      new ListFirewallsCommand({ MaxResults: 1, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      second.Firewalls?.map((f) => f.FirewallArn),
      [PROD],
    );
    assert.equal(second.NextToken, undefined);

    const byVpc = await client.send(new ListFirewallsCommand({ VpcIds: ['vpc-nope'] }));
    assert.deepEqual(byVpc.Firewalls, []);
  });

  it('an ARN from another region is ResourceNotFound, and the region is logged', async () => {
    sim.log.clear();
    const eu = clientFor(sim, 'eu-west-1');
    await expectError(
      eu.send(new ListFlowOperationsCommand({ FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' })),
      ResourceNotFoundException,
      400,
    );
    await expectError(
      client.send(new DescribeFirewallCommand({ FirewallArn: EU })),
      ResourceNotFoundException,
      400,
    );
    const ok = await eu.send(new DescribeFirewallCommand({ FirewallArn: EU }));
    assert.equal(ok.Firewall?.FirewallName, 'eu-inspection');
    const [first, second, third] = sim.log.entries();
    assert.equal(first?.region, 'eu-west-1');
    assert.equal(first?.accessKeyId, 'AKIDTEST');
    assert.equal(first?.errorType, 'ResourceNotFoundException');
    assert.equal(first?.status, 400);
    assert.equal(second?.region, 'us-east-1');
    assert.equal(third?.status, 200);
    assert.deepEqual(third?.input, { FirewallArn: EU });
    assert.equal(sim.log.count('DescribeFirewall'), 2);
  });

  it('an unknown account in the signing region is ResourceNotFound', () =>
    expectError(
      client.send(
        new DescribeFirewallCommand({
          FirewallArn: 'arn:aws:network-firewall:us-east-1:999999999999:firewall/demo',
        }),
      ),
      ResourceNotFoundException,
      400,
    ));
});

describe('DescribeFirewall', { timeout: 20_000 }, () => {
  it('returns a realistic firewall by ARN or by name', async () => {
    const byArn = await client.send(new DescribeFirewallCommand({ FirewallArn: DEMO }));
    const byName = await client.send(new DescribeFirewallCommand({ FirewallName: 'demo' }));
    assert.deepEqual(byArn.Firewall, byName.Firewall);
    const fw = byArn.Firewall;
    assert.equal(fw?.FirewallName, 'demo');
    assert.equal(fw?.FirewallArn, DEMO);
    assert.match(fw?.FirewallId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(fw?.VpcId ?? '', /^vpc-[0-9a-f]{17}$/);
    assert.match(
      fw?.FirewallPolicyArn ?? '',
      /^arn:aws:network-firewall:us-east-1:111122223333:firewall-policy\//,
    );
    assert.equal(fw?.SubnetMappings?.length, 3);
    assert.equal(typeof fw?.DeleteProtection, 'boolean');
    const status = byArn.FirewallStatus;
    assert.equal(status?.Status, 'READY');
    assert.equal(status?.ConfigurationSyncStateSummary, 'IN_SYNC');
    assert.deepEqual(Object.keys(status?.SyncStates ?? {}), [
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
    const attachment = status?.SyncStates?.['us-east-1a']?.Attachment;
    assert.equal(attachment?.Status, 'READY');
    assert.match(attachment?.EndpointId ?? '', /^vpce-/);
    assert.equal(attachment?.SubnetId, fw?.SubnetMappings?.[0]?.SubnetId);
    await expectError(
      client.send(new DescribeFirewallCommand({ FirewallArn: DEMO, FirewallName: 'prod-egress' })),
      InvalidRequestException,
      400,
    );
    await expectError(
      client.send(new DescribeFirewallCommand({ FirewallName: 'missing' })),
      ResourceNotFoundException,
      400,
    );
  });
});
