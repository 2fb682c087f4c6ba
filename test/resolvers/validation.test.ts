import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const START = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`;
const FLUSH = `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId } }`;

function filter(overrides: Record<string, unknown> = {}) {
  return {
    sourceAddress: { addressDefinition: '10.0.0.0/16' },
    destinationPort: '443',
    protocols: ['6'],
    ...overrides,
  };
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    firewallArn: DEMO_ARN,
    availabilityZone: DEMO_AZ,
    flowFilters: [filter()],
    ...overrides,
  };
}

describe('invalid input is refused before any AWS call', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());
  beforeEach(() => gw.sim.log.clear());

  const cases: { name: string; input: Record<string, unknown>; path: string }[] = [
    {
      name: 'a malformed firewall ARN',
      input: input({ firewallArn: 'arn:aws:ec2:us-east-1:111122223333:instance/i-1' }),
      path: 'input.firewallArn',
    },
    {
      name: 'an 11-digit account',
      input: input({ firewallArn: 'arn:aws:network-firewall:us-east-1:11112222333:firewall/demo' }),
      path: 'input.firewallArn',
    },
    {
      name: 'an IPv4 octet above 255',
      input: input({
        flowFilters: [filter(), filter({ sourceAddress: { addressDefinition: '10.0.0.256/24' } })],
      }),
      path: 'input.flowFilters[1].sourceAddress.addressDefinition',
    },
    {
      name: 'an IPv6 prefix above 128',
      input: input({
        flowFilters: [filter({ destinationAddress: { addressDefinition: '2001:db8::/129' } })],
      }),
      path: 'input.flowFilters[0].destinationAddress.addressDefinition',
    },
    {
      name: 'a reversed port range',
      input: input({
        flowFilters: [filter(), filter(), filter(), filter({ destinationPort: '1994:1990' })],
      }),
      path: 'input.flowFilters[3].destinationPort',
    },
    {
      name: 'a port above 65535',
      input: input({ flowFilters: [filter({ sourcePort: '65536' })] }),
      path: 'input.flowFilters[0].sourcePort',
    },
    {
      name: 'a protocol above 255',
      input: input({ flowFilters: [filter({ protocols: ['6', '256'] })] }),
      path: 'input.flowFilters[0].protocols[1]',
    },
    {
      name: 'a protocol name instead of a number',
      input: input({ flowFilters: [filter({ protocols: ['tcp'] })] }),
      path: 'input.flowFilters[0].protocols[0]',
    },
    { name: 'no filters', input: input({ flowFilters: [] }), path: 'input.flowFilters' },
    {
      name: '21 filters',
      input: input({ flowFilters: Array.from({ length: 21 }, () => filter()) }),
      path: 'input.flowFilters',
    },
    {
      name: 'a negative minimum age',
      input: input({ minimumFlowAgeInSeconds: -1 }),
      path: 'input.minimumFlowAgeInSeconds',
    },
    {
      name: 'a bare address that is not one',
      input: input({
        flowFilters: [filter({ destinationAddress: { addressDefinition: '10.0.25' } })],
      }),
      path: 'input.flowFilters[0].destinationAddress.addressDefinition',
    },
    {
      name: 'a VPC endpoint id and an endpoint association ARN together',
      input: input({
        availabilityZone: null,
        vpcEndpointId: 'vpce-0demo0assoc000001',
        vpcEndpointAssociationArn:
          'arn:aws:network-firewall:us-east-1:111122223333:vpc-endpoint-association/demo-assoc',
      }),
      path: 'input.vpcEndpointAssociationArn',
    },
    {
      name: 'a malformed Availability Zone',
      input: input({ availabilityZone: 'not a zone' }),
      path: 'input.availabilityZone',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} naming ${c.path}`, async () => {
      for (const mutation of [START, FLUSH]) {
        const res = await gw.gql(mutation, { input: c.input });
        assert.equal(res.errors?.length, 1, JSON.stringify(res.errors));
        const error = res.errors[0]!;
        assert.equal(error.extensions?.code, 'BAD_USER_INPUT');
        assert.equal(error.extensions?.argumentPath, c.path);
        assert.ok(error.message.startsWith(c.path), error.message);
        assert.equal(error.extensions?.stacktrace, undefined);
      }
      assert.equal(gw.sim.log.count(), 0, 'nothing reached the simulator');
    });
  }

  it('refuses first outside 0..100 and forged or foreign cursors', async () => {
    for (const first of [101, -5]) {
      const res = await gw.gql(
        `query($first: Int) { flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", first: $first) { edges { cursor } } }`,
        { first },
      );
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'first');
    }
    const forged =
      Buffer.from(JSON.stringify({ v: 1, k: 'flowOperations', s: '', t: 'x', o: 0 })).toString(
        'base64url',
      ) + '.AAAA';
    for (const after of ['not-a-cursor', forged, '']) {
      const res = await gw.gql(
        `query($after: String) { flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", after: $after) { edges { cursor } } }`,
        { after },
      );
      assert.equal(
        res.errors?.[0]?.extensions?.code,
        'BAD_USER_INPUT',
        `cursor ${JSON.stringify(after)}`,
      );
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'after');
    }
    assert.equal(gw.sim.log.count(), 0);

    // A real cursor from the firewalls list is no cursor for flowOperations.
    const firewalls = await gw.gql<{ firewalls: { edges: { cursor: string }[] } }>(
      `{ firewalls(first: 1) { edges { cursor } } }`,
    );
    const foreign = firewalls.data!.firewalls.edges[0]!.cursor;
    gw.sim.log.clear();
    const res = await gw.gql(
      `query($after: String) { flowOperations(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", after: $after) { edges { cursor } } }`,
      { after: foreign },
    );
    assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(gw.sim.log.count(), 0);
  });

  it('refuses a bad ARN on every query argument that names a firewall', async () => {
    const bad = 'arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/x';
    const queries = [
      `{ flowOperation(firewallArn: "${bad}", flowOperationId: "x") { flowOperationId } }`,
      `{ flowOperations(firewallArn: "${bad}") { edges { cursor } } }`,
      `{ firewall(firewallArn: "${bad}") { firewallName } }`,
    ];
    for (const q of queries) {
      const res = await gw.gql(q);
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', q);
      assert.equal(res.errors?.[0]?.extensions?.argumentPath, 'firewallArn');
    }
    assert.equal(gw.sim.log.count(), 0);
  });

  it('maps AWS validation that the gateway cannot know in advance to BAD_USER_INPUT', async () => {
    // The ARN is well-formed, but the demo firewall has no such zone: only AWS can say so.
    const res = await gw.gql(START, { input: input({ availabilityZone: 'us-east-1f' }) });
    assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(res.errors?.[0]?.extensions?.awsErrorName, 'InvalidRequestException');
    assert.ok(res.errors?.[0]?.extensions?.awsRequestId);
  });

  it('says NOT_FOUND for an unknown firewall', async () => {
    const res = await gw.gql(
      `{ firewall(firewallArn: "arn:aws:network-firewall:us-east-1:111122223333:firewall/nope") { firewallName } }`,
    );
    assert.equal(res.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});
