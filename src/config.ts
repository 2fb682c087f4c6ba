import { randomBytes } from 'node:crypto';
import { REGION } from './aws/arn.js';
import { DEFAULT_MAX_VARIABLE_DEPTH, MAX_VARIABLE_DEPTH_CEILING } from './limits/depth.js';
import { parseTrustProxy } from './net/client-address.js';
import type { TrustProxy } from './net/client-address.js';

type Backend = 'simulator' | 'aws';

export interface GatewayConfig {
  host: string;
  port: number;
  /**
   * METRICS_PORT: where /metrics is served (on `host`), away from callers. Undefined with
   * AUTH_MODE=none and no METRICS_PORT: /metrics stays on `port`, which is open to all anyway.
   */
  metricsPort: number | undefined;
  /** Only `development` (set explicitly) adds stack traces and unmasked errors; anything else is production. */
  nodeEnv: string;
  /** FEDERATION: serve the schema as an Apollo Federation 2 subgraph (docs/federation.md). */
  federation: boolean;
  backend: Backend;
  /** The gateway's own region: the default for calls that name no firewall (ListFirewalls). */
  awsRegion: string | undefined;
  /** NFW_REGIONS: the regions `firewalls` spans and calls may reach with the default credentials. */
  regions: string[];
  /** NFW_ACCOUNTS_FILE: accounts reached by assuming a role. */
  accountsFile: string | undefined;
  /** NFW_DEFAULT_ACCOUNT_ID: the default credentials' account; others need an accounts-file entry. */
  defaultAccountId: string | undefined;
  /** Overrides the Network Firewall endpoint; the SDK reads AWS_ENDPOINT_URL_NETWORK_FIREWALL itself too. */
  awsEndpoint: string | undefined;
  awsMaxAttempts: number;
  awsRequestTimeoutMs: number;
  /** Per-attempt timeout of StartFlowCapture and StartFlowFlush, which are never retried blindly. */
  awsStartTimeoutMs: number;
  awsConnectTimeoutMs: number;
  /** How many AWS calls one batch of DataLoader keys may have in flight at once. */
  awsMaxConcurrency: number;
  cursorSecret: Buffer;
  pollIntervalMs: number;
  /** Cluster mode: with a Redis URL, one replica polls each operation and the others are fed. */
  redisUrl: string | undefined;
  /** Largest websocket frame accepted. */
  wsMaxPayloadBytes: number;
  /** Concurrent subscriptions one websocket may hold. */
  wsMaxSubscriptions: number;
  /** How long a socket may stay open without `connection_init`. */
  wsInitTimeoutMs: number;
  /** Server pings at this interval keep proxies from closing idle sockets and find dead peers. 0 = off. */
  wsKeepAliveMs: number;
  /** Open websockets one client address may hold; one more is closed with 1013. */
  wsMaxConnectionsPerAddress: number;
  /** Open websockets in all; one more is closed with 1013. Undefined: from the fd limit (src/ws/connection-limit.ts). */
  wsMaxConnections: number | undefined;
  /** The HTTP listen queue (listen(2)'s backlog): room for a reconnect storm's SYNs. */
  httpBacklog: number;
  /** Operations one caller (rate-limit key) may hold open over all its websockets. */
  maxSubscriptionsPerCaller: number;
  /** How long SIGTERM waits for work in flight before auditing it as unknown and exiting. */
  shutdownTimeoutMs: number;
  /** Time a client has to send a whole HTTP request (headers within min(10 s, this)); 408 after. */
  httpRequestTimeoutMs: number;
  redisPrefix: string;
  /** Consecutive failed polls after which a subscription ends with UPSTREAM_ERROR. */
  pollMaxFailures: number;
  bodyLimitBytes: number;
  corsOrigins: string[] | '*';
  /** TRUST_PROXY: whose `X-Forwarded-For` names the client (src/net/client-address.ts). */
  trustProxy: TrustProxy;
  playground: boolean;
  logLevel: LogLevel;
  /** The process-wide read cache in front of AWS (src/aws/caching-api.ts). */
  cache: {
    /** Entries of the terminal-operation LRU; 0 turns caching off (coalescing stays on). */
    maxEntries: number;
    /** CACHE_MAX_BYTES: the same LRU's bound in bytes of JSON; 0 = entries only. */
    maxBytes: number;
    /** At most 12 h, as long as AWS keeps flow operation history. */
    terminalTtlMs: number;
    /** Micro-TTL for IN_PROGRESS describes; 0 = never cached. */
    inProgressTtlMs: number;
  };
  /** The serialized-response cache of answers about finished operations (src/documents/response-cache.ts). */
  responseCache: {
    /** RESPONSE_CACHE_MAX_ENTRIES; 0 turns it off. */
    maxEntries: number;
    /** RESPONSE_CACHE_MAX_BYTES: its bound in bytes of JSON. */
    maxBytes: number;
  };
  /**
   * DOCUMENT_CACHE_BYTES: the budget of each transport's cache of accepted documents (Apollo's
   * document store for HTTP, src/ws/document-cache.ts for websockets), estimated heap bytes.
   */
  documentCacheBytes: number;
  /** Trusted documents and persisted queries (src/documents/). */
  documents: DocumentsConfig;
  /** Who may call the gateway, and how they prove it (src/auth/). */
  auth: AuthConfig;
  /** Refusals before any AWS call: cost, depth and size of a document (src/limits/). */
  limits: {
    maxQueryCost: number;
    maxQueryDepth: number;
    maxQueryTokens: number;
    /** MAX_VARIABLE_DEPTH: nesting of arrays and objects in variables (src/limits/depth.ts). */
    maxVariableDepth: number;
    /** Requests per minute per caller, shared by all replicas with REDIS_URL; 0 = off. */
    rateLimitPerMinute: number;
    /** AWS calls per minute per caller, charged with an operation's cost before it runs; 0 = off. */
    upstreamCallsPerMinute: number;
  };
  simulator: {
    seed: number;
    operationDelayMs: number;
    /** Port of the embedded simulator; 0 (default) picks a free one. */
    port: number;
    host: string;
  };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type TrustedDocumentsMode = 'off' | 'allow' | 'enforce';

interface DocumentsConfig {
  /**
   * TRUSTED_DOCUMENTS: `off` ignores manifests; `allow` resolves their ids and still runs ad-hoc
   * documents; `enforce` refuses any document not in them unless the caller has `explore`.
   */
  mode: TrustedDocumentsMode;
  /** TRUSTED_DOCUMENTS_FILE: comma-separated manifest paths (client preset, Relay or Apollo). */
  files: string[];
  /** How often the manifests are checked for changes; 0 = only on SIGHUP. */
  pollMs: number;
  /** APQ_TTL_SECONDS: how long a registered APQ document is kept in Redis (cluster mode). */
  apqTtlSeconds: number;
}

type AuthMode = 'none' | 'apikey' | 'jwt';

export interface AuthConfig {
  mode: AuthMode;
  /** AUTH_API_KEYS_FILE: names, SHA-256 digests, scopes and firewall patterns of the API keys. */
  apiKeysFile: string | undefined;
  /** How often the keys file is checked for changes; 0 = only on SIGHUP. */
  apiKeysPollMs: number;
  jwksUrl: URL | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** The JWT claim that lists the caller's firewall ARN patterns. */
  firewallsClaim: string;
  clockToleranceSec: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${values.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function bytes(env: Env, name: string, fallback: number): number {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/.exec(raw);
  if (!m)
    throw new ConfigError(name, `expected a size such as 1048576, 512kb or 1mb, got "${raw}"`);
  return Number(m[1]) * (SIZE_UNITS[m[2] ?? 'b'] ?? 1);
}

// The simulator's demo firewalls live in these regions; a real deployment names its own.
const SIMULATOR_REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];

function regionList(env: Env, backend: Backend): string[] {
  const raw = str(env, 'NFW_REGIONS');
  if (raw === undefined) {
    if (backend === 'simulator') return SIMULATOR_REGIONS;
    const own = str(env, 'AWS_REGION') ?? str(env, 'AWS_DEFAULT_REGION');
    return own ? [own] : [];
  }
  const regions = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = regions.find((r) => !REGION.test(r));
  if (bad) throw new ConfigError('NFW_REGIONS', `"${bad}" is not a region name such as eu-west-1`);
  return [...new Set(regions)].sort();
}

function trustProxy(env: Env): TrustProxy {
  try {
    return parseTrustProxy(str(env, 'TRUST_PROXY'));
  } catch (error) {
    throw new ConfigError('TRUST_PROXY', (error as Error).message);
  }
}

function accountId(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw !== undefined && !/^\d{12}$/.test(raw)) {
    throw new ConfigError(name, `expected a 12-digit account id, got "${raw}"`);
  }
  return raw;
}

function authConfig(env: Env, backend: Backend): AuthConfig {
  const modes = ['none', 'apikey', 'jwt'] as const;
  // A real firewall's flow table is at stake: open access must be chosen, never fallen into.
  if (backend === 'aws' && str(env, 'AUTH_MODE') === undefined) {
    throw new ConfigError(
      'AUTH_MODE',
      'must be set with NFW_BACKEND=aws: apikey, jwt, or none to run without authentication',
    );
  }
  const mode = oneOf(env, 'AUTH_MODE', modes, 'none');
  const apiKeysFile = str(env, 'AUTH_API_KEYS_FILE');
  if (mode === 'apikey' && apiKeysFile === undefined) {
    throw new ConfigError('AUTH_API_KEYS_FILE', 'is required with AUTH_MODE=apikey');
  }
  const jwks = str(env, 'AUTH_JWKS_URL');
  let jwksUrl: URL | undefined;
  if (jwks !== undefined) {
    try {
      jwksUrl = new URL(jwks);
    } catch {
      throw new ConfigError('AUTH_JWKS_URL', `expected an http(s) URL, got "${jwks}"`);
    }
    if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:') {
      throw new ConfigError('AUTH_JWKS_URL', `expected an http(s) URL, got "${jwks}"`);
    }
  }
  const issuer = str(env, 'AUTH_ISSUER');
  const audience = str(env, 'AUTH_AUDIENCE');
  if (mode === 'jwt') {
    // Without issuer and audience, any token signed by the same IdP for another app would pass.
    if (!jwksUrl) throw new ConfigError('AUTH_JWKS_URL', 'is required with AUTH_MODE=jwt');
    if (!issuer) throw new ConfigError('AUTH_ISSUER', 'is required with AUTH_MODE=jwt');
    if (!audience) throw new ConfigError('AUTH_AUDIENCE', 'is required with AUTH_MODE=jwt');
  }
  return {
    mode,
    apiKeysFile,
    apiKeysPollMs: int(env, 'AUTH_API_KEYS_POLL_MS', 2000, 0, 3_600_000),
    jwksUrl,
    issuer,
    audience,
    firewallsClaim: str(env, 'AUTH_FIREWALLS_CLAIM') ?? 'nfw_firewalls',
    clockToleranceSec: int(env, 'AUTH_CLOCK_TOLERANCE_SEC', 30, 0, 600),
  };
}

