import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { GatewayMetrics } from '../../src/metrics/registry.js';
import { bearer, newKey, writeKeys } from '../auth/support.js';
import { DEMO_ARN, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

function labelsOf(text: string, metric: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const m = /operation_name="([^"]*)"/.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

describe('metrics with credentials required: a port of their own, names no caller can evict', () => {
  let dir: string;
  let gw: TestGateway;
  const junk = newKey('junk', ['read'], [DEMO_ARN]);
  const app = newKey('app', ['read'], [DEMO_ARN]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-keys-'));
    const file = join(dir, 'keys.json');
    writeKeys(file, [junk, app]);
    gw = await startGateway({ AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: file });
  });
  after(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults METRICS_PORT to 9464 with credentials, and keeps /metrics beside /graphql without', () => {
    const keys = { AUTH_MODE: 'apikey', AUTH_API_KEYS_FILE: '/k.json' };
    assert.equal(loadConfig(keys).metricsPort, 9464);
    assert.equal(loadConfig({ ...keys, METRICS_PORT: '9100' }).metricsPort, 9100);
    assert.equal(loadConfig({}).metricsPort, undefined);
    assert.equal(loadConfig({ METRICS_PORT: '9100' }).metricsPort, 9100);
  });

  it('serves /metrics on METRICS_PORT, not on the public port', async () => {
    const publicPort = await fetch(new URL('/metrics', gw.url));
    assert.equal(publicPort.status, 404);
    assert.notEqual(new URL(gw.metricsUrl).port, new URL(gw.url).port);
    const scrape = await fetch(gw.metricsUrl);
    assert.equal(scrape.status, 200);
    assert.match(await scrape.text(), /gateway_graphql_requests_total/);
    // Nothing but the metrics is served there: not the API, whatever credential comes with it.
    const graphql = await fetch(new URL('/graphql', gw.metricsUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(app.key) },
      body: '{"query":"{ __typename }"}',
    });
    assert.equal(graphql.status, 404);
  });

  it("keeps another caller's operation names out of __other after one caller sends 200 junk names", async () => {
    for (let i = 0; i < 200; i++) {
      const res = await gw.gql(`query Junk${i} { __typename }`, {}, `Junk${i}`, bearer(junk.key));
      assert.equal(res.status, 200);
    }
    const res = await gw.gql('query Dashboard { __typename }', {}, 'Dashboard', bearer(app.key));
    assert.equal(res.status, 200);
    const names = labelsOf(
      await (await fetch(gw.metricsUrl)).text(),
      'gateway_graphql_requests_total',
    );
    assert.ok(names.has('Dashboard'), [...names].join(','));
    assert.ok(names.has('__other'));
    assert.equal([...names].filter((n) => n.startsWith('Junk')).length, 20);
  });
});

describe('GatewayMetrics: operation name labels', () => {
  it('lets each caller introduce at most 20 names, so one caller cannot fill the 200 labels', () => {
    const m = new GatewayMetrics({
      openWebsockets: () => 0,
      subscriptions: () => ({ watchCount: 0, subscriberCount: 0, executionCount: 0 }),
      cacheEntries: () => 0,
      inflightReads: () => 0,
    });
    const labels = Array.from({ length: 200 }, (_, i) =>
      m.operationLabel(`Junk${i}`, 'apikey:junk'),
    );
    assert.equal(labels.filter((l) => l === '__other').length, 180);
    assert.equal(m.operationLabel('Dashboard', 'apikey:app'), 'Dashboard');
    assert.equal(
      m.operationLabel('Junk0', 'apikey:app'),
      'Junk0',
      'a labelled name stays, for all',
    );
  });
});
