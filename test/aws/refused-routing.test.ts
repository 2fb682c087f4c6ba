import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const LAB_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
const OTHER_ACCOUNT_ARN = 'arn:aws:network-firewall:us-east-1:999988887777:firewall/other';
const ROLE = 'arn:aws:iam::444455556666:role/nfw-gateway-read';

/** The `gateway_aws_calls_total` samples of one scrape, one line each. */
async function awsCallSamples(gw: TestGateway): Promise<string[]> {
  const res = await fetch(`${new URL(gw.metricsUrl).origin}/metrics`);
  assert.equal(res.status, 200);
  return (await res.text()).split('\n').filter((l) => l.startsWith('gateway_aws_calls_total{'));
}

/**
 * A refusal by routing (a region or account the gateway is not set up for) is the caller's
 * answer, decided next to authorize: no AWS call leaves, none is counted in
 * gateway_aws_calls_total, and nothing is logged as an AWS failure.
 */
describe('a refused region or account is no AWS call', () => {
  let gw: TestGateway;
  const logs: Record<string, unknown>[] = [];

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfw-refused-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(
      file,
      JSON.stringify({
        accounts: [{ accountId: '444455556666', roleArn: ROLE, regions: ['eu-west-1'] }],
      }),
    );
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    gw = await startGateway(
      {
        SIMULATOR_OPERATION_DELAY_MS: '600000',
        AWS_REGION: 'us-east-1',
        NFW_REGIONS: 'us-east-1',
        NFW_ACCOUNTS_FILE: file,
        NFW_DEFAULT_ACCOUNT_ID: '111122223333',
      },
      { logger: createLogger('debug', sink) },
    );
  });
  after(() => gw.close());

  it('answers FORBIDDEN naming the setting for queries, mutations and subscriptions, with no AWS call, no metric sample and no AWS log line', async () => {
    const samplesBefore = await awsCallSamples(gw);
    const cases: [string, RegExp][] = [
      [LAB_ARN, /Region us-west-2 is not configured: add it to NFW_REGIONS/],
      [OTHER_ACCOUNT_ARN, /Account 999988887777 is not configured: .*NFW_ACCOUNTS_FILE/],
    ];
    const client = gw.wsClient();
    for (const [arn, setting] of cases) {
      const answers = [
        await gw.gql(`query($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`, {
          arn,
        }),
        await gw.gql(
          `query($arn: String!) { flowOperation(firewallArn: $arn, availabilityZone: "us-east-1a", flowOperationId: "op-1") { flowOperationStatus } }`,
          { arn },
        ),
        await gw.gql(
          `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId } }`,
          {
            input: {
              firewallArn: arn,
              availabilityZone: 'us-east-1a',
              flowFilters: [{ destinationPort: '443' }],
            },
          },
        ),
      ];
      for (const res of answers) {
        assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(res.errors));
        assert.match(res.errors[0].message, setting);
      }
      assert.equal(answers[2]!.errors?.[0]?.extensions?.argumentPath, 'input.firewallArn');
      const sub = await subscribeAll(
        client,
        `subscription($arn: String!) { flowOperationEvents(firewallArn: $arn, availabilityZone: "us-east-1a") { flowOperationId } }`,
        { arn },
      );
      const subErrors = (sub.results[0]?.errors ?? sub.error) as
        { message: string; extensions?: Record<string, unknown> }[] | undefined;
      assert.equal(subErrors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(sub));
      assert.match(subErrors[0].message, setting);
    }
    assert.equal(gw.sim.log.count(), 0, 'nothing reached AWS');
    assert.deepEqual(await awsCallSamples(gw), samplesBefore, 'no gateway_aws_calls_total sample');
    assert.deepEqual(
      logs.filter((l) => 'awsOperation' in l),
      [],
      'no line logged about an AWS call',
    );

    // The same pipeline sees a call that does leave: one call, one sample, one line.
    const res = await gw.gql(
      `query($arn: String!) { firewall(firewallArn: $arn) { availabilityZones } }`,
      { arn: DEMO_ARN },
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.ok(
      (
        res.data as { firewall: { availabilityZones: string[] } }
      ).firewall.availabilityZones.includes(DEMO_AZ),
    );
    assert.equal(gw.sim.log.count(), 1);
    assert.deepEqual(
      (await awsCallSamples(gw)).filter((l) => !samplesBefore.includes(l)),
      ['gateway_aws_calls_total{operation="DescribeFirewall",outcome="ok"} 1'],
    );
    assert.deepEqual(
      logs.filter((l) => 'awsOperation' in l).map((l) => [l.awsOperation, l.outcome]),
      [['DescribeFirewall', 'ok']],
    );
  });
});
