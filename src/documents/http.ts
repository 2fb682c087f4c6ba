import type { RequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { principalOf } from '../auth/http.js';
import type { Principal } from '../auth/principal.js';
import { sendGraphQLError } from '../limits/http.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import type { DocumentFields, Resolution } from './resolve.js';

export interface PersistedHttpOptions {
  resolve: (fields: DocumentFields, principal: Principal) => Resolution;
  metrics: GatewayMetrics;
  format: (error: GraphQLFormattedError) => GraphQLFormattedError;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request's extensions without `persistedQuery`, plus the one Apollo's APQ should see. */
function extensionsFor(extensions: unknown, resolution: Resolution): unknown {
  const rest = isRecord(extensions) ? { ...extensions } : {};
  delete rest.persistedQuery;
  if (resolution.kind === 'apq') rest.persistedQuery = { version: 1, sha256Hash: resolution.hash };
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * Between authentication and Apollo: turns a persisted request (`documentId`, or APQ's
 * `extensions.persistedQuery`) into what Apollo runs, over POST and GET. A trusted document
 * becomes its text (whose AST Apollo then finds in PinnedDocumentStore, parsed and validated
 * once); an APQ hash becomes Apollo's own `persistedQuery` extension, so that Apollo's APQ does
 * the miss and the registration; under `enforce` a document outside the manifest stops here.
 */
export function persistedDocumentsHttp({
  resolve,
  metrics,
  format,
}: PersistedHttpOptions): RequestHandler {
  return (req, res, next) => {
    // A GET answer depends on who asked: a shared cache must never hand one caller's to another.
    res.vary('Authorization');
    res.vary('X-Api-Key');
    const principal = principalOf(res);
    const get = req.method === 'GET';
    let fields: DocumentFields;
    let url: URL | undefined;
    if (get) {
      url = new URL(req.url, 'http://gateway.invalid');
      const params = url.searchParams;
      let extensions: unknown;
      const rawExtensions = params.get('extensions');
      if (rawExtensions !== null) {
        try {
          extensions = JSON.parse(rawExtensions);
        } catch {
          // Apollo answers malformed extensions itself.
          return next();
        }
      }
      fields = {
        query: params.get('query') ?? undefined,
        documentId: params.get('documentId') ?? undefined,
        extensions,
      };
    } else if (isRecord(req.body)) {
      fields = req.body;
    } else {
      // A batch (refused by Apollo) or no JSON body at all.
      return next();
    }
    const resolution = resolve(fields, principal);
    if (resolution.kind === 'refused') {
      const { message, extensions } = format(resolution.error);
      const code = typeof extensions?.code === 'string' ? extensions.code : 'BAD_REQUEST';
      metrics.onDocument('http', { refused: code });
      sendGraphQLError(res, resolution.status, message, code);
      return;
    }
    metrics.onDocument('http', { source: resolution.kind });
    if (resolution.kind === 'adhoc') return next();
    const query = resolution.text;
    const extensions = extensionsFor(fields.extensions, resolution);
    if (url) {
      const params = url.searchParams;
      params.delete('documentId');
      if (query === undefined) params.delete('query');
      else params.set('query', query);
      if (extensions === undefined) params.delete('extensions');
      else params.set('extensions', JSON.stringify(extensions));
      // The express integration reads GET parameters from req.url.
      req.url = `${url.pathname}?${params.toString()}`;
    } else {
      const body = req.body as Record<string, unknown>;
      delete body.documentId;
      if (query === undefined) delete body.query;
      else body.query = query;
      if (extensions === undefined) delete body.extensions;
      else body.extensions = extensions;
    }
    next();
  };
}