/** Reads the configuration from the environment; every variable is listed in the README's table. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const backend = oneOf(env, 'NFW_BACKEND', ['simulator', 'aws'] as const, 'simulator');
  const secret = str(env, 'CURSOR_SECRET');
  const cors = str(env, 'CORS_ORIGINS');
  const auth = authConfig(env, backend);
  return {
    host: str(env, 'HOST') ?? '0.0.0.0',
    port: int(env, 'PORT', 4000, 0, 65535),
    metricsPort:
      str(env, 'METRICS_PORT') === undefined && auth.mode === 'none'
        ? undefined
        : int(env, 'METRICS_PORT', 9464, 0, 65535),
    // Unset means production: a deployment that forgets NODE_ENV must not send stack traces.
    nodeEnv: str(env, 'NODE_ENV') ?? 'production',
    backend,
    awsRegion:
      str(env, 'AWS_REGION') ??
      str(env, 'AWS_DEFAULT_REGION') ??
      (backend === 'simulator' ? 'us-east-1' : undefined),
    awsEndpoint: str(env, 'AWS_ENDPOINT_URL_NETWORK_FIREWALL'),
    regions: regionList(env, backend),
    accountsFile: str(env, 'NFW_ACCOUNTS_FILE'),
    defaultAccountId: accountId(env, 'NFW_DEFAULT_ACCOUNT_ID'),
    awsMaxAttempts: int(env, 'AWS_MAX_ATTEMPTS', 3, 1, 10),
    awsRequestTimeoutMs: int(env, 'AWS_REQUEST_TIMEOUT_MS', 5000, 100, 120_000),
    awsStartTimeoutMs: int(env, 'AWS_START_TIMEOUT_MS', 30_000, 100, 300_000),
    awsConnectTimeoutMs: int(env, 'AWS_CONNECT_TIMEOUT_MS', 2000, 100, 60_000),
    awsMaxConcurrency: int(env, 'AWS_MAX_CONCURRENCY', 8, 1, 100),
    // A random per-process secret still rejects forged cursors, but cursors then die with the
    // process and differ between replicas: set CURSOR_SECRET when running more than one.
    cursorSecret: secret ? Buffer.from(secret, 'utf8') : randomBytes(32),
    pollIntervalMs: int(env, 'POLL_INTERVAL_MS', 2000, 50, 600_000),
    redisUrl: str(env, 'REDIS_URL'),
    wsMaxPayloadBytes: bytes(env, 'WS_MAX_PAYLOAD', 64 * 1024),
    wsMaxSubscriptions: int(env, 'WS_MAX_SUBSCRIPTIONS', 100, 1, 100_000),
    wsInitTimeoutMs: int(env, 'WS_INIT_TIMEOUT_MS', 10_000, 100, 600_000),
    wsKeepAliveMs: int(env, 'WS_KEEPALIVE_MS', 12_000, 0, 600_000),
    wsMaxConnectionsPerAddress: int(env, 'WS_MAX_CONNECTIONS_PER_ADDRESS', 1000, 1, 1_000_000),
    wsMaxConnections:
      str(env, 'WS_MAX_CONNECTIONS') === undefined
        ? undefined
        : int(env, 'WS_MAX_CONNECTIONS', 0, 1, 10_000_000),
    httpBacklog: int(env, 'HTTP_BACKLOG', 4096, 1, 65_535),
    maxSubscriptionsPerCaller: int(env, 'MAX_SUBSCRIPTIONS_PER_CALLER', 10_000, 1, 10_000_000),
    // Inside Kubernetes' default 30 s grace period, with room for the last steps and the exit.
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 100, 3_600_000),
    httpRequestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    redisPrefix: str(env, 'REDIS_PREFIX') ?? 'nfw:',
    pollMaxFailures: int(env, 'POLL_MAX_FAILURES', 5, 1, 1000),
    bodyLimitBytes: bytes(env, 'BODY_LIMIT', 1024 * 1024),
    corsOrigins: cors === undefined || cors === '*' ? '*' : cors.split(',').map((o) => o.trim()),
    trustProxy: trustProxy(env),
    playground: bool(env, 'PLAYGROUND', true),
    federation: bool(env, 'FEDERATION', false),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      'info',
    ),
    cache: {
      maxEntries: int(env, 'CACHE_MAX_ENTRIES', 10_000, 0, 10_000_000),
      maxBytes: bytes(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024),
      terminalTtlMs: int(env, 'CACHE_TERMINAL_TTL_MS', 12 * 3_600_000, 0, 12 * 3_600_000),
      inProgressTtlMs: int(env, 'CACHE_IN_PROGRESS_TTL_MS', 0, 0, 60_000),
    },
    responseCache: {
      maxEntries: int(env, 'RESPONSE_CACHE_MAX_ENTRIES', 1_000, 0, 1_000_000),
      maxBytes: bytes(env, 'RESPONSE_CACHE_MAX_BYTES', 32 * 1024 * 1024),
    },
    documentCacheBytes: bytes(env, 'DOCUMENT_CACHE_BYTES', 32 * 1024 * 1024),
    documents: documentsConfig(env),
    auth,
    limits: {
      maxQueryCost: int(env, 'MAX_QUERY_COST', 100, 1, 1_000_000),
      maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 15, 2, 1000),
      maxQueryTokens: int(env, 'MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
      maxVariableDepth: int(
        env,
        'MAX_VARIABLE_DEPTH',
        DEFAULT_MAX_VARIABLE_DEPTH,
        2,
        MAX_VARIABLE_DEPTH_CEILING,
      ),
      // Without identities (AUTH_MODE=none) the only key is the client address, which behind a
      // load balancer is the balancer's: a default limit there would throttle everyone at once.
      rateLimitPerMinute: int(
        env,
        'RATE_LIMIT_PER_MINUTE',
        auth.mode === 'none' ? 0 : 600,
        0,
        1_000_000,
      ),
      // The account's API quota is shared with every other team: one key must not spend it.
      upstreamCallsPerMinute: int(
        env,
        'UPSTREAM_CALLS_PER_MINUTE',
        auth.mode === 'none' ? 0 : 1000,
        0,
        10_000_000,
      ),
    },
    simulator: {
      seed: int(env, 'SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
      operationDelayMs: int(env, 'SIMULATOR_OPERATION_DELAY_MS', 3000, 0, 3_600_000),
      port: int(env, 'SIMULATOR_PORT', 0, 0, 65535),
      host: str(env, 'SIMULATOR_HOST') ?? '127.0.0.1',
    },
  };
}

function documentsConfig(env: Env): DocumentsConfig {
  const files = (str(env, 'TRUSTED_DOCUMENTS_FILE') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const mode = oneOf(env, 'TRUSTED_DOCUMENTS', ['off', 'allow', 'enforce'] as const, 'off');
  // Enforcing an empty allow-list would refuse every client: a missing setting, not a policy.
  if (mode !== 'off' && files.length === 0) {
    throw new ConfigError('TRUSTED_DOCUMENTS_FILE', `is required with TRUSTED_DOCUMENTS=${mode}`);
  }
  return {
    mode,
    files,
    pollMs: int(env, 'TRUSTED_DOCUMENTS_POLL_MS', 2000, 0, 3_600_000),
    apqTtlSeconds: int(env, 'APQ_TTL_SECONDS', 86_400, 1, 30 * 86_400),
  };
}
