import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import express from 'express';
import { mountPlayground } from '../../src/playground/index.js';
import { assetFingerprint, loadAssets } from '../../src/playground/assets.js';
import { precompressPlayground } from '../../src/playground/precompress.js';

const ASSET = 'yoga-graphiql.umd.js';

interface Served {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A playground on port 0 that reads the build's copies from `prebuilt`. */
async function servePlayground(prebuilt: string): Promise<{ url: string; server: Server }> {
  const app = express();
  mountPlayground(app, { playground: true }, { prebuilt });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}

/** The bytes as sent (fetch would decompress them). */
function fetchRaw(url: string, encoding: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

function etagOf(encoding: string, body: Buffer): string {
  return `"${encoding}-${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

describe('the playground assets compressed by the build', () => {
  const root = mkdtempSync(join(tmpdir(), 'nfw-precompressed-'));
  const empty = mkdtempSync(join(tmpdir(), 'nfw-precompressed-none-'));
  const assets = loadAssets();
  const fingerprint = assetFingerprint(assets);
  const original = readFileSync(assets[ASSET]!.file);
  let fromBuild: { url: string; server: Server };
  let fromSource: { url: string; server: Server };

  before(async () => {
    mkdirSync(join(root, '000000000000'));
    assert.equal((await precompressPlayground(root)).length, Object.keys(assets).length * 2);
    fromBuild = await servePlayground(root);
    fromSource = await servePlayground(empty);
  });
  after(() => {
    fromBuild.server.close();
    fromSource.server.close();
    rmSync(root, { recursive: true });
    rmSync(empty, { recursive: true });
  });

  it('are written once per fingerprint: a second build writes nothing and old ones are gone', async () => {
    assert.deepEqual(await precompressPlayground(root), []);
    assert.equal(existsSync(join(root, '000000000000')), false);
    for (const name of Object.keys(assets)) {
      assert.ok(existsSync(join(root, fingerprint, `${name}.br`)), name);
      assert.ok(existsSync(join(root, fingerprint, `${name}.gz`)), name);
    }
  });

  it('are sent as the build wrote them, with the encoding and an ETag of those bytes', async () => {
    // A copy no run-time compression would produce (quality 1): if it arrives, nothing was
    // compressed for this request.
    const name = 'json.worker.js';
    const workerMarker = brotliCompressSync(readFileSync(assets[name]!.file), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
    });
    writeFileSync(join(root, fingerprint, `${name}.br`), workerMarker);
    const served = await fetchRaw(`${fromBuild.url}/playground/${fingerprint}/${name}`, 'br');
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-encoding'], 'br');
    assert.match(String(served.headers['content-type']), /^text\/javascript/);
    assert.match(String(served.headers['cache-control']), /max-age=31536000.*immutable/);
    assert.ok(served.body.equals(workerMarker), 'the file on disk, byte for byte');
    assert.equal(served.headers.etag, etagOf('br', workerMarker));
    assert.ok(brotliDecompressSync(served.body).equals(readFileSync(assets[name]!.file)));
  });

  it('are the same bytes and ETags as the fallback compresses at run time without them', async () => {
    for (const encoding of ['br', 'gzip']) {
      const url = `/playground/${fingerprint}/${ASSET}`;
      const built = await fetchRaw(fromBuild.url + url, encoding);
      const compressedNow = await fetchRaw(fromSource.url + url, encoding);
      assert.equal(built.headers['content-encoding'], encoding);
      assert.equal(compressedNow.headers['content-encoding'], encoding);
      assert.ok(built.body.equals(compressedNow.body), encoding);
      assert.equal(built.headers.etag, compressedNow.headers.etag, encoding);
      const plain = encoding === 'br' ? brotliDecompressSync(built.body) : gunzipSync(built.body);
      assert.ok(plain.equals(original), encoding);
    }
  });
});
