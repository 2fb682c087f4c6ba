import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

export const ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

export interface CompressedAsset {
  body: Buffer;
  /** Computed once: Express would otherwise hash the whole body on every request. */
  etag: string;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One compression for the build and for the fallback at run time, so both send the same bytes. */
export function compress(raw: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(raw, {
        params: {
          // Quality 9 of 11: within a few percent of the best, several times faster.
          [constants.BROTLI_PARAM_QUALITY]: 9,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      })
    : gzipAsync(raw, { level: 9 });
}

/** The file name the build gives an asset's compressed copy. */
export function prebuiltName(name: string, encoding: Encoding): string {
  return `${name}.${encoding === 'br' ? 'br' : 'gz'}`;
}

/** A strong ETag of the bytes sent, so a copy from the build and one made here agree. */
function withEtag(body: Buffer, encoding: Encoding): CompressedAsset {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, etag: `"${encoding}-${digest}"` };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The playground's assets compressed, about 9 MB of JavaScript and CSS sent as about 2 MB. The
 * build writes them (src/playground/precompress.ts) to `prebuilt`: compressing at the first
 * request took seconds, and the first page load waited for it. Without the build's copies (run
 * from source, or a build older than the assets), each asset is compressed on its first request
 * instead; zlib runs on the thread pool, so the event loop keeps serving meanwhile. Either way an
 * asset is read once and kept; concurrent first requests share one read.
 */
export class CompressedAssets {
  private readonly cache = new Map<string, Promise<CompressedAsset>>();

  /** `prebuilt`: the build's directory for the fingerprint being served. */
  constructor(private readonly prebuilt: string) {}

  get(name: string, file: string, encoding: Encoding): Promise<CompressedAsset> {
    const key = `${encoding}:${name}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = readFile(join(this.prebuilt, prebuiltName(name, encoding)))
        .catch(async (error: unknown) => {
          if (!isMissing(error)) throw error;
          return compress(await readFile(file), encoding);
        })
        .then((body) => withEtag(body, encoding));
      // A failure is not cached: the next request tries again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }
}
