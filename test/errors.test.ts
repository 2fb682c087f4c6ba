import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  InsufficientCapacityException,
  InternalServerError,
  InvalidOperationException,
  InvalidRequestException,
  LimitExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  UnsupportedOperationException,
} from '@aws-sdk/client-network-firewall';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import {
  BadUserInputError,
  ErrorCode,
  ForbiddenError,
  GatewayError,
  NotFoundError,
  ThrottledError,
  UnauthenticatedError,
  UnreachableCaseError,
  UpstreamError,
  awsMessageOf,
  formatError,
  mapAwsError,
  markCredentialsFailure,
  scrubAwsText,
} from '../src/errors.js';
import { adversarial, assertLinear } from './helpers/linear-work.js';

const WHAT = 'DescribeFlowOperation';

function metadata(requestId: string | undefined, httpStatusCode: number, attempts = 1) {
  return { requestId, httpStatusCode, attempts };
}

/** No stack frames, no SDK internals, no multi-line dumps in what a client reads. */
function assertClean(error: GatewayError, source: unknown): void {
  assert.doesNotMatch(error.message, /\n\s*at /);
  assert.doesNotMatch(error.message, /\.(?:ts|js):\d+/);
  assert.doesNotMatch(error.message, /\$metadata|\$fault|node_modules/);
  if (source instanceof Error && source.stack) {
    assert.ok(!error.message.includes(source.stack), 'message contains the source stack');
  }
  assert.equal(error.extensions.stacktrace, undefined);
  assert.equal(error.originalError, undefined);
}

