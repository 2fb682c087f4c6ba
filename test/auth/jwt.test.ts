import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import { DEMO_ARN, DEMO_AZ, startGateway, subscribeAll } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer, handshake } from './support.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'nfw-flow-gateway';
const CLAIM = 'https://nfw.example.test/firewalls';
const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

const FIREWALL = `query($arn: String!) { firewall(firewallArn: $arn) { firewallName } }`;
const START = `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`;
const EVENTS = `subscription($arn: String!, $az: String) { flowOperationEvents(firewallArn: $arn, availabilityZone: $az) { flowOperationId } }`;
const input = (firewallArn: string) => ({
  input: { firewallArn, availabilityZone: DEMO_AZ, flowFilters: [{ destinationPort: '443' }] },
});

/** The identity provider's JWKS endpoint: a real HTTP server publishing one public key. */
async function startJwks(): Promise<{
  url: string;
  server: Server;
  key: CryptoKey;
  fetches: () => number;
}> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    server,
    key: privateKey,
    fetches: () => fetches,
  };
}

interface TokenOptions {
  claims?: JWTPayload;
  expiresAt?: number | null;
  issuer?: string;
  audience?: string;
  subject?: string | null;
  key?: CryptoKey;
  kid?: string;
}

function signer(defaultKey: () => CryptoKey) {
  return async (options: TokenOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ scope: 'read write', [CLAIM]: [DEMO_ARN], ...options.claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'test-key' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(now);
    if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? 'alice@example.test');
    if (options.expiresAt !== null) jwt = jwt.setExpirationTime(options.expiresAt ?? now + 3600);
    return jwt.sign(options.key ?? defaultKey());
  };
}

function code(res: GraphQLResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.code;
}

