import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { assetFingerprint, loadAssets, prebuiltRoot, staticDirectory } from './assets.js';
import { CompressedAssets } from './compression.js';
import { mountPlaygroundOff } from './off.js';
import { wantsPage } from './page-request.js';

/**
 * The GraphQL playground: GraphiQL (the `@graphql-yoga/graphiql` build, which bundles React,
 * GraphiQL, Monaco, the explorer plugin, its fonts as data: URIs and the graphql-ws client) served
 * entirely from the gateway's own origin, so it works behind proxies and in air-gapped networks.
 */
export interface PlaygroundOptions {
  /** The GraphQL endpoint the page is served at and talks to (HTTP and graphql-ws). */
  endpoint?: string;
  /** Where a failed asset compression is reported. */
  logger?: Logger;
  /** Where the build's compressed assets are (default `dist/playground`; tests use their own). */
  prebuilt?: string;
}

/** The example document and variables the playground opens with (they run on the demo data). */
export function defaultDocument(): { query: string; variables: string } {
  const dir = staticDirectory();
  return {
    query: readFileSync(join(dir, 'default-document.graphql'), 'utf8'),
    variables: readFileSync(join(dir, 'default-variables.json'), 'utf8'),
  };
}

/** A host header fit to go into a CSP source expression; anything else is left out. */
function cspHost(req: Request): string | undefined {
  const host = req.headers.host;
  return host && /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)
    ? host
    : undefined;
}

function pageCsp(req: Request): string {
  const host = cspHost(req);
  // CSP 3 lets 'self' match ws:/wss: on the same host, but older engines do not: name them.
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    // No inline script and no eval: the page's own code is a file, its config a JSON data block.
    "script-src 'self'",
    // Monaco and GraphiQL's components write <style> elements and style attributes at run time
    // (without it Chromium reports hundreds of violations and the editor breaks). Styles cannot run
    // script, and every stylesheet file still comes from this origin.
    "style-src 'self' 'unsafe-inline'",
    // The bundled CSS embeds its fonts (Roboto, Fira Code, codicons) and some images as data: URIs.
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    // Monaco's language services run in module workers created from the URLs init.js hands out.
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the playground on `GET <endpoint>` to browsers (Accept: text/html) and its assets under
 * `<endpoint>/playground/<version>/`. Everything else falls through to the GraphQL handler, so it
 * must be mounted before it. With `PLAYGROUND=false`, browsers get a plain-text note instead.
 */
export function mountPlayground(
  app: Express,
  config: Pick<GatewayConfig, 'playground'>,
  options: PlaygroundOptions = {},
): void {
  const endpoint = options.endpoint ?? '/graphql';
  if (!config.playground) {
    mountPlaygroundOff(app, endpoint);
    return;
  }
  const logger = options.logger;
  const assets = loadAssets();
  const { query, variables } = defaultDocument();
  const fingerprint = assetFingerprint(assets);
  const compressed = new CompressedAssets(join(options.prebuilt ?? prebuiltRoot(), fingerprint));
  const base = `${endpoint}/playground/${fingerprint}`;

  const pageConfig = {
    defaultQuery: query,
    defaultVariables: variables,
    workers: {
      editorWorkerService: `${base}/editor.worker.js`,
      json: `${base}/json.worker.js`,
      graphql: `${base}/graphql.worker.js`,
    },
    graphiql: {
      title: 'nfw-flow-gateway',
      // An empty logo replaces the Yoga logo; the title says whose API this is.
      logo: '',
      // The default is GraphQL over SSE; this gateway speaks graphql-ws on the same URL, which
      // the bundled client derives from the page's endpoint (http: -> ws:, https: -> wss:).
      subscriptionsProtocol: 'WS',
      defaultEditorToolsVisibility: 'variables',
      isHeadersEditorEnabled: true,
      // Headers carry API keys and tokens: keep them out of localStorage unless the user opts in.
      shouldPersistHeaders: false,
    },
  };
  // `<` escaped, so no string in the config can close the <script> element it sits in.
  const html = readFileSync(join(staticDirectory(), 'index.html'), 'utf8')
    .replaceAll('__ASSETS__', base)
    .replace('__CONFIG__', () => JSON.stringify(pageConfig).replaceAll('<', '\\u003c'));

  app.get(endpoint, (req: Request, res: Response, next) => {
    // The same URL answers JSON or HTML by Accept, so caches must keep them apart.
    res.vary('Accept');
    if (!wantsPage(req)) {
      next();
      return;
    }
    res
      .set({
        'Content-Security-Policy': pageCsp(req),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .type('html')
      .send(html);
  });

  app.get(`${endpoint}/playground/:version/:name`, (req: Request, res: Response) => {
    const { version, name } = req.params as { version?: string; name?: string };
    const asset = name !== undefined && Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (version !== fingerprint || !asset || name === undefined) {
      res.status(404).type('text').send('Not found');
      return;
    }
    res.set('X-Content-Type-Options', 'nosniff');
    if (asset.csp) res.set('Content-Security-Policy', asset.csp);
    res.type(asset.type);
    res.vary('Accept-Encoding');
    const sendAsIs = () => res.sendFile(asset.file, { maxAge: '365d', immutable: true });
    // Brotli whenever accepted: browsers list gzip first with the same weight, yet br is smaller.
    const encoding = req.acceptsEncodings('br')
      ? 'br'
      : req.acceptsEncodings('gzip')
        ? 'gzip'
        : undefined;
    if (encoding === undefined) {
      sendAsIs();
      return;
    }
    compressed.get(name, asset.file, encoding).then(
      ({ body, etag }) => {
        res
          .set({
            'Content-Encoding': encoding,
            'Cache-Control': 'public, max-age=31536000, immutable',
            ETag: etag,
          })
          .send(body);
      },
      (error: unknown) => {
        logger?.warn(
          { err: error, asset: name },
          'playground asset compression failed; sent as is',
        );
        sendAsIs();
      },
    );
  });
}