describe('mapAwsError with real AWS SDK exceptions', () => {
  it('InvalidRequestException → BAD_USER_INPUT with the AWS message and request id', () => {
    const source = new InvalidRequestException({
      message: 'FlowFilters must not be empty',
      $metadata: metadata('req-111', 400, 1),
    });
    const e = mapAwsError(source, 'StartFlowCapture');
    assert.ok(e instanceof BadUserInputError);
    assert.equal(e.code, ErrorCode.BAD_USER_INPUT);
    assert.equal(e.extensions.code, 'BAD_USER_INPUT');
    assert.equal(e.extensions.awsRequestId, 'req-111');
    assert.equal(e.extensions.awsErrorName, 'InvalidRequestException');
    assert.equal(e.message, 'StartFlowCapture rejected the request: FlowFilters must not be empty');
    assertClean(e, source);
  });

  it('ResourceNotFoundException → NOT_FOUND', () => {
    const source = new ResourceNotFoundException({
      message: 'Flow operation abc not found',
      $metadata: metadata('req-222', 400),
    });
    const e = mapAwsError(source, WHAT);
    assert.ok(e instanceof NotFoundError);
    assert.equal(e.extensions.code, 'NOT_FOUND');
    assert.equal(e.extensions.awsRequestId, 'req-222');
    assert.equal(e.extensions.awsErrorName, 'ResourceNotFoundException');
    assert.equal(e.message, 'Flow operation abc not found');
    assertClean(e, source);
  });

  it('ResourceNotFoundException without a message still names the call', () => {
    const source = new ResourceNotFoundException({ message: '', $metadata: metadata('r', 400) });
    assert.equal(mapAwsError(source, WHAT).message, `${WHAT}: resource not found`);
  });

  it('ThrottlingException → THROTTLED, reporting the attempts the SDK made', () => {
    const source = new ThrottlingException({
      message: 'Rate exceeded',
      $metadata: metadata('req-333', 400, 3),
    });
    const e = mapAwsError(source, WHAT);
    assert.ok(e instanceof ThrottledError);
    assert.equal(e.extensions.code, 'THROTTLED');
    assert.equal(e.extensions.awsRequestId, 'req-333');
    assert.equal(e.extensions.awsErrorName, 'ThrottlingException');
    assert.equal(e.message, `AWS throttled ${WHAT} after 3 attempt(s); retry later`);
    assertClean(e, source);
  });

  it('LimitExceededException → THROTTLED', () => {
    const source = new LimitExceededException({ message: 'x', $metadata: metadata('r', 400) });
    assert.equal(mapAwsError(source, WHAT).extensions.code, 'THROTTLED');
  });

  it('InternalServerError (a server fault) → UPSTREAM_ERROR without the AWS message', () => {
    const source = new InternalServerError({
      message: 'java.lang.NullPointerException at com.amazon.Foo',
      $metadata: metadata('req-444', 500, 3),
    });
    const e = mapAwsError(source, WHAT);
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.extensions.code, 'UPSTREAM_ERROR');
    assert.equal(e.extensions.awsRequestId, 'req-444');
    assert.equal(e.extensions.awsErrorName, 'InternalServerError');
    assert.equal(e.message, `AWS failed ${WHAT} (InternalServerError)`);
    assert.ok(!e.message.includes('NullPointer'));
    assertClean(e, source);
  });

  it('other server faults → UPSTREAM_ERROR, even with a 4xx status', () => {
    const source = new InsufficientCapacityException({
      message: 'm',
      $metadata: metadata('r', 400),
    });
    const e = mapAwsError(source, WHAT);
    assert.equal(e.extensions.code, 'UPSTREAM_ERROR');
    assert.equal(e.extensions.awsErrorName, 'InsufficientCapacityException');
  });

  it('other client faults → BAD_USER_INPUT', () => {
    for (const Ctor of [InvalidOperationException, UnsupportedOperationException]) {
      const source = new Ctor({ message: 'not here', $metadata: metadata('r-9', 400) });
      const e = mapAwsError(source, WHAT);
      assert.ok(e instanceof BadUserInputError);
      assert.equal(e.extensions.awsErrorName, source.name);
      assert.equal(e.extensions.awsRequestId, 'r-9');
      assert.equal(e.message, `${WHAT} rejected the request: not here`);
    }
  });

  it('omits awsRequestId when the SDK has none', () => {
    const source = new ThrottlingException({ message: 'x', $metadata: metadata(undefined, 400) });
    const e = mapAwsError(source, WHAT);
    assert.ok(!('awsRequestId' in e.extensions));
  });

  it('credential failures are the operator’s problem: UPSTREAM_ERROR', () => {
    for (const name of [
      'AccessDeniedException',
      'UnrecognizedClientException',
      'ExpiredTokenException',
    ]) {
      const source = Object.assign(new Error('denied'), { name, $metadata: metadata('r', 403) });
      const e = mapAwsError(source, WHAT);
      assert.ok(e instanceof UpstreamError, name);
      assert.equal(e.extensions.awsErrorName, name);
    }
  });
});

