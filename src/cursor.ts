import { createHash } from 'node:crypto';
import { BadUserInputError } from './errors.js';
import { deriveSealingKeys, open, seal } from './sealing.js';
import type { SealingKeys } from './sealing.js';

/**
 * What a cursor stands for. AWS pages by NextToken only, so an edge's position is the token of
 * the page it came from (`t`, null for the first page) plus its index in that page (`o`; -1 means
 * "before the first item", used when a page came back empty but more may follow). `k` and `s`
 * bind the cursor to one connection, so a cursor from one list is refused by another.
 */
export interface CursorPosition {
  token: string | null;
  offset: number;
  /**
   * At offset -1, that the position follows an edge the list served: the last edge of an AWS page
   * gets (that page's NextToken, -1), which the next page resumes from without re-reading the
   * page it came from, and a page read after it still has an edge before it (hasPreviousPage).
   */
  edge?: true;
}

interface CursorPayload {
  v: 2;
  k: string;
  /** A digest of the scope, not the scope: the scope names firewalls, regions and accounts. */
  s: string;
  t: string | null;
  o: number;
  /** CursorPosition.edge, only when set: cursors issued before it keep their text. */
  e?: 1;
}

// The largest cursor the gateway issues: a merged list (Firewall.flowOperations across zones)
// carries every zone's AWS NextToken, up to 4096 characters each, in each cursor. Still a bound on
// what a caller may make the gateway decode.
const MAX_CURSOR_CHARS = 64 * 1024;
// HKDF labels: one secret, two keys that can never be confused with each other or another use.
const SALT = 'nfw-flow-gateway cursor';
const LABELS = { encryption: 'v2 aes-256-gcm key', nonce: 'v2 synthetic nonce key' };

/** The two keys a codec derives from CURSOR_SECRET (exported for the codec's tests). */
export function deriveCursorKeys(secret: Buffer): SealingKeys {
  return deriveSealingKeys(secret, SALT, LABELS);
}

/**
 * Cursors are encrypted and authenticated (AES-256-GCM), not only signed: a page token of
 * `firewalls` names the region and account it came from, and the list's scope names the caller's
 * firewall patterns, none of which a caller (or whoever they paste a cursor to) may read.
 *
 * The nonce is synthetic, an HMAC of the plaintext under a second key, so the same position
 * always gives the same cursor (clients compare cursors; caches key on them), and GCM's nonce is
 * only ever reused for the very same plaintext, which reveals nothing but that equality.
 */
export class CursorCodec {
  private readonly keys: SealingKeys;

  constructor(secret: Buffer) {
    this.keys = deriveCursorKeys(secret);
  }

  encode(kind: string, scope: string, position: CursorPosition): string {
    const payload: CursorPayload = {
      v: 2,
      k: kind,
      s: this.digest(scope),
      t: position.token,
      o: position.offset,
      ...(position.edge ? { e: 1 as const } : {}),
    };
    return seal(this.keys, Buffer.from(JSON.stringify(payload), 'utf8'));
  }

  /** Throws BAD_USER_INPUT naming `argumentPath` when the cursor was not issued for this connection. */
  decode(cursor: string, kind: string, scope: string, argumentPath: string): CursorPosition {
    const fail = (why: string): never => {
      throw new BadUserInputError(`${argumentPath} is not a valid cursor for this list: ${why}`, {
        argumentPath,
      });
    };
    const foreign = 'it was not issued by this gateway';
    const plaintext = open(this.keys, cursor, MAX_CURSOR_CHARS);
    if (!plaintext) return fail(foreign);
    let payload: Partial<CursorPayload>;
    try {
      payload = JSON.parse(plaintext.toString('utf8')) as Partial<CursorPayload>;
    } catch {
      return fail(foreign);
    }
    if (payload?.k !== kind || payload?.s !== this.digest(scope)) {
      return fail('it belongs to another list or to other arguments');
    }
    if (
      (payload.t !== null && typeof payload.t !== 'string') ||
      typeof payload.o !== 'number' ||
      !Number.isInteger(payload.o) ||
      payload.o < -1 ||
      (payload.e !== undefined && (payload.e !== 1 || payload.o !== -1))
    ) {
      return fail('it is malformed');
    }
    return payload.e === 1
      ? { token: payload.t, offset: payload.o, edge: true }
      : { token: payload.t, offset: payload.o };
  }

  // 128 bits: a caller would need a SHA-256 collision of two argument sets to cross lists. Edges
  // seal their cursor only when it is read, so this runs for a few cursors a page, not 100.
  private digest(scope: string): string {
    return createHash('sha256')
      .update(scope, 'utf8')
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}
