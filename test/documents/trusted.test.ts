import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { PinnedDocumentStore } from '../../src/documents/pinned-store.js';
import { TrustedDocuments } from '../../src/documents/trusted.js';
import { buildSchema } from '../../src/schema.js';
import { captureLogger } from '../auth/support.js';

const FIREWALL = 'query Firewall($arn: String!) { firewall(firewallArn: $arn) { firewallName } }';
const STALE = '{ fieldRemovedLongAgo }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('TrustedDocuments', () => {
  let dir: string;
  let file: string;
  let trusted: TrustedDocuments;
  const log = captureLogger();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-trusted-unit-'));
    file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ [`sha256:${sha256(FIREWALL)}`]: FIREWALL, stale: STALE }));
    // No polling: only reload() (SIGHUP in main.ts) reloads.
    trusted = new TrustedDocuments({
      files: [file],
      schema: buildSchema(),
      maxQueryTokens: 5000,
      pollMs: 0,
      logger: log.logger,
    });
  });
  after(() => {
    trusted.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares each document once at load, and finds it by prefixed id, bare id or text hash', async () => {
    const byPrefixed = trusted.byId(`sha256:${sha256(FIREWALL)}`);
    assert.ok(byPrefixed?.document, 'parsed and validated at load');
    assert.equal(trusted.byId(sha256(FIREWALL)), byPrefixed);
    assert.equal(trusted.byTextHash(sha256(FIREWALL)), byPrefixed);
    // Apollo's document store finds the same AST: no parse or validation per request.
    const store = new PinnedDocumentStore(trusted, undefined);
    assert.equal(await store.get(`schema-hash:${sha256(FIREWALL)}`), byPrefixed.document);
    // A document this schema does not validate is kept by id, unprepared, and logged.
    assert.equal(trusted.byId('stale')?.document, undefined);
    assert.ok(
      log.lines.some((l) => String(l.msg).startsWith('Trusted document does not validate')),
    );
  });

  it('reloads on reload() (main.ts: SIGHUP), keeping the ASTs of documents that did not change', () => {
    const before = trusted.byId(sha256(FIREWALL))?.document;
    const other = '{ __typename }';
    writeFileSync(file, JSON.stringify({ [sha256(FIREWALL)]: FIREWALL, [sha256(other)]: other }));
    assert.equal(trusted.reload(), true);
    assert.equal(trusted.size, 2);
    assert.ok(trusted.byId(sha256(other))?.document);
    assert.equal(trusted.byId(sha256(FIREWALL))?.document, before);
    assert.equal(trusted.byId('stale'), undefined);
  });
});

describe('TRUSTED_DOCUMENTS settings', () => {
  it('defaults to off, and refuses allow or enforce without a manifest', () => {
    assert.equal(loadConfig({}).documents.mode, 'off');
    assert.throws(() => loadConfig({ TRUSTED_DOCUMENTS: 'enforce' }), /TRUSTED_DOCUMENTS_FILE/);
    const config = loadConfig({
      TRUSTED_DOCUMENTS: 'allow',
      TRUSTED_DOCUMENTS_FILE: 'a.json, b.json',
    });
    assert.deepEqual(config.documents.files, ['a.json', 'b.json']);
  });
});
