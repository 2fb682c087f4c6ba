import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { ReloadableFile } from '../reloadable-file.js';
import { FirewallPatterns, isScope } from './principal.js';
import type { Principal, Scope } from './principal.js';

interface ApiKeyEntry {
  name: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
  firewalls: FirewallPatterns;
}

function sha256(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * Parses AUTH_API_KEYS_FILE. Strict on purpose: a typo in a scope or a duplicate would otherwise
 * grant, or hide, access silently.
 */
function parseApiKeys(text: string): ApiKeyEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON: ${(error as Error).message}`);
  }
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) fail('expected {"keys": [...]}');
  const names = new Set<string>();
  const digests = new Set<string>();
  return keys.map((raw: unknown, i): ApiKeyEntry => {
    const at = `keys[${i}]`;
    if (typeof raw !== 'object' || raw === null) fail(`${at} must be an object`);
    const entry = raw as Record<string, unknown>;
    const { name, sha256: hex, scopes, firewalls } = entry;
    if ('key' in entry) fail(`${at} holds a key in clear: store only its "sha256"`);
    if (typeof name !== 'string' || !/^[\w.@:-]{1,128}$/.test(name)) {
      fail(`${at}.name must be 1 to 128 letters, digits or . _ - @ :`);
    }
    if (names.has(name)) fail(`${at}.name "${name}" is used twice`);
    names.add(name);
    if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
      fail(`${at}.sha256 must be the 64 hex digits of the key's SHA-256`);
    }
    if (digests.has(hex.toLowerCase())) fail(`${at}.sha256 is the digest of another entry's key`);
    digests.add(hex.toLowerCase());
    if (!Array.isArray(scopes) || !scopes.every(isScope)) {
      fail(`${at}.scopes must be a list of "read", "write", "admin" and "explore"`);
    }
    if (
      !Array.isArray(firewalls) ||
      !firewalls.every((f) => typeof f === 'string' && f.length > 0 && f.length <= 2048)
    ) {
      fail(`${at}.firewalls must be a list of firewall ARN patterns (with * as wildcard)`);
    }
    return {
      name,
      digest: Buffer.from(hex, 'hex'),
      scopes: new Set(scopes),
      firewalls: new FirewallPatterns(firewalls as string[]),
    };
  });
}

function readKeys(file: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseApiKeys(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

export interface ApiKeyStoreOptions {
  file: string;
  /** Polls the file's stat at this interval (survives editors' and Kubernetes' atomic renames); 0 = off. */
  pollMs: number;
  logger: Logger;
}

/**
 * The API keys, as SHA-256 digests only, read again when the file changes (ReloadableFile: a
 * reload that fails keeps the last good set).
 */
export class ApiKeyStore {
  private readonly file: ReloadableFile<ApiKeyEntry[]>;

  /** Throws when the file cannot be read or is invalid: the gateway must not start keyless. */
  constructor(options: ApiKeyStoreOptions) {
    this.file = new ReloadableFile({
      files: [options.file],
      pollMs: options.pollMs,
      logger: options.logger,
      read: () => readKeys(options.file),
      messages: {
        failed: 'API keys file reload failed; keeping the previous keys',
        reloaded: 'API keys file reloaded',
      },
      describe: (entries) => ({ keys: entries.map((e) => e.name) }),
    });
  }

  private get entries(): ApiKeyEntry[] {
    return this.file.value;
  }

  /** Re-reads the file; true when the new set is in use. */
  reload(): boolean {
    return this.file.reload();
  }

  onReload(listener: () => void): () => void {
    return this.file.onReload(listener);
  }

  /**
   * Compares the key's digest with every entry in constant time, and never stops at a match, so
   * timing tells nothing about which entry, or how much of a digest, matched.
   */
  authenticate(key: string): Principal | undefined {
    const digest = sha256(key);
    let found: ApiKeyEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.digest) && !found) found = entry;
    }
    if (!found) return undefined;
    return {
      kind: 'apikey',
      id: found.name,
      scopes: found.scopes,
      firewalls: found.firewalls,
      keyDigest: digest.toString('hex'),
    };
  }

  /** Whether a principal proved earlier still holds, unchanged, after a reload. */
  isCurrent(principal: Principal): boolean {
    if (!principal.keyDigest) return false;
    const digest = Buffer.from(principal.keyDigest, 'hex');
    const entry = this.entries.find((e) => timingSafeEqual(digest, e.digest));
    return (
      entry !== undefined &&
      entry.name === principal.id &&
      entry.firewalls.fingerprint === principal.firewalls?.fingerprint &&
      [...principal.scopes].every((s) => entry.scopes.has(s)) &&
      entry.scopes.size === principal.scopes.size
    );
  }

  close(): void {
    this.file.close();
  }
}
