import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startGateway, waitFor } from '../helpers/gateway.js';

describe('readiness during shutdown', () => {
  it('answers a /readyz in progress when shutdown begins with 503, on a connection that then closes', async () => {
    const gw = await startGateway();
    gw.sim.faults.set({ latencyMs: 500, operations: ['ListFirewalls'] });
    const probe = fetch(new URL('/readyz', gw.url));
    await waitFor(() => gw.sim.log.count('ListFirewalls') === 1);

    const closing = gw.server.close();
    const res = await probe;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('connection'), 'close');
    assert.deepEqual(await res.json(), { status: 'unavailable', reason: 'shutting down' });
    assert.deepEqual(await closing, { drained: true, abandoned: 0 });
  });
});
