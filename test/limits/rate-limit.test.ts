import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/limits/rate-limit.js';
import type { RateDecision } from '../../src/limits/rate-limit.js';

describe('RateLimiter: the project words over rate-limiter-flexible', () => {
  it('allows perMinute points per key, then refuses with the rest of the window as retryAfterSeconds', async () => {
    const limiter = new RateLimiter({ perMinute: 3, name: 'test' });
    const taken = [];
    for (let i = 0; i < 3; i++) {
      const d = await limiter.take('apikey:a');
      taken.push(d.ok && d.remaining);
    }
    assert.deepEqual(taken, [2, 1, 0]);
    const refused = await limiter.take('apikey:a');
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
    assert.equal((await limiter.take('apikey:b')).ok, true, 'each key has its own budget');
  });

  it('gives a refused charge of several points back, so that a cheaper one still fits', async () => {
    const limiter = new RateLimiter({ perMinute: 5, name: 'test' });
    assert.equal((await limiter.take('k', 3)).ok, true);
    assert.equal((await limiter.take('k', 3)).ok, false);
    const rest = await limiter.take('k', 2);
    assert.deepEqual(rest.ok && rest.remaining, 0);
  });

  it('settles a charge: refunds what was not spent within its window, takes what was spent beyond it', async () => {
    const limiter = new RateLimiter({ perMinute: 10, name: 'test' });
    const charged = await limiter.take('k', 4);
    assert.equal(await limiter.settle('k', 4, 1, charged), 9);
    const second = await limiter.take('k', 2);
    assert.equal(await limiter.settle('k', 2, 5, second), 4);
    // A refund after the charge's window would credit the next window: none.
    const stale: RateDecision = { ok: true, remaining: 4, windowEndsAt: Date.now() - 1 };
    assert.equal(await limiter.settle('k', 4, 0, stale), undefined);
    const now = await limiter.take('k', 1);
    assert.deepEqual(now.ok && now.remaining, 3);
  });
});
