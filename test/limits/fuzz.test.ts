import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ErrorCode } from '../../src/errors.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

// What a client may ever see in extensions.code; INTERNAL_SERVER_ERROR would be a gateway bug.
const KNOWN = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  ...Object.values(ApolloServerErrorCode).filter(
    (c) => c !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
  ),
]);

const START = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId flowOperationStatus } }`;
const QUERIES = [
  START,
  `query($arn: String!, $az: String, $id: ID!) { flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus flows(first: 2) { edges { cursor } } } }`,
  `query($arn: String!, $az: String, $first: Int, $after: String) { flowOperations(firewallArn: $arn, availabilityZone: $az, first: $first, after: $after) { edges { node { flowOperationId statusMessage } } } }`,
  `query($region: String, $first: Int, $after: String) { firewalls(region: $region, first: $first, after: $after) { edges { cursor } } }`,
];

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(DEMO_ARN, DEMO_AZ, 'us-east-1', '', 'ANY', '1:2', '10.0.0.0/8', '::/0'),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.anything());
const filter = fc.record(
  {
    sourceAddress: maybe(fc.record({ addressDefinition: anyString })),
    destinationAddress: maybe(fc.record({ addressDefinition: anyString })),
    sourcePort: maybe(anyString),
    destinationPort: maybe(anyString),
    protocols: maybe(fc.array(anyString, { maxLength: 4 })),
  },
  { requiredKeys: [] },
);
const variables = fc.record(
  {
    input: maybe(
      fc.record(
        {
          firewallArn: maybe(anyString),
          availabilityZone: maybe(anyString),
          vpcEndpointId: maybe(anyString),
          minimumFlowAgeInSeconds: maybe(fc.oneof(fc.integer(), fc.double())),
          flowFilters: maybe(fc.array(filter, { maxLength: 22 })),
        },
        { requiredKeys: [] },
      ),
    ),
    arn: maybe(anyString),
    az: maybe(anyString),
    id: maybe(anyString),
    region: maybe(anyString),
    first: maybe(fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String))),
    after: maybe(anyString),
  },
  { requiredKeys: [] },
);

interface Answer {
  status: number;
  text: string;
}

function assertWellFormed(answer: Answer, what: string): void {
  assert.ok(answer.status < 500, `${what}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    assert.fail(`${what}: not JSON: ${answer.text.slice(0, 300)}`);
  }
  assert.ok(body.errors !== undefined || body.data !== undefined, `${what}: ${answer.text}`);
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    assert.ok(typeof code === 'string' && KNOWN.has(code), `${what}: code ${String(code)}`);
  }
}

describe('fuzzing a real gateway (fast-check)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
  });
  after(() => gw.close());

  const post = async (body: string | Uint8Array, contentType: string): Promise<Answer> => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  it('answers arbitrary variables with JSON and known codes, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...QUERIES), variables, async (query, vars) => {
        const body = JSON.stringify({ query, variables: vars });
        assertWellFormed(await post(body, 'application/json'), body.slice(0, 300));
      }),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary request bodies and content types with JSON and known codes, never a 5xx', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            query: fc.oneof(fc.string(), fc.constantFrom(...QUERIES)),
            variables: fc.anything(),
            operationName: fc.anything(),
            extensions: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 200 }),
    );
    const types = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/graphql-response+json',
      'application/vnd.api+json',
      'text/plain',
    );
    await fc.assert(
      fc.asyncProperty(bodies, types, async (body, type) => {
        assertWellFormed(await post(body, type), `${type}: ${String(body).slice(0, 200)}`);
      }),
      { numRuns: 250 },
    );
    const health = await fetch(gw.url.replace(/\/graphql$/, '/healthz'));
    assert.equal(health.status, 200, 'still serving');
  });
});
