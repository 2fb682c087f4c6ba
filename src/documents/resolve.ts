import { GraphQLError } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { TrustedDocumentsMode } from '../config.js';
import { ErrorCode } from '../errors.js';
import { MANIFEST_LIMITS } from './manifest.js';
import { normaliseId } from './trusted.js';
import type { TrustedDocuments } from './trusted.js';

/** Where a request's document came from, as /metrics counts it. */
export type DocumentSource = 'trusted' | 'apq' | 'adhoc';

/** The fields of a GraphQL request that name its document, on either transport. */
export interface DocumentFields {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

export type Resolution =
  /** A manifest document: run `text`, whose prepared AST (if valid) is `document`. */
  | { kind: 'trusted'; text: string; document: DocumentNode | undefined }
  /** An APQ hash, with or without the text that registers it. */
  | { kind: 'apq'; hash: string; text: string | undefined }
  /** A document sent as text, or a request with no document at all (the pipeline refuses it). */
  | { kind: 'adhoc' }
  | { kind: 'refused'; status: number; error: GraphQLError };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function refused(status: number, code: string, message: string): Resolution {
  return { kind: 'refused', status, error: new GraphQLError(message, { extensions: { code } }) };
}

/** `documentId` (GraphQL-over-HTTP draft), else Apollo's `extensions.persistedQuery.sha256Hash`. */
function requestedId(fields: DocumentFields): unknown {
  if (fields.documentId !== undefined) return fields.documentId;
  const extensions = fields.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  return (persisted as { sha256Hash?: unknown }).sha256Hash ?? null;
}

export interface ResolverOptions {
  mode: TrustedDocumentsMode;
  trusted: TrustedDocuments | undefined;
}

/**
 * Which document a request runs, decided from ids and hashes only: nothing here parses. Under
 * `enforce` an unknown document is refused here, before parsing, validation, cost or any AWS
 * call; a caller with the `explore` scope may still send any document.
 */
export function resolveDocument(
  fields: DocumentFields,
  principal: Principal,
  { mode, trusted }: ResolverOptions,
): Resolution {
  const manifest = mode === 'off' ? undefined : trusted;
  const id = requestedId(fields);
  // Empty is absent: graphql-ws requires a `query` string, so persisted subscribes carry ''.
  const text = typeof fields.query === 'string' && fields.query !== '' ? fields.query : undefined;
  if (id !== undefined) {
    if (typeof id !== 'string' || id.length === 0 || id.length > MANIFEST_LIMITS.idChars) {
      return refused(400, 'BAD_REQUEST', 'The document id must be a short string');
    }
    const found = manifest?.byId(id);
    if (found) {
      // Both given and not the same: which one the client meant is not this gateway's guess.
      if (text !== undefined && text !== found.text) {
        return refused(400, 'BAD_REQUEST', 'The document id and the query text disagree');
      }
      return { kind: 'trusted', text: found.text, document: found.document };
    }
    const hash = normaliseId(id);
    if (mode === 'enforce' || !SHA256_HEX.test(hash)) {
      // Not registrable: under enforce only the manifest names documents, and APQ hashes are
      // SHA-256. 404 as the Apollo Router answers an unknown persisted query id.
      return refused(404, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
    }
    return { kind: 'apq', hash, text };
  }
  if (manifest && text !== undefined) {
    // The text of a manifest document is that document, whichever way it was sent. Looked up by
    // the text itself: every ad-hoc request passes here, and Apollo hashes it once already.
    const found = manifest.byText(text);
    if (found) return { kind: 'trusted', text: found.text, document: found.document };
  }
  if (mode === 'enforce' && !principal.scopes.has('explore')) {
    return refused(
      403,
      ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
      'Only trusted documents run here; send a documentId from the manifest (or use a credential with the explore scope)',
    );
  }
  return { kind: 'adhoc' };
}