describe('mapAwsError with transport and unknown errors', () => {
  it('Node network errors → UPSTREAM_ERROR naming the code', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EAI_AGAIN',
      'UND_ERR_SOCKET',
    ]) {
      const source = Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
      const e = mapAwsError(source, WHAT);
      assert.ok(e instanceof UpstreamError, code);
      assert.equal(e.extensions.code, 'UPSTREAM_ERROR');
      assert.equal(e.message, `Could not reach AWS for ${WHAT} (${code})`);
      assert.equal(e.extensions.awsErrorName, 'Error');
      assert.ok(!('awsRequestId' in e.extensions));
      assertClean(e, source);
    }
  });

  it('the SDK’s TimeoutError shape → UPSTREAM_ERROR', () => {
    const source = Object.assign(new Error('Connection timed out after 3000 ms'), {
      name: 'TimeoutError',
    });
    const e = mapAwsError(source, WHAT);
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.message, `AWS did not answer ${WHAT} in time`);
    assert.equal(e.extensions.awsErrorName, 'TimeoutError');
    assertClean(e, source);
  });

  it('an AbortError → UPSTREAM_ERROR', () => {
    const source = new DOMException('This operation was aborted', 'AbortError');
    assert.equal(mapAwsError(source, WHAT).extensions.code, 'UPSTREAM_ERROR');
  });

  it('a 5xx without a known name → UPSTREAM_ERROR', () => {
    const source = Object.assign(new Error('bad gateway'), {
      name: 'UnknownError',
      $metadata: metadata('req-5', 502),
    });
    const e = mapAwsError(source, WHAT);
    assert.equal(e.extensions.code, 'UPSTREAM_ERROR');
    assert.equal(e.extensions.awsRequestId, 'req-5');
    assert.equal(e.message, `AWS failed ${WHAT} (UnknownError)`);
  });

  it('unknown errors → UPSTREAM_ERROR without their message or stack', () => {
    const source = new TypeError("Cannot read properties of undefined (reading 'Flows')");
    const e = mapAwsError(source, WHAT);
    assert.ok(e instanceof UpstreamError);
    assert.equal(e.message, `${WHAT} failed (TypeError)`);
    assertClean(e, source);
  });

  it('passes a GatewayError through unchanged', () => {
    const original = new NotFoundError('gone', { argumentPath: 'x' });
    assert.equal(mapAwsError(original, WHAT), original);
  });

  it('never throws and always returns a GatewayError with a known code, whatever it is given', () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    const weird = fc.oneof(
      fc.anything(),
      fc.record(
        {
          name: fc.oneof(
            fc.string(),
            fc.constantFrom('ThrottlingException', 'TimeoutError'),
            fc.anything(),
          ),
          message: fc.anything(),
          code: fc.oneof(fc.string(), fc.constantFrom('ECONNRESET'), fc.anything()),
          $fault: fc.constantFrom('client', 'server', undefined, 7),
          $metadata: fc.oneof(
            fc.constant(null),
            fc.record(
              { requestId: fc.string(), httpStatusCode: fc.integer(), attempts: fc.nat() },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(weird, (value) => {
        const e = mapAwsError(value, WHAT);
        assert.ok(e instanceof GatewayError);
        assert.ok(codes.has(String(e.extensions.code)));
        assert.equal(e.extensions.code, e.code);
        assert.equal(typeof e.extensions.awsErrorName, 'string');
      }),
      { numRuns: 300 },
    );
  });

  it('maps primitives and null', () => {
    for (const value of [null, undefined, 'boom', 42, Symbol('s')]) {
      const e = mapAwsError(value, WHAT);
      assert.ok(e instanceof UpstreamError);
      assert.equal(e.message, `${WHAT} failed (Error)`);
    }
  });
});

describe('error classes', () => {
  it('carry their code in extensions and as a property, plus the given extensions', () => {
    const cases: [GatewayError, ErrorCode][] = [
      [new BadUserInputError('m', { argumentPath: 'p' }), ErrorCode.BAD_USER_INPUT],
      [new NotFoundError('m'), ErrorCode.NOT_FOUND],
      [new UnauthenticatedError(), ErrorCode.UNAUTHENTICATED],
      [new ForbiddenError('m'), ErrorCode.FORBIDDEN],
      [new ThrottledError('m'), ErrorCode.THROTTLED],
      [new UpstreamError('m'), ErrorCode.UPSTREAM_ERROR],
    ];
    for (const [error, code] of cases) {
      assert.ok(error instanceof GraphQLError);
      assert.equal(error.code, code);
      assert.equal(error.extensions.code, code);
    }
    assert.equal(cases[0]?.[0].extensions.argumentPath, 'p');
    assert.equal(new UnauthenticatedError().message, 'Authentication required');
  });

  it('an extension cannot override the code', () => {
    const e = new NotFoundError('m', { code: 'SOMETHING_ELSE' });
    assert.equal(e.extensions.code, 'NOT_FOUND');
  });

  it('UnreachableCaseError names the value', () => {
    assert.match(new UnreachableCaseError('x' as never).message, /Unreachable case: "x"/);
  });
});

describe('formatError', () => {
  const stacktrace = ['GraphQLError: m', '    at resolve (/app/src/resolvers/Query.ts:12:3)'];
  const locations = [{ line: 2, column: 3 }];
  const path = ['firewall', 'flowOperations'];

  it('keeps message, extensions, path and locations of known codes, dropping the stack trace', () => {
    for (const code of [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'THROTTLED',
      'RATE_LIMITED',
      'UPSTREAM_ERROR',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_REQUEST',
      'PERSISTED_QUERY_NOT_FOUND',
    ]) {
      const formatted: GraphQLFormattedError = {
        message: `a ${code} message`,
        locations,
        path,
        extensions: { code, argumentPath: 'input.x', awsRequestId: 'r-1', stacktrace },
      };
      assert.deepEqual(formatError(formatted, false), {
        message: `a ${code} message`,
        locations,
        path,
        extensions: { code, argumentPath: 'input.x', awsRequestId: 'r-1' },
      });
    }
  });

  it('masks unknown codes, keeping only path and locations', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(Object.values(ErrorCode) as string[]).includes(s)),
        fc.string(),
        (code, message) => {
          fc.pre(!(Object.values(ApolloServerErrorCode) as string[]).includes(code));
          const out = formatError(
            { message, locations, path, extensions: { code, secret: 'db-password', stacktrace } },
            false,
          );
          assert.deepEqual(out, {
            message: 'Internal server error',
            locations,
            path,
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('masks errors without a code or without extensions, and omits absent path/locations', () => {
    assert.deepEqual(formatError({ message: 'TypeError: x is undefined' }, false), {
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    assert.deepEqual(formatError({ message: 'm', extensions: { code: 42 } }, false), {
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('masks what Apollo labels INTERNAL_SERVER_ERROR (an unexpected throw), not leaking its message', () => {
    // Apollo gives every error without a code INTERNAL_SERVER_ERROR before calling formatError.
    const out = formatError(
      {
        message: "Cannot read properties of undefined (reading 'FirewallArn')",
        path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace },
      },
      false,
    );
    assert.deepEqual(out, {
      message: 'Internal server error',
      path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('passes everything through when exposeDetails is true', () => {
    const unknown: GraphQLFormattedError = {
      message: 'internal detail',
      path,
      extensions: { code: 'WHATEVER', stacktrace },
    };
    assert.equal(formatError(unknown, true), unknown);
    const known: GraphQLFormattedError = {
      message: 'm',
      extensions: { code: 'NOT_FOUND', stacktrace },
    };
    assert.deepEqual(formatError(known, true), known);
  });

  it('formats a mapped AWS error end to end without internals', () => {
    const source = new InternalServerError({
      message: 'secret',
      $metadata: metadata('req-7', 500),
    });
    const out = formatError(mapAwsError(source, WHAT).toJSON(), false);
    assert.equal(out.extensions?.code, 'UPSTREAM_ERROR');
    assert.equal(out.extensions?.awsRequestId, 'req-7');
    assert.ok(!JSON.stringify(out).includes('secret'));
  });
});

describe('mapAwsError keeps AWS detail about the gateway and other accounts out of responses', () => {
  const ROLE = 'arn:aws:iam::444455556666:role/nfw-gateway-read';
  const CALLER = 'arn:aws:sts::111122223333:assumed-role/nfw-flow-gateway/i-0123456789abcdef0';
  const leaks = /444455556666|111122223333|arn:aws|i-0123456789abcdef0|nfw-gateway-read/;

  /** What the SDK throws when STS refuses AssumeRole: an ordinary client fault named AccessDenied. */
  function stsAccessDenied(): Error {
    return Object.assign(
      new Error(
        `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      ),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: metadata('sts-req-1', 403),
      },
    );
  }

  it('an STS AssumeRole refusal is UPSTREAM_ERROR, not BAD_USER_INPUT, and names no role or account', () => {
    const e = mapAwsError(markCredentialsFailure(stsAccessDenied()), 'ListFirewalls');
    assert.ok(e instanceof UpstreamError, `${e.code}: ${e.message}`);
    assert.equal(e.extensions.awsErrorName, 'AccessDenied');
    assert.equal(e.extensions.awsRequestId, 'sts-req-1');
    assert.doesNotMatch(JSON.stringify(e.toJSON()), leaks);
  });

  it('any failure of the credentials provider is the gateway’s, whatever its name or fault', () => {
    const source = Object.assign(new Error(`Could not assume ${ROLE}`), {
      name: 'MalformedPolicyDocument',
      $fault: 'client',
      $metadata: metadata('r', 400),
    });
    const e = mapAwsError(markCredentialsFailure(source), 'DescribeFirewall');
    assert.equal(e.code, ErrorCode.UPSTREAM_ERROR);
    assert.doesNotMatch(e.message, leaks);
  });

  it('AccessDenied, expired tokens and a 403 from Network Firewall relay none of AWS’s text', () => {
    for (const [name, status] of [
      ['AccessDeniedException', 400],
      ['AccessDenied', 403],
      ['ExpiredTokenException', 400],
      ['InvalidClientTokenId', 403],
      ['CredentialsProviderError', 0],
      ['SomethingNew', 403],
    ] as const) {
      const source = Object.assign(
        new Error(
          `User: ${CALLER} is not authorized to perform: network-firewall:ListFirewalls with an explicit deny in ${ROLE}`,
        ),
        { name, $fault: 'client', $metadata: metadata('r-403', status) },
      );
      const e = mapAwsError(source, 'ListFirewalls');
      assert.equal(e.code, ErrorCode.UPSTREAM_ERROR, name);
      assert.doesNotMatch(JSON.stringify(e.toJSON()), leaks, name);
      assert.match(e.message, /gateway's own credentials/);
      // The operator still reads AWS's words, in the log line of the failed call.
      assert.equal(awsMessageOf(e), source.message);
    }
  });

  it('errors about the request keep AWS’s text, scrubbed of ARNs and account ids', () => {
    const source = new InvalidRequestException({
      message:
        'Availability Zone us-east-1d is not associated with arn:aws:network-firewall:us-east-1:444455556666:firewall/x (account 444455556666)',
      $metadata: metadata('r-1', 400),
    });
    const e = mapAwsError(source, 'ListFlowOperations');
    assert.equal(e.code, ErrorCode.BAD_USER_INPUT);
    assert.equal(
      e.message,
      'ListFlowOperations rejected the request: Availability Zone us-east-1d is not associated with <arn> (account <account>)',
    );
  });

  it('scrubs long runs of ARN-like and digit text in linear work', () => {
    // No clock: both regexes are proven linear by recheck, and the characters read on twice the
    // text at most double (test/helpers/linear-work.ts), through scrubAwsText and through the
    // mapping that hands AWS's text for the caller's request to it.
    const asRequestError = (text: string) =>
      mapAwsError(
        new InvalidRequestException({ message: text, $metadata: metadata('r', 400) }),
        WHAT,
      );
    fc.assert(
      fc.property(
        adversarial(['', 'arn:', 'arn:aws:', 'account ', '1'], ['arn:', 'a', ' ', ':', '1', '/']),
        (hostile) => {
          assertLinear('scrubAwsText', hostile, 100_000, scrubAwsText);
          assertLinear('mapAwsError', hostile, 100_000, asRequestError);
        },
      ),
      { numRuns: 20 },
    );
    const text = `${'arn:'.repeat(50_000)} ${'1'.repeat(200_000)} ${'arn:a '.repeat(20_000)}`;
    // A 200,000-digit number is not an account id; it stays.
    assert.equal(scrubAwsText(text), `<arn> ${'1'.repeat(200_000)} ${'<arn> '.repeat(20_000)}`);
  });
});
