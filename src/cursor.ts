import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from './errors.js';

/**
 * What a cursor stands for. AWS pages by NextToken only, so an edge's position is the token of
 * the page it came from (`t`, null for the first page) plus its index in that page (`o`; -1 means
 * "before the first item", used when a page came back empty but more may follow). `k` and `s`
 * bind the cursor to one connection, so a cursor from one list is refused by another.
 */
export interface CursorPosition {
  token: string | null;
  offset: number;
}

interface CursorPayload {
  v: 1;
  k: string;
  s: string;
  t: string | null;
  o: number;
}

const MAC_BYTES = 16;

export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  encode(kind: string, scope: string, position: CursorPosition): string {
    const payload: CursorPayload = {
      v: 1,
      k: kind,
      s: scope,
      t: position.token,
      o: position.offset,
    };
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    return `${body.toString('base64url')}.${this.mac(body).toString('base64url')}`;
  }

  /** Throws BAD_USER_INPUT naming `argumentPath` when the cursor was not issued for this connection. */
  decode(cursor: string, kind: string, scope: string, argumentPath: string): CursorPosition {
    const fail = (why: string): never => {
      throw new BadUserInputError(`${argumentPath} is not a valid cursor for this list: ${why}`, {
        argumentPath,
      });
    };
    const dot = cursor.indexOf('.');
    if (dot <= 0 || cursor.length > 8192) return fail('it was not issued by this gateway');
    const body = Buffer.from(cursor.slice(0, dot), 'base64url');
    const mac = Buffer.from(cursor.slice(dot + 1), 'base64url');
    // Buffer's base64url decoder skips junk and padding bits, so only the canonical text is accepted.
    if (`${body.toString('base64url')}.${mac.toString('base64url')}` !== cursor) {
      return fail('it was not issued by this gateway');
    }
    const expected = this.mac(body);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      return fail('it was not issued by this gateway');
    }
    let payload: Partial<CursorPayload>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Partial<CursorPayload>;
    } catch {
      return fail('it was not issued by this gateway');
    }
    if (payload?.k !== kind || payload?.s !== scope) {
      return fail('it belongs to another list or to other arguments');
    }
    if (
      (payload.t !== null && typeof payload.t !== 'string') ||
      typeof payload.o !== 'number' ||
      !Number.isInteger(payload.o) ||
      payload.o < -1
    ) {
      return fail('it is malformed');
    }
    return { token: payload.t, offset: payload.o };
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, MAC_BYTES);
  }
}
