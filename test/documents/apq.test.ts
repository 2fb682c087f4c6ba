import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEMO_ARN, startGateway } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;

async function post(gw: TestGateway, body: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

/** A document no other test registered: each test starts from a miss. */
function uniqueDocument(tag: string): string {
  return `query Apq_${tag}_${Date.now()}($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`;
}

describe('automatic persisted queries (TRUSTED_DOCUMENTS=off)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw?.close();
  });

  it('answers a hash miss with PERSISTED_QUERY_NOT_FOUND, then registers hash and text', async () => {
    const text = uniqueDocument('http');
    const hash = sha256(text);
    const variables = { arn: DEMO_ARN };
    gw.sim.log.clear();
    const miss = await post(gw, { extensions: apq(hash), variables });
    assert.equal(code(miss), 'PERSISTED_QUERY_NOT_FOUND');
    assert.equal(gw.sim.log.count(), 0);
    const register = await post(gw, { query: text, extensions: apq(hash), variables });
    assert.ok(register.data, JSON.stringify(register));
    // documentId names the same registration.
    const byId = await post(gw, { documentId: `sha256:${hash}`, variables });
    assert.ok(byId.data, JSON.stringify(byId));
    const wrong = await post(gw, { query: text, extensions: apq(sha256('other')), variables });
    assert.equal(wrong.status, 400);
    const metrics = await (await fetch(gw.metricsUrl)).text();
    assert.match(metrics, /gateway_graphql_documents_total\{source="apq",transport="http"\} 4/);
  });

  it('shares registrations with websockets: registered over HTTP, run by hash over a socket', async () => {
    const text = uniqueDocument('ws');
    const hash = sha256(text);
    const client = gw.wsClient();
    const run = (payload: Record<string, unknown>) =>
      new Promise<GraphQLResponse>((resolve) => {
        let value: GraphQLResponse = { status: 0 };
        client.subscribe(
          { query: '', variables: { arn: DEMO_ARN }, ...payload },
          {
            next: (v) => {
              value = v as unknown as GraphQLResponse;
            },
            error: (errors) => resolve({ status: 0, errors: errors as GraphQLResponse['errors'] }),
            complete: () => resolve(value),
          },
        );
      });
    const miss = await run({ extensions: apq(hash) });
    assert.equal(code(miss), 'PERSISTED_QUERY_NOT_FOUND', JSON.stringify(miss));
    await post(gw, { query: text, extensions: apq(hash), variables: { arn: DEMO_ARN } });
    const hit = await run({ extensions: apq(hash) });
    assert.ok(hit.data, JSON.stringify(hit));

    // A text that fails validation is not registered over a socket, as Apollo does over HTTP: a
    // caller cannot fill the shared cache with junk under valid hashes.
    const junk = `{ notAField${hash.slice(0, 8)} }`;
    const refused = await run({ query: junk, extensions: apq(sha256(junk)) });
    assert.equal(code(refused), 'GRAPHQL_VALIDATION_FAILED', JSON.stringify(refused));
    const after = await run({ extensions: apq(sha256(junk)) });
    assert.equal(code(after), 'PERSISTED_QUERY_NOT_FOUND', JSON.stringify(after));
  });
});

describe('automatic persisted queries in cluster mode', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let a: TestGateway;
  let b: TestGateway;

  before(async () => {
    redis = await startRedis();
    a = await startGateway({ REDIS_URL: redis.url });
    b = await startGateway({ REDIS_URL: redis.url });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
  });

  it('runs by hash on one replica a document registered on the other', async () => {
    const text = uniqueDocument('cluster');
    const hash = sha256(text);
    const variables = { arn: DEMO_ARN };
    assert.equal(
      code(await post(b, { extensions: apq(hash), variables })),
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const register = await post(a, { query: text, extensions: apq(hash), variables });
    assert.ok(register.data, JSON.stringify(register));
    b.sim.log.clear();
    const hit = await post(b, { extensions: apq(hash), variables });
    assert.ok(hit.data, JSON.stringify(hit));
    assert.equal(b.sim.log.count(), 1);
  });
});
