import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { RequestTargets } from '../../src/auth/targets.js';
import { Router } from '../../src/aws/routing.js';
import { ForbiddenError } from '../../src/errors.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

/**
 * Runs `fn` counting the evaluations of the firewall ARN pattern (src/aws/arn.ts), the only
 * regex whose source holds ":firewall/(": each is one parse of a firewall ARN.
 */
async function countingArnParses<T>(fn: () => Promise<T>): Promise<{ value: T; parses: number }> {
  let parses = 0;
  // Taken as a value to call on `this` below, the original behind the spy.
  const exec = Object.getOwnPropertyDescriptor(RegExp.prototype, 'exec')!.value as (
    this: RegExp,
    text: string,
  ) => RegExpExecArray | null;
  const spy = mock.method(RegExp.prototype, 'exec', function (this: RegExp, text: string) {
    // A source escapes its slashes.
    if (this.source.includes(String.raw`:firewall\/(`)) parses++;
    return exec.call(this, text);
  });
  try {
    const value = await fn();
    return { value, parses };
  } finally {
    spy.mock.restore();
  }
}

describe('a firewall ARN is parsed and routed once per request', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ AWS_REGION: 'us-east-1', NFW_REGIONS: 'us-east-1' });
  });
  after(() => gw.close());

  it('parses the ARN once for a query naming it in five fields that reach AWS', async () => {
    const query = `query($arn: String!, $az: String!) {
      a: firewall(firewallArn: $arn) {
        region accountId firewallName
        flowOperations(availabilityZone: $az, first: 1) { edges { cursor } }
      }
      b: firewall(firewallArn: $arn) { region availabilityZones }
      c: flowOperations(firewallArn: $arn, availabilityZone: $az, first: 1) { edges { cursor } }
    }`;
    const { value: res, parses } = await countingArnParses(() =>
      gw.gql(query, { arn: DEMO_ARN, az: DEMO_AZ }),
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(parses, 1);
  });

  it('parses the ARN once for a start, however many of its checks need the ARN', async () => {
    const { value: res, parses } = await countingArnParses(() =>
      gw.gql(
        `mutation($input: StartFlowOperationInput!) { startFlowFlush(input: $input) { flowOperationId firewallArn } }`,
        {
          input: {
            firewallArn: DEMO_ARN,
            availabilityZone: DEMO_AZ,
            flowFilters: [{ destinationPort: '443' }],
          },
        },
      ),
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(parses, 1);
  });
});

describe('RequestTargets', () => {
  const router = new Router({
    regions: ['us-east-1'],
    accounts: [],
    defaultAccountId: '111122223333',
    defaultRegion: 'us-east-1',
  });

  it('routes an ARN once and answers later asks from memory, refusals included at their path', () => {
    const targets = new RequestTargets(router);
    const first = targets.target(DEMO_ARN, 'firewallArn');
    assert.deepEqual(first, { region: 'us-east-1', account: undefined });
    assert.equal(targets.target(DEMO_ARN, 'ids[3]'), first);
    assert.equal(targets.parts(DEMO_ARN, 'firewallArn').accountId, '111122223333');
    const lab = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
    assert.throws(
      () => targets.target(lab, 'input.firewallArn'),
      (e: unknown) =>
        e instanceof ForbiddenError &&
        e.extensions.argumentPath === 'input.firewallArn' &&
        /Region us-west-2 is not configured: add it to NFW_REGIONS/.test(e.message),
    );
  });

  it('keeps a bounded number of ARNs whatever a request names, and still answers past the bound', async () => {
    const targets = new RequestTargets(router);
    const arn = (i: number) => `arn:aws:network-firewall:us-east-1:111122223333:firewall/fw-${i}`;
    for (let i = 0; i < 2000; i++) targets.target(arn(i), 'ids');
    const { parses } = await countingArnParses(() => {
      // Remembered: the first ones; past the bound, each ask parses again (and is still right).
      assert.equal(targets.parts(arn(0), 'ids').name, 'fw-0');
      assert.equal(targets.parts(arn(1999), 'ids').name, 'fw-1999');
      return Promise.resolve();
    });
    assert.equal(parses, 1);
  });
});
