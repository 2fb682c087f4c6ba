import { readFileSync, statSync } from 'node:fs';

/**
 * Manifests are written by CI, but a manifest is still input: a wrong artifact (a bundle, a log)
 * deployed in its place must be refused, not held in memory or parsed for minutes.
 */
export const MANIFEST_LIMITS = {
  /** Bytes of one manifest file, checked before it is read. */
  fileBytes: 16 * 1024 * 1024,
  /** Documents over all manifests together. */
  documents: 20_000,
  /** Characters of one id: hashes are 32 (md5) to 71 (`sha256:` + 64). */
  idChars: 256,
  /** Characters of one document's text. */
  documentChars: 256 * 1024,
} as const;

/** One manifest's documents by id, as the client sends the id. */
export type Manifest = Map<string, string>;

/**
 * The formats the ecosystem writes:
 * - GraphQL Code Generator's client preset (`persisted-documents.json`): `{ "<sha256>": "<text>" }`;
 * - relay-compiler's local persistence (`persisted_queries.json`): the same flat `{ id: text }`,
 *   the id being an md5, sha1 or sha256 of the text per `persistConfig.algorithm`;
 * - Apollo's persisted query manifest: `{ format: "apollo-persisted-query-manifest", version: 1,
 *   operations: [{ id, body, name, type }] }`.
 * Ids are kept as written: Relay's are not SHA-256, so none is recomputed from the text.
 */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('must be a JSON object');
  }
  const record = json as Record<string, unknown>;
  const manifest: Manifest = new Map();
  const add = (id: unknown, body: unknown, at: string) => {
    if (typeof id !== 'string' || id.length === 0 || id.length > MANIFEST_LIMITS.idChars) {
      throw new Error(`${at}: the id must be a string of 1..${MANIFEST_LIMITS.idChars} characters`);
    }
    if (typeof body !== 'string' || body.length === 0) {
      throw new Error(`${at}: the document must be a non-empty string`);
    }
    if (body.length > MANIFEST_LIMITS.documentChars) {
      throw new Error(`${at}: the document is over ${MANIFEST_LIMITS.documentChars} characters`);
    }
    if (manifest.size >= MANIFEST_LIMITS.documents) {
      throw new Error(`more than ${MANIFEST_LIMITS.documents} documents`);
    }
    const previous = manifest.get(id);
    if (previous !== undefined && previous !== body) throw new Error(`${at}: duplicate id ${id}`);
    manifest.set(id, body);
  };
  if ('format' in record) {
    if (record.format !== 'apollo-persisted-query-manifest' || record.version !== 1) {
      throw new Error('unknown format (expected apollo-persisted-query-manifest version 1)');
    }
    if (!Array.isArray(record.operations)) throw new Error('operations must be a list');
    record.operations.forEach((operation: unknown, i) => {
      const entry = (typeof operation === 'object' && operation !== null ? operation : {}) as {
        id?: unknown;
        body?: unknown;
      };
      add(entry.id, entry.body, `operations[${i}]`);
    });
    return manifest;
  }
  for (const [id, body] of Object.entries(record)) add(id, body, JSON.stringify(id.slice(0, 80)));
  return manifest;
}

/** Reads and parses one manifest file, refusing one over MANIFEST_LIMITS.fileBytes unread. */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    const { size } = statSync(file);
    if (size > MANIFEST_LIMITS.fileBytes) {
      throw new Error(`${size} bytes, over the ${MANIFEST_LIMITS.fileBytes} allowed`);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseManifest(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
