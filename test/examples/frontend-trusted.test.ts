import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import WebSocket from 'ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createApolloGateway } from '../../examples/frontend/src/apollo.js';
import { GatewayClient, GatewayError } from '../../examples/frontend/src/client.js';
import {
  FirewallsDocument,
  FlowOperationsDocument,
  StartFlowCaptureDocument,
  StartWatchedCaptureDocument,
  WatchedOperationsDocument,
} from '../../examples/frontend/src/gql/graphql.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { newKey, writeKeys } from '../auth/support.js';

const MANIFEST = fileURLToPath(
  new URL('../../examples/frontend/src/gql/persisted-documents.json', import.meta.url),
);

// The example ships the manifest its codegen writes: a gateway enforcing it runs the example's
// documents, sent by id, for a key without `explore`, and nothing else.
describe('the frontend example against TRUSTED_DOCUMENTS=enforce', () => {
  const app = newKey('frontend', ['read', 'write'], [DEMO_ARN]);
  let dir: string;
  let gw: TestGateway;
  let client: GatewayClient;
  // What the client sent: ids only, never a document's text.
  const bodies: Record<string, unknown>[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-frontend-trusted-'));
    const keys = join(dir, 'keys.json');
    writeKeys(keys, [app]);
    gw = await startGateway({
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS_FILE: keys,
      TRUSTED_DOCUMENTS: 'enforce',
      TRUSTED_DOCUMENTS_FILE: MANIFEST,
    });
    client = new GatewayClient({
      url: gw.url,
      headers: { authorization: `Bearer ${app.key}` },
      persisted: true,
      fetch: (url, init) => {
        bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
        return fetch(url, init);
      },
    });
  });
  after(async () => {
    await client?.close();
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships a client preset manifest with every generated document, prefixed sha256 ids', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const ids = Object.keys(manifest);
    assert.ok(ids.length >= 6, `${ids.length} documents`);
    for (const id of ids) assert.match(id, /^sha256:[0-9a-f]{64}$/);
  });

  it('runs its documents by id, and refuses a hand-written document before any AWS call', async () => {
    const firewalls = await client.request(FirewallsDocument);
    assert.ok(firewalls.firewalls.edges.length > 0);
    const started = await client.request(StartFlowCaptureDocument, {
      input: {
        firewallArn: DEMO_ARN,
        availabilityZone: DEMO_AZ,
        flowFilters: [{ destinationPort: '443' }],
      },
    });
    assert.ok(started.startFlowCapture.flowOperationId);
    const operations = await client.request(FlowOperationsDocument, { arn: DEMO_ARN, az: DEMO_AZ });
    assert.ok(operations);
    assert.equal(bodies.length, 3);
    for (const body of bodies) {
      assert.equal(body.query, undefined);
      assert.match(String(body.documentId), /^sha256:[0-9a-f]{64}$/);
    }
    gw.sim.log.clear();
    const handWritten = parse(
      `mutation { startFlowFlush(input: { firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowFilters: [{ destinationPort: "443" }] }) { flowOperationId } }`,
    ) as TypedDocumentNode<unknown, Record<string, never>>;
    await assert.rejects(client.request(handWritten), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 403);
      assert.deepEqual(error.codes, ['PERSISTED_QUERY_NOT_ALLOWED']);
      return true;
    });
    assert.equal(gw.sim.log.count(), 0);
  });

  it('runs its Apollo Client documents by hash alone', async () => {
    const sent: Record<string, unknown>[] = [];
    const apollo = createApolloGateway({
      url: gw.url,
      headers: { authorization: `Bearer ${app.key}` },
      persisted: true,
      webSocketImpl: WebSocket,
      fetch: (url, init) => {
        sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
        return fetch(url, init);
      },
    });
    try {
      const started = await apollo.client.mutate({
        mutation: StartWatchedCaptureDocument,
        variables: {
          input: {
            firewallArn: DEMO_ARN,
            availabilityZone: DEMO_AZ,
            flowFilters: [{ destinationPort: '443' }],
          },
        },
      });
      assert.ok(started.data, JSON.stringify(started));
      const watched = await apollo.client.query({
        query: WatchedOperationsDocument,
        variables: { arn: DEMO_ARN, az: DEMO_AZ },
      });
      assert.ok(watched.data, JSON.stringify(watched));
      assert.equal(sent.length, 2, JSON.stringify(sent));
      for (const body of sent) assert.equal(body.query, undefined, JSON.stringify(body));
      // The manifest's documents select `__typename`, so their results normalize in the cache.
      const cache = apollo.client.cache.extract() as Record<string, unknown>;
      const id = (started.data as { startFlowCapture: { id: string } }).startFlowCapture.id;
      assert.ok(cache[`FlowOperation:${id}`], Object.keys(cache).join(', '));
    } finally {
      await apollo.close();
    }
  });
});
