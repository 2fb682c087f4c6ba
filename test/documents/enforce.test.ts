import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll, waitFor } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer, captureLogger, newKey, writeKeys } from '../auth/support.js';

const FIREWALL = 'query Firewall($arn: String!) { firewall(firewallArn: $arn) { firewallName } }';
const NAME = 'query FirewallName($arn: String!) { firewall(firewallArn: $arn) { firewallArn } }';
const FLOW = `query Flow($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus } }`;
const AD_HOC = `query { firewall(firewallArn: "${DEMO_ARN}") { firewallName } }`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const app = newKey('app', ['read'], [DEMO_ARN]);
const human = newKey('human', ['read', 'write', 'explore'], [DEMO_ARN]);

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;

describe('TRUSTED_DOCUMENTS=enforce', () => {
  let dir: string;
  let manifest: string;
  let relay: string;
  let gw: TestGateway;
  const log = captureLogger();

  const post = async (body: Record<string, unknown>, key = app.key) => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify(body),
    });
    return { status: res.status, ...((await res.json()) as object) } as GraphQLResponse;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-trusted-'));
    const keys = join(dir, 'keys.json');
    writeKeys(keys, [app, human]);
    // The client preset's shape in one file, Relay's in another: TRUSTED_DOCUMENTS_FILE lists both.
    manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ [sha256(FIREWALL)]: FIREWALL, [sha256(FLOW)]: FLOW }));
    relay = join(dir, 'persisted_queries.json');
    writeFileSync(relay, JSON.stringify({ [md5(NAME)]: NAME }));
    gw = await startGateway(
      {
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: keys,
        TRUSTED_DOCUMENTS: 'enforce',
        TRUSTED_DOCUMENTS_FILE: `${manifest},${relay}`,
        TRUSTED_DOCUMENTS_POLL_MS: '50',
      },
      { logger: log.logger },
    );
  });
  after(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => gw.sim.log.clear());

  it('runs a manifest hash over POST, as documentId (prefixed and bare) and as APQ', async () => {
    const variables = { arn: DEMO_ARN };
    for (const body of [
      { documentId: `sha256:${sha256(FIREWALL)}`, variables },
      { documentId: sha256(FIREWALL), variables },
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FIREWALL) } }, variables },
      { documentId: md5(NAME), variables },
    ]) {
      const res = await post(body);
      assert.equal(res.status, 200, JSON.stringify(res));
      assert.ok((res.data as { firewall: unknown }).firewall, JSON.stringify(res));
    }
  });

  it('runs a manifest hash over GET, with Vary on the credential, and keeps CSRF prevention', async () => {
    const url = `${gw.url}?documentId=sha256:${sha256(FIREWALL)}&variables=${encodeURIComponent(
      JSON.stringify({ arn: DEMO_ARN }),
    )}`;
    const res = await fetch(url, {
      headers: { ...bearer(app.key), 'apollo-require-preflight': 'true' },
    });
    const body = (await res.json()) as GraphQLResponse;
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.ok((body.data as { firewall: unknown }).firewall);
    assert.match(res.headers.get('vary') ?? '', /Authorization/i);
    // A simple GET (no preflight header) is still refused by Apollo's CSRF prevention.
    const simple = await fetch(url, { headers: bearer(app.key) });
    assert.equal(simple.status, 400);
  });

  it('runs a manifest hash over websockets, as documentId and as APQ', async () => {
    const client = gw.wsClient({ connectionParams: bearer(app.key) });
    for (const payload of [
      { documentId: `sha256:${sha256(FIREWALL)}` },
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FIREWALL) } } },
    ]) {
      const result = await new Promise<GraphQLResponse>((resolve, reject) => {
        let value: GraphQLResponse | undefined;
        client.subscribe(
          // graphql-ws's client insists on a query string: persisted clients send an empty one.
          { ...payload, query: '', variables: { arn: DEMO_ARN } },
          {
            next: (v) => {
              value = v as unknown as GraphQLResponse;
            },
            error: reject,
            complete: () => resolve(value ?? { status: 0 }),
          },
        );
      });
      assert.ok((result.data as { firewall: unknown }).firewall, JSON.stringify(result));
    }
  });

  it('refuses an ad-hoc document with 403 before validation and before any AWS call', async () => {
    for (const query of [AD_HOC, '{ noSuchField }', '{ not graphql']) {
      const res = await post({ query });
      assert.equal(res.status, 403, JSON.stringify(res));
      assert.equal(code(res), 'PERSISTED_QUERY_NOT_ALLOWED');
    }
    const unknown = await post({ documentId: `sha256:${sha256(AD_HOC)}` });
    assert.equal(unknown.status, 404);
    assert.equal(code(unknown), 'PERSISTED_QUERY_NOT_FOUND');
    const client = gw.wsClient({ connectionParams: bearer(app.key) });
    const sub = await subscribeAll(client, AD_HOC, {});
    const errors = sub.results[0]?.errors ?? (sub.error as GraphQLResponse['errors']);
    assert.equal(errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_ALLOWED');
    assert.equal(gw.sim.log.count(), 0);
    const metrics = await (await fetch(gw.metricsUrl)).text();
    assert.match(
      metrics,
      /gateway_graphql_documents_refused_total\{reason="not_allowed",transport="http"\} 3/,
    );
    assert.match(
      metrics,
      /gateway_graphql_documents_refused_total\{reason="not_allowed",transport="websocket"\} 1/,
    );
  });

  it('runs the text of a manifest document as trusted, and ad-hoc documents for explore', async () => {
    const asText = await post({ query: FIREWALL, variables: { arn: DEMO_ARN } });
    assert.equal(asText.status, 200, JSON.stringify(asText));
    const explored = await post({ query: AD_HOC }, human.key);
    assert.equal(explored.status, 200, JSON.stringify(explored));
    assert.ok((explored.data as { firewall: unknown }).firewall);
    const client = gw.wsClient({ connectionParams: bearer(human.key) });
    const sub = await subscribeAll(client, AD_HOC, {});
    assert.ok((sub.results[0]?.data as { firewall: unknown }).firewall, JSON.stringify(sub));
    const metrics = await (await fetch(gw.metricsUrl)).text();
    assert.match(metrics, /gateway_graphql_documents_total\{source="adhoc",transport="http"\} 1/);
    assert.match(metrics, /gateway_graphql_documents_total\{source="trusted",transport="http"\}/);
  });

  it('lets GET answers of terminal operations be cached privately, and no other answer', async () => {
    const id = await gw.startCapture({}, bearer(human.key));
    const get = (documentId: string, variables: Record<string, unknown>) =>
      fetch(
        `${gw.url}?documentId=${documentId}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
        { headers: { ...bearer(app.key), 'apollo-require-preflight': 'true' } },
      );
    const seen: [string, string | null][] = [];
    await waitFor(async () => {
      const res = await get(`sha256:${sha256(FLOW)}`, { arn: DEMO_ARN, az: DEMO_AZ, id });
      const body = (await res.json()) as {
        data: { flowOperation: { flowOperationStatus: string } };
      };
      const status = body.data.flowOperation.flowOperationStatus;
      seen.push([status, res.headers.get('cache-control')]);
      return status === 'COMPLETED';
    });
    for (const [status, cacheControl] of seen) {
      assert.equal(cacheControl, status === 'COMPLETED' ? 'max-age=43200, private' : 'no-store');
    }
    const firewall = await get(sha256(FIREWALL), { arn: DEMO_ARN });
    assert.equal(firewall.status, 200);
    assert.equal(firewall.headers.get('cache-control'), 'no-store');
    const posted = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(app.key) },
      body: JSON.stringify({
        documentId: sha256(FLOW),
        variables: { arn: DEMO_ARN, az: DEMO_AZ, id },
      }),
    });
    assert.equal(posted.headers.get('cache-control'), 'no-store');
  });

  it('picks up a changed manifest, and keeps the previous one when the new one is broken', async () => {
    const other = 'query Other { firewalls(first: 1) { edges { node { firewallArn } } } }';
    writeFileSync(manifest, '{ broken');
    await waitFor(() =>
      log.lines.some((l) => String(l.msg).startsWith('Trusted documents reload failed')),
    );
    assert.equal(
      (await post({ documentId: sha256(FIREWALL), variables: { arn: DEMO_ARN } })).status,
      200,
    );
    writeFileSync(manifest, JSON.stringify({ [sha256(other)]: other }));
    await waitFor(async () => (await post({ documentId: sha256(other) })).status === 200);
    const gone = await post({ documentId: sha256(FIREWALL), variables: { arn: DEMO_ARN } });
    assert.equal(gone.status, 404);
  });
});
