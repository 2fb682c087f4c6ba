import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidRequestException } from './errors.js';

/**
 * NextTokens are opaque to callers but carry a cursor, bound to the request they belong to
 * (operation, region, firewall, scope, filters) and MAC'd with a per-simulator secret, so a
 * token from another request, another list, or another simulator instance is refused.
 * Only characters from AWS's token pattern ([0-9A-Za-z:/+=]) are used.
 */
export class TokenCodec {
  readonly #secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.#secret = secret;
  }

  encode(binding: string, cursor: string): string {
    const payload = Buffer.from(JSON.stringify({ b: digest(binding), c: cursor }), 'utf8');
    return `${payload.toString('base64')}:${this.#mac(payload).toString('base64')}`;
  }

  /** The cursor inside `token`; throws InvalidRequestException for anything not issued for `binding`. */
  decode(binding: string, token: string): string {
    const parts = token.split(':');
    if (parts.length !== 2) throw invalidToken();
    const payload = Buffer.from(parts[0] ?? '', 'base64');
    const mac = Buffer.from(parts[1] ?? '', 'base64');
    const expected = this.#mac(payload);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw invalidToken();
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      throw invalidToken();
    }
    const { b, c } = (parsed ?? {}) as { b?: unknown; c?: unknown };
    if (b !== digest(binding) || typeof c !== 'string') throw invalidToken();
    return c;
  }

  #mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest().subarray(0, 18);
  }
}

function digest(binding: string): string {
  return createHash('sha256').update(binding).digest('base64').slice(0, 16);
}

function invalidToken(): InvalidRequestException {
  return new InvalidRequestException('Invalid NextToken');
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Offset paging, for lists that never change once issued (operation results, firewalls). */
export function pageByOffset<T>(
  all: readonly T[],
  cursor: string | undefined,
  limit: number,
): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    if (!/^\d+$/.test(cursor)) throw invalidToken();
    start = Number(cursor);
    if (start > all.length) throw invalidToken();
  }
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  return end < all.length ? { items, nextCursor: String(end) } : { items };
}

/**
 * Keyset paging for lists that grow while being walked (flow operations, newest first): the
 * cursor is the sort key of the last item returned, so new entries never shift later pages.
 * `all` must be sorted by `key` descending.
 */
export function pageByKey<T>(
  all: readonly T[],
  key: (item: T) => string,
  cursor: string | undefined,
  limit: number,
): Page<T> {
  const remaining = cursor === undefined ? all : all.filter((item) => key(item) < cursor);
  const items = remaining.slice(0, limit);
  const last = items[items.length - 1];
  return remaining.length > limit && last !== undefined
    ? { items, nextCursor: key(last) }
    : { items };
}