describe('AUTH_MODE=jwt', () => {
  let jwks: Awaited<ReturnType<typeof startJwks>>;
  let gw: TestGateway;
  let token: ReturnType<typeof signer>;

  before(async () => {
    jwks = await startJwks();
    token = signer(() => jwks.key);
    gw = await startGateway({
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_FIREWALLS_CLAIM: CLAIM,
      AUTH_CLOCK_TOLERANCE_SEC: '0',
      SIMULATOR_OPERATION_DELAY_MS: '600000',
    });
  });
  after(async () => {
    await gw.close();
    await new Promise((r) => jwks.server.close(r));
  });
  beforeEach(() => gw.sim.log.clear());

  it('serves a caller with a valid token, within its scopes and firewalls', async () => {
    const t = await token();
    const read = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(t));
    assert.equal(read.status, 200);
    assert.equal(read.errors, undefined);
    const write = await gw.gql(START, input(DEMO_ARN), undefined, bearer(t));
    assert.equal(write.errors, undefined);

    gw.sim.log.clear();
    const other = await gw.gql(FIREWALL, { arn: PROD_ARN }, undefined, bearer(t));
    assert.equal(code(other), 'FORBIDDEN');
    const flush = await gw.gql(START, input(PROD_ARN), undefined, bearer(t));
    assert.equal(code(flush), 'FORBIDDEN');
    assert.equal(flush.errors?.[0]?.extensions?.argumentPath, 'input.firewallArn');
    assert.equal(gw.sim.log.count(), 0);
  });

  it('reads scopes from `scope` (space-separated) or `scp` (a list), and patterns from the configured claim', async () => {
    const scp = await token({ claims: { scope: undefined, scp: ['read'] } });
    assert.equal((await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(scp))).status, 200);
    assert.equal(code(await gw.gql(START, input(DEMO_ARN), undefined, bearer(scp))), 'FORBIDDEN');

    const readOnly = await token({ claims: { scope: 'openid read' } });
    assert.equal(
      code(await gw.gql(START, input(DEMO_ARN), undefined, bearer(readOnly))),
      'FORBIDDEN',
    );

    const wildcard = await token({
      claims: { [CLAIM]: 'arn:aws:network-firewall:us-east-1:111122223333:firewall/*' },
    });
    assert.equal(
      (await gw.gql(FIREWALL, { arn: PROD_ARN }, undefined, bearer(wildcard))).errors,
      undefined,
    );

    gw.sim.log.clear();
    const noFirewalls = await token({ claims: { [CLAIM]: undefined } });
    assert.equal(
      code(await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(noFirewalls))),
      'FORBIDDEN',
      'no claim, no firewall',
    );
    assert.equal(gw.sim.log.count(), 0);
  });

  it('refuses expired, foreign, unsigned and malformed tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await generateKeyPair('ES256');
    const bad: [string, string][] = [
      ['expired', await token({ expiresAt: now - 60 })],
      ['another issuer', await token({ issuer: 'https://evil.example.test/' })],
      ['another audience', await token({ audience: 'another-app' })],
      ['no expiry', await token({ expiresAt: null })],
      ['no subject', await token({ subject: null })],
      ['an unknown key', await token({ key: other.privateKey, kid: 'other' })],
      ['a forged signature under a known kid', await token({ key: other.privateKey })],
      [
        'alg none',
        `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
          JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: now + 60, scope: 'read' }),
        ).toString('base64url')}.`,
      ],
      ['garbage', 'not.a.jwt'],
    ];
    for (const [name, t] of bad) {
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(t));
      assert.equal(res.status, 401, name);
      assert.equal(code(res), 'UNAUTHENTICATED', name);
      assert.match(res.errors![0]!.message, name === 'expired' ? /expired/ : /not valid/, name);
    }
    assert.equal(gw.sim.log.count(), 0);
  });

  it('refuses a token with an empty subject, or claims beyond the bounds, with 401', async () => {
    const bad: [string, string][] = [
      ['sub ""', await token({ subject: '' })],
      ['sub of spaces', await token({ subject: '   ' })],
      ['a subject of 300 chars', await token({ subject: 'a'.repeat(300) })],
      [
        '101 firewall patterns',
        await token({ claims: { [CLAIM]: Array.from({ length: 101 }, (_, n) => `a${n}*`) } }),
      ],
      [
        'a pattern of 600 chars',
        await token({ claims: { [CLAIM]: [`${DEMO_ARN}${'*'.repeat(600)}`] } }),
      ],
    ];
    for (const [name, t] of bad) {
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(t));
      assert.equal(res.status, 401, name);
      assert.equal(code(res), 'UNAUTHENTICATED', name);
      const ws = await handshake(gw.url, bearer(t));
      assert.equal(ws.closeCode, 4403, name);
    }
    assert.equal(gw.sim.log.count(), 0);
  });

  it('refuses a token without any scope with 403 FORBIDDEN over HTTP, even introspection', async () => {
    const t = await token({ claims: { scope: 'openid profile' } });
    for (const query of ['{ __typename }', FIREWALL]) {
      const res = await gw.gql(query, { arn: DEMO_ARN }, undefined, bearer(t));
      assert.equal(res.status, 403, query);
      assert.equal(code(res), 'FORBIDDEN', query);
    }
  });

  it('authenticates websockets in connection_init: 4403 before the ack without a valid token', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const payload of [
      undefined,
      bearer('nope'),
      bearer(await token({ expiresAt: now - 10 })),
    ]) {
      const result = await handshake(gw.url, payload);
      assert.equal(result.acked, false);
      assert.equal(result.closeCode, 4403);
    }
    const noScope = await handshake(gw.url, bearer(await token({ claims: { scope: 'openid' } })));
    assert.equal(noScope.closeCode, 4403);
    assert.equal(gw.sim.log.count(), 0);
  });

  it(
    'closes a websocket with 4403 when its token expires, ending its subscriptions',
    { timeout: 60_000 },
    async () => {
      const expiresAt = Math.floor(Date.now() / 1000) + 2;
      const client = gw.wsClient({ connectionParams: bearer(await token({ expiresAt })) });
      let acked = false;
      client.on('connected', () => {
        acked = true;
      });
      const closed = new Promise<{ code?: number; reason?: string }>((resolve) => {
        client.on('closed', (event) => {
          const { code, reason } = event as { code?: number; reason?: string };
          resolve({ code, reason });
        });
      });
      // The expiry timer is the event: without it the socket stays open and the test's timeout
      // (the safety net) fails the test. The gateway says "Token expired" only once its clock has
      // passed the token's exp, so the reason also says it did not close early.
      const outcome = await subscribeAll(client, EVENTS, { arn: DEMO_ARN, az: DEMO_AZ });
      assert.ok(acked, 'the token was accepted before it expired');
      assert.ok(outcome.error, 'the subscription ended with the socket');
      // 4403: graphql-ws clients retry it with fresh connectionParams (a new token); 4401 is final.
      assert.deepEqual(await closed, { code: 4403, reason: 'Token expired' });
    },
  );

  it('fetches the JWKS once, not per request', () => {
    assert.ok(jwks.fetches() >= 1);
    // An unknown kid may refetch once (after the cooldown); everything else is served from cache.
    assert.ok(jwks.fetches() <= 3, `${jwks.fetches()} fetches`);
  });
});

describe('AUTH_MODE=jwt with its JWKS unreachable', () => {
  it('answers 503 UPSTREAM_ERROR over HTTP and closes websockets with 1013, reaching nothing', async () => {
    // A port held by this test that drops every connection. A port freed for the purpose could be
    // taken meanwhile by the next server to bind port 0 (once, this gateway's own simulator: the
    // JWKS fetch then reached it, and the simulator counted 2 calls).
    const refusing = createNetServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const { privateKey } = await generateKeyPair('ES256');
    const gw = await startGateway({
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
    });
    try {
      const t = await signer(() => privateKey)();
      const res = await gw.gql(FIREWALL, { arn: DEMO_ARN }, undefined, bearer(t));
      assert.equal(res.status, 503);
      assert.equal(code(res), 'UPSTREAM_ERROR');
      const ws = await handshake(gw.url, bearer(t));
      assert.equal(ws.closeCode, 1013);
      assert.equal(gw.sim.log.count(), 0);
    } finally {
      await gw.close();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('refuses to start without issuer, audience or JWKS URL', async () => {
    for (const missing of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) {
      const env: Record<string, string> = {
        AUTH_MODE: 'jwt',
        AUTH_JWKS_URL: 'https://idp.example.test/jwks.json',
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
      };
      delete env[missing];
      await assert.rejects(startGateway(env), new RegExp(missing));
    }
  });
});
