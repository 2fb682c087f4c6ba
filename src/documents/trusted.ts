import { createHash } from 'node:crypto';
import { parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Logger } from '../logger.js';
import { ReloadableFile } from '../reloadable-file.js';
import { MANIFEST_LIMITS, readManifest } from './manifest.js';

export interface TrustedDocument {
  /** The manifest's id, `sha256:` prefix removed. */
  id: string;
  text: string;
  /** SHA-256 (hex) of the text: Apollo's document store key, and how sent text is recognised. */
  textHash: string;
  /**
   * Parsed and validated once at load, and then reused by every request: none of them parses or
   * validates it again. Undefined when it does not parse or validate against this schema (a
   * manifest ahead of or behind the gateway): such a request goes through the normal pipeline
   * and gets its errors from it.
   */
  document: DocumentNode | undefined;
}

interface Loaded {
  byId: Map<string, TrustedDocument>;
  byTextHash: Map<string, TrustedDocument>;
  /** By the text itself: a request that sends text is matched without hashing it. */
  byText: Map<string, TrustedDocument>;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** `sha256:<hex>` (the GraphQL-over-HTTP draft's prefixed id) and a bare id are the same id. */
export function normaliseId(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

export interface TrustedDocumentsOptions {
  files: string[];
  schema: GraphQLSchema;
  maxQueryTokens: number;
  /** Polls each file's stat at this interval; 0 = SIGHUP only. */
  pollMs: number;
  logger: Logger;
}

/**
 * The documents the teams shipped (TRUSTED_DOCUMENTS_FILE), reloaded like the API keys file: on
 * a change of any file and on SIGHUP (main.ts calls reload()). A reload that fails keeps the previous set, so a
 * half-deployed manifest never refuses every client, nor lets an unknown document in.
 */
export class TrustedDocuments {
  private readonly manifests: ReloadableFile<Loaded>;

  /** Throws when a manifest cannot be read or is invalid: the gateway must not start without it. */
  constructor(private readonly options: TrustedDocumentsOptions) {
    this.manifests = new ReloadableFile({
      files: options.files,
      pollMs: options.pollMs,
      logger: options.logger,
      read: (previous) => this.load(previous),
      messages: {
        failed: 'Trusted documents reload failed; keeping the previous manifest',
        reloaded: 'Trusted documents reloaded',
      },
      describe: (loaded) => ({ documents: loaded.byId.size }),
    });
  }

  private get loaded(): Loaded {
    return this.manifests.value;
  }

  get size(): number {
    return this.loaded.byId.size;
  }

  /** The document a client names by id (`sha256:<hex>`, a bare hash, or Relay's id). */
  byId(id: string): TrustedDocument | undefined {
    return this.loaded.byId.get(normaliseId(id));
  }

  /** The trusted document whose text hashes to this (Apollo's document store key). */
  byTextHash(hash: string): TrustedDocument | undefined {
    return this.loaded.byTextHash.get(hash);
  }

  /** The trusted document with exactly this text (a client that sent the text itself). */
  byText(text: string): TrustedDocument | undefined {
    return this.loaded.byText.get(text);
  }

  /** Re-reads every manifest; true when the new set is in use. */
  reload(): boolean {
    return this.manifests.reload();
  }

  onReload(listener: () => void): () => void {
    return this.manifests.onReload(listener);
  }

  close(): void {
    this.manifests.close();
  }

  private load(previous: Loaded | undefined): Loaded {
    const byId = new Map<string, TrustedDocument>();
    const byTextHash = new Map<string, TrustedDocument>();
    const byText = new Map<string, TrustedDocument>();
    // Documents already prepared keep their AST: a reload re-parses only what changed.
    for (const file of this.options.files) {
      for (const [rawId, text] of readManifest(file)) {
        if (byId.size >= MANIFEST_LIMITS.documents) {
          throw new Error(`more than ${MANIFEST_LIMITS.documents} documents over all manifests`);
        }
        const id = normaliseId(rawId);
        const textHash = sha256Hex(text);
        const known = previous?.byTextHash.get(textHash) ?? byTextHash.get(textHash);
        const entry: TrustedDocument = {
          id,
          text,
          textHash,
          document: known ? known.document : this.prepare(id, text),
        };
        const clash = byId.get(id);
        if (clash && clash.text !== text) throw new Error(`${file}: id ${id} names two documents`);
        byId.set(id, entry);
        byTextHash.set(textHash, entry);
        byText.set(text, entry);
      }
    }
    return { byId, byTextHash, byText };
  }

  private prepare(id: string, text: string): DocumentNode | undefined {
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: this.options.maxQueryTokens });
    } catch (error) {
      this.options.logger.warn({ id, err: (error as Error).message }, 'Trusted document: no parse');
      return undefined;
    }
    const errors = validate(this.options.schema, document);
    if (errors.length > 0) {
      this.options.logger.warn(
        { id, err: errors[0]?.message },
        'Trusted document does not validate against this schema; requests for it will be refused',
      );
      return undefined;
    }
    return document;
  }
}
