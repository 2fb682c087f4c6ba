// HTTP_BACKLOG reaches listen(2): the kernel reports a listening socket's backlog as its Send-Q
// (`ss -ltn`), clipped to net.core.somaxconn.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

function backlogOf(port: number): number {
  const out = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  const [, , sendQ] = out.trim().split(/\s+/);
  return Number(sendQ);
}

describe('HTTP_BACKLOG', () => {
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  let defaults: TestGateway;
  let small: TestGateway;
  before(async () => {
    defaults = await startGateway();
    small = await startGateway({ HTTP_BACKLOG: '37' });
  });
  after(async () => {
    await defaults.close();
    await small.close();
  });

  it('is 4096 by default (up to somaxconn) and what HTTP_BACKLOG says otherwise', () => {
    assert.equal(backlogOf(Number(new URL(defaults.url).port)), Math.min(4096, somaxconn));
    assert.equal(backlogOf(Number(new URL(small.url).port)), 37);
  });
});
