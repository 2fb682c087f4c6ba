import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

// FAILS on 0cb5417: operation names become label values at their full length. One caller's 20
// allowed names of 500 KB each make every scrape of /metrics tens of MB (with histogram buckets).
describe('review: operation-name label length', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it(
    'keeps /metrics small after one caller sends 20 long operation names',
    { todo: 'FAILS on 0cb5417: /metrics grows by 170 MB' },
    async () => {
      const before = (await (await fetch(gw.metricsUrl)).text()).length;
      for (let i = 0; i < 20; i++) {
        const name = `N${i}_` + 'a'.repeat(500_000);
        const res = await gw.gql(`query ${name} { __typename }`, undefined, name);
        assert.equal(res.status, 200);
      }
      const after = (await (await fetch(gw.metricsUrl)).text()).length;
      console.log(`/metrics: ${before} -> ${after} bytes`);
      assert.ok(after - before < 1_000_000, `/metrics grew by ${after - before} bytes`);
    },
  );
});
