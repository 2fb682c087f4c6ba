import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_LIMITS, parseManifest, readManifest } from '../../src/documents/manifest.js';

const FIREWALL = 'query Firewall($arn: String!) { firewall(firewallArn: $arn) { firewallName } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('trusted document manifests', () => {
  it('loads a GraphQL Code Generator client preset persisted-documents.json', () => {
    const manifest = parseManifest(JSON.stringify({ [sha256(FIREWALL)]: FIREWALL }));
    assert.deepEqual([...manifest], [[sha256(FIREWALL), FIREWALL]]);
  });

  it("loads relay-compiler's persisted_queries.json, keeping its md5 ids as written", () => {
    const manifest = parseManifest(JSON.stringify({ [md5(FIREWALL)]: FIREWALL }));
    assert.equal(manifest.get(md5(FIREWALL)), FIREWALL);
  });

  it("loads Apollo's persisted query manifest", () => {
    const manifest = parseManifest(
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(FIREWALL), body: FIREWALL, name: 'Firewall', type: 'query' }],
      }),
    );
    assert.equal(manifest.get(sha256(FIREWALL)), FIREWALL);
  });

  it('refuses unknown formats, wrong shapes, long ids and conflicting duplicates', () => {
    assert.throws(() => parseManifest('[]'), /JSON object/);
    assert.throws(() => parseManifest('{"format":"other","operations":[]}'), /unknown format/);
    assert.throws(() => parseManifest('{"abc": 42}'), /non-empty string/);
    assert.throws(
      () => parseManifest(JSON.stringify({ ['x'.repeat(MANIFEST_LIMITS.idChars + 1)]: FIREWALL })),
      /id must be/,
    );
    assert.throws(
      () =>
        parseManifest(
          JSON.stringify({
            format: 'apollo-persisted-query-manifest',
            version: 1,
            operations: [
              { id: 'a', body: FIREWALL },
              { id: 'a', body: '{ __typename }' },
            ],
          }),
        ),
      /duplicate id/,
    );
  });

  it('bounds the document count and refuses an oversized file before reading it', () => {
    const many = Object.fromEntries(
      Array.from({ length: MANIFEST_LIMITS.documents + 1 }, (_, i) => [`id${i}`, `{ a${i} }`]),
    );
    assert.throws(() => parseManifest(JSON.stringify(many)), /more than/);
    const dir = mkdtempSync(join(tmpdir(), 'nfw-manifest-'));
    const file = join(dir, 'big.json');
    writeFileSync(file, Buffer.alloc(MANIFEST_LIMITS.fileBytes + 1, 0x20));
    assert.throws(() => readManifest(file), /over the/);
  });
});
