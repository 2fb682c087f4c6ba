import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The two keys a sealer derives from CURSOR_SECRET under its own labels. */
export interface SealingKeys {
  encryption: Buffer;
  nonce: Buffer;
}

/**
 * HKDF with a salt and two labels per use: cursors and global ids are sealed under different keys
 * from the one secret, so one can never be accepted as the other.
 */
export function deriveSealingKeys(
  secret: Buffer,
  salt: string,
  labels: { encryption: string; nonce: string },
): SealingKeys {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.from(salt, 'utf8'), info, 32));
  return { encryption: derive(labels.encryption), nonce: derive(labels.nonce) };
}

/**
 * Deterministic authenticated encryption (AES-256-GCM with a synthetic nonce, an HMAC of the
 * plaintext under the second key): the same plaintext always gives the same text (clients and
 * caches compare cursors and ids), GCM's nonce is only ever reused for the very same plaintext,
 * which reveals nothing but that equality, and any edit or foreign key fails the tag.
 * The text is `<nonce+ciphertext>.<tag>`, both base64url.
 */
export function seal(keys: SealingKeys, plaintext: Buffer): string {
  const nonce = createHmac('sha256', keys.nonce)
    .update(plaintext)
    .digest()
    .subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce, {
    authTagLength: TAG_BYTES,
  });
  const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final()]);
  return `${sealed.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** The plaintext of a text `seal` made with these keys, or undefined for anything else. */
export function open(keys: SealingKeys, text: string, maxChars: number): Buffer | undefined {
  // The length first: a text beyond the bound is refused without reading any of it.
  if (text.length > maxChars) return undefined;
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  const sealed = Buffer.from(text.slice(0, dot), 'base64url');
  const tag = Buffer.from(text.slice(dot + 1), 'base64url');
  // Buffer's base64url decoder skips junk and padding bits, so only the canonical text is accepted.
  if (`${sealed.toString('base64url')}.${tag.toString('base64url')}` !== text) return undefined;
  if (tag.length !== TAG_BYTES || sealed.length <= NONCE_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keys.encryption,
      sealed.subarray(0, NONCE_BYTES),
      { authTagLength: TAG_BYTES },
    );
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES)), decipher.final()]);
  } catch {
    // A wrong tag: forged, edited, or sealed under another CURSOR_SECRET.
    return undefined;
  }
}
