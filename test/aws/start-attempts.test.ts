import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  InternalServerError,
  InvalidRequestException,
  ThrottlingException,
} from '@aws-sdk/client-network-firewall';
import { SdkNetworkFirewallApi } from '../../src/aws/network-firewall-api.js';
import { classifyStartFailure, lostAnswerReason } from '../../src/aws/start-attempts.js';
import { ErrorCode, GatewayError, markCredentialsFailure } from '../../src/errors.js';
import { DEMO_ARN, DEMO_AZ } from '../helpers/gateway.js';
import type { Target } from '../../src/aws/routing.js';

/** Where the calls go: routed by the caller (src/auth/targets.ts), as resolvers do. */
const TARGET: Target = { region: 'us-east-1', account: undefined };

const answered = (status: number) => ({ httpStatusCode: status, attempts: 1, totalRetryDelay: 0 });
const network = (code: string, name = 'Error') => Object.assign(new Error(code), { code, name });

describe('what a failed start attempt proves', () => {
  it('retries only what AWS provably did not act on', () => {
    const cases: [string, unknown, string][] = [
      [
        'ThrottlingException (400)',
        new ThrottlingException({ message: 'Rate exceeded', $metadata: answered(400) }),
        'retry',
      ],
      ['any 429', Object.assign(new Error('slow'), { $metadata: answered(429) }), 'retry'],
      ['ECONNREFUSED', network('ECONNREFUSED'), 'retry'],
      ['DNS failure', network('ENOTFOUND'), 'retry'],
      [
        'InvalidRequestException (400)',
        new InvalidRequestException({ message: 'bad zone', $metadata: answered(400) }),
        'failed',
      ],
      [
        'no credentials',
        Object.assign(new Error('none'), { name: 'CredentialsProviderError' }),
        'failed',
      ],
      [
        'InternalServerError (500)',
        new InternalServerError({ message: 'oops', $metadata: answered(500) }),
        'unknown',
      ],
      [
        'a 503 from a load balancer',
        Object.assign(new Error('x'), { $metadata: answered(503) }),
        'unknown',
      ],
      ['request timeout', network('ETIMEDOUT', 'TimeoutError'), 'unknown'],
      ['reset after sending', network('ECONNRESET'), 'unknown'],
      ['EPIPE', network('EPIPE'), 'unknown'],
      [
        'STS answered 500 while the role was assumed (the start was never sent)',
        markCredentialsFailure(
          Object.assign(new Error('sts down'), {
            name: 'InternalFailure',
            $metadata: answered(500),
          }),
        ),
        'failed',
      ],
      [
        'STS timed out while the role was assumed',
        markCredentialsFailure(network('ETIMEDOUT', 'TimeoutError')),
        'failed',
      ],
      ['anything else', new Error('???'), 'unknown'],
      ['not an error', 'boom', 'unknown'],
    ];
    for (const [what, error, verdict] of cases) {
      assert.equal(classifyStartFailure(error), verdict, what);
    }
  });

  it('says why an outcome is unknown in its own words', () => {
    assert.equal(
      lostAnswerReason(network('ETIMEDOUT', 'TimeoutError'), 300),
      'no answer within 300 ms',
    );
    assert.equal(
      lostAnswerReason(network('ECONNRESET'), 300),
      'the connection was lost (ECONNRESET)',
    );
    assert.equal(
      lostAnswerReason(new InternalServerError({ message: 'secret', $metadata: answered(500) }), 1),
      'AWS answered HTTP 500 InternalServerError',
    );
  });

  it('a refused connection is retried up to AWS_MAX_ATTEMPTS and is a failure, not an unknown outcome', async () => {
    // A port that was just free: nothing listens there, so every connection is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const api = new SdkNetworkFirewallApi({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 3,
      requestTimeoutMs: 1000,
      startTimeoutMs: 1000,
      connectTimeoutMs: 1000,
      maxSockets: 5,
    });
    const attempts: number[] = [];
    api.onAttempts = (_operation, n) => attempts.push(n);
    try {
      await assert.rejects(
        api.startFlowFlush(
          {
            FirewallArn: DEMO_ARN,
            AvailabilityZone: DEMO_AZ,
            FlowFilters: [{ DestinationPort: '443' }],
          },
          TARGET,
        ),
        (e: unknown) => e instanceof GatewayError && e.code === ErrorCode.UPSTREAM_ERROR,
      );
      assert.deepEqual(attempts, [3]);
    } finally {
      api.destroy();
    }
  });
});
