import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults: the simulator on port 4000', () => {
    const config = loadConfig({});
    assert.equal(config.backend, 'simulator');
    assert.equal(config.port, 4000);
    assert.equal(config.awsRegion, 'us-east-1');
    assert.equal(config.awsMaxAttempts, 3);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.cursorSecret.length, 32);
  });

  it('leaves the region to the SDK chain on AWS when none is set', () => {
    assert.equal(loadConfig({ NFW_BACKEND: 'aws', AUTH_MODE: 'none' }).awsRegion, undefined);
    assert.equal(
      loadConfig({ NFW_BACKEND: 'aws', AUTH_MODE: 'none', AWS_DEFAULT_REGION: 'eu-west-1' })
        .awsRegion,
      'eu-west-1',
    );
  });

  it('parses sizes, lists and booleans', () => {
    const config = loadConfig({
      BODY_LIMIT: '512kb',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PLAYGROUND: 'off',
    });
    assert.equal(config.bodyLimitBytes, 512 * 1024);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.playground, false);
  });

  const bad: [string, string][] = [
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['NFW_BACKEND', 'gcp'],
    ['AWS_MAX_ATTEMPTS', '0'],
    ['BODY_LIMIT', 'lots'],
    ['PLAYGROUND', 'maybe'],
    ['LOG_LEVEL', 'chatty'],
    ['POLL_INTERVAL_MS', '-1'],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name}=${value} with an error naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === name && error.message.startsWith(name),
      );
    });
  }
});

describe('loadConfig: shutdown and holding limits', () => {
  it('drains within Kubernetes’ default 30 s grace period and bounds what one client holds', () => {
    const config = loadConfig({});
    assert.equal(config.shutdownTimeoutMs, 25_000);
    assert.equal(config.httpRequestTimeoutMs, 30_000);
    assert.equal(config.wsMaxConnectionsPerAddress, 1000);
    assert.equal(config.maxSubscriptionsPerCaller, 10_000);
    for (const name of [
      'SHUTDOWN_TIMEOUT_MS',
      'HTTP_REQUEST_TIMEOUT_MS',
      'WS_MAX_CONNECTIONS_PER_ADDRESS',
      'MAX_SUBSCRIPTIONS_PER_CALLER',
    ]) {
      assert.throws(
        () => loadConfig({ [name]: '0' }),
        (e: unknown) => e instanceof ConfigError && e.variable === name,
      );
    }
  });
});
