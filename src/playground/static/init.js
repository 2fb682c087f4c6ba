// Runs in the browser before the GraphiQL bundle: Monaco reads MonacoEnvironment when it loads,
// and this page's Content-Security-Policy allows no inline script, hence a file of its own.
/* global document, self, location, YogaGraphiQL */
'use strict';

(function () {
  const config = JSON.parse(document.getElementById('playground-config').textContent);

  self.MonacoEnvironment = {
    // Keeps Monaco off the global scope; GraphiQL imports what it needs.
    globalAPI: false,
    // The editor's language services run in workers served by the gateway itself (same origin,
    // allowed by worker-src 'self'), instead of from a CDN or a blob: URL.
    getWorkerUrl(_moduleId, label) {
      const path = config.workers[label] ?? config.workers.editorWorkerService;
      return new URL(path, location.href).toString();
    },
  };

  // GraphiQL keeps the document being edited in the page URL (?query=), so a reload or a shared
  // link opens that; a fresh visit opens the example document with its demo variables.
  const fromUrl = new URL(location.href).searchParams.get('query');
  const start = fromUrl
    ? { query: fromUrl }
    : { query: config.defaultQuery, variables: config.defaultVariables };

  // Browsers cannot set headers on a WebSocket, so subscriptions carry the headers editor's
  // credential in graphql-ws's connection_init payload instead, where the gateway looks for it.
  // GraphiQL reports each edit; the socket reads the latest when it (re)connects.
  let headers = {};
  const onEditHeaders = (text) => {
    try {
      const parsed = JSON.parse(text || '{}');
      headers = parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      // Half-typed JSON: keep the last complete headers.
    }
  };
  const connectionParams = () => {
    const lower = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    if (lower.authorization) return { authorization: lower.authorization };
    if (lower['x-api-key']) return { authorization: `Bearer ${lower['x-api-key']}` };
    return {};
  };

  document.addEventListener('DOMContentLoaded', () => {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('playground'), {
      ...config.graphiql,
      ...start,
      onEditHeaders,
      connectionParams,
    });
  });
})();
