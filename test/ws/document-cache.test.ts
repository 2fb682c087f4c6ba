import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'graphql';
import { loadConfig } from '../../src/config.js';
import { DOCUMENT_BYTES_PER_TOKEN, documentBytes } from '../../src/limits/document-size.js';
import { BoundedDocumentStore } from '../../src/limits/document-store.js';
import { buildSchema } from '../../src/schema.js';
import { OperationPreparer } from '../../src/ws/operation.js';
import { refusedDocument } from '../helpers/documents.js';
import { DEMO_ARN } from '../helpers/gateway.js';

const schema = buildSchema();
const limits = loadConfig({}).limits;

/** A distinct document that passes every check. */
function acceptedDocument(i: number): string {
  return `query Q${i} { a${i}: firewall(firewallArn: "${DEMO_ARN}") { firewallArn firewallName } }`;
}

describe('websocket document cache', () => {
  it('keeps no refused document: syntax, validation or cost', () => {
    const preparer = new OperationPreparer(schema, limits, 64 * 1024 * 1024);
    const texts = [
      ...Array.from({ length: 50 }, (_, i) => refusedDocument(i)),
      ...Array.from({ length: 20 }, (_, i) => `{ firewalls(first: ${i}) { `),
      // Valid, but over MAX_QUERY_COST (100): 101 root fields.
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `{ ${Array.from({ length: 101 }, (_, j) => `f${i}_${j}: firewall(firewallArn: "${DEMO_ARN}") { firewallArn }`).join(' ')} }`,
      ),
    ];
    for (const query of texts) {
      const prepared = preparer.prepare({ query });
      assert.equal(prepared.kind, 'refused', query.slice(0, 40));
      assert.equal(preparer.knows(query), false, 'a refused document is parsed again if resent');
    }
    assert.equal(preparer.cachedBytes, 0);
    // The same error codes as before: refusals are still told apart.
    const codes = (query: string) => {
      const prepared = preparer.prepare({ query });
      return prepared.kind === 'refused' ? prepared.errors.map((e) => e.extensions.code) : [];
    };
    assert.equal(codes(texts[0]!)[0], 'GRAPHQL_VALIDATION_FAILED');
    assert.deepEqual(codes(texts[50]!), ['GRAPHQL_PARSE_FAILED']);
    assert.deepEqual(codes(texts[70]!), ['QUERY_TOO_COMPLEX']);
  });

  it('keeps accepted documents within its byte budget, least recently used out first', () => {
    const budget = 256 * 1024;
    const preparer = new OperationPreparer(schema, limits, budget);
    const first = acceptedDocument(0);
    const one = documentBytes(parse(first));
    for (let i = 0; i < 2000; i++) {
      assert.equal(preparer.prepare({ query: acceptedDocument(i) }).kind, 'ready');
      assert.ok(preparer.cachedBytes <= budget, `${preparer.cachedBytes} > ${budget}`);
    }
    // Full, to within one document; the oldest went first, the newest are served from memory.
    assert.ok(preparer.cachedBytes > budget - 2 * one, `${preparer.cachedBytes}`);
    assert.equal(preparer.knows(first), false);
    assert.equal(preparer.knows(acceptedDocument(1999)), true);
  });

  it('with a budget of 0 keeps nothing and still prepares', () => {
    const preparer = new OperationPreparer(schema, limits, 0);
    const query = acceptedDocument(1);
    assert.equal(preparer.prepare({ query }).kind, 'ready');
    assert.equal(preparer.prepare({ query }).kind, 'ready');
    assert.equal(preparer.knows(query), false);
    assert.equal(preparer.cachedBytes, 0);
  });
});

describe('document size estimate', () => {
  it('counts tokens, not characters, plus the source text', () => {
    // Five tokens and the end-of-file token, all held in the document's token list.
    const text = '{ a b c }';
    assert.equal(documentBytes(parse(text)), 6 * DOCUMENT_BYTES_PER_TOKEN + text.length);
    // The attack's documents: 2,403 tokens each, about 1.2 MB estimated for 24 KB of text.
    const attack = refusedDocument(1);
    assert.equal(documentBytes(parse(attack)), 2403 * DOCUMENT_BYTES_PER_TOKEN + attack.length);
  });
});

describe("HTTP document store (Apollo's documentStore)", () => {
  it('is bounded by bytes and keys by the query hash, whatever Apollo prefixes', async () => {
    const budget = 128 * 1024;
    const store = new BoundedDocumentStore(budget);
    const document = parse(acceptedDocument(1));
    await store.set('schemahash:abc', document);
    assert.equal(await store.get('otherprefix:abc'), document);
    assert.equal(await store.get('abc'), document);
    assert.equal(store.bytes, documentBytes(document));
    for (let i = 0; i < 1000; i++) await store.set(`s:${i}`, parse(acceptedDocument(i)));
    assert.ok(store.bytes <= budget, `${store.bytes}`);
    assert.equal(await store.get('s:0'), undefined);
    assert.ok(await store.delete('s:999'));
    // Larger than the whole budget: not kept at all.
    await store.set('s:huge', parse(refusedDocument(1)));
    assert.equal(await store.get('s:huge'), undefined);
  });
});
