// Apollo Client 4 for nfw-flow-gateway, configured as a frontend team would: a default
// InMemoryCache with no typePolicies. Every Firewall and FlowOperation has a global `id`, so the
// cache normalizes them as `Firewall:<id>` and `FlowOperation:<id>` without configuration: a
// subscription push or a mutation result updates every watched query that shows the same object.
// Queries and mutations go over HTTP; subscriptions over graphql-ws on the same URL.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { OperationTypeNode } from 'graphql';
import type { DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';

export interface ApolloGatewayOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; ws: is derived from it. */
  url: string;
  /** Sent with every HTTP request and as graphql-ws connection params (API key, token). */
  headers?: Record<string, string>;
  /** A WebSocket implementation: the browser's by default, the `ws` package's in Node. */
  webSocketImpl?: unknown;
  fetch?: typeof globalThis.fetch;
  /**
   * Send queries and mutations by their manifest id (`extensions.persistedQuery.sha256Hash`,
   * the `__meta__.hash` codegen's `persistedDocuments` adds), never their text: what a gateway
   * with TRUSTED_DOCUMENTS=enforce runs, given src/gql/persisted-documents.json as its manifest.
   */
  persisted?: boolean;
}

/** The manifest id codegen put on the document; a document without one cannot be persisted. */
function manifestId(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('This document is not in the manifest');
  return hash;
}

export interface ApolloGateway {
  client: ApolloClient;
  /** Stops the client and closes its websocket. */
  close(): Promise<void>;
}

export function createApolloGateway(options: ApolloGatewayOptions): ApolloGateway {
  const ws = createClient({
    url: options.url.replace(/^http/, 'ws'),
    ...(options.headers ? { connectionParams: options.headers } : {}),
    ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
  });
  const http = new HttpLink({
    uri: options.url,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // A hash miss would make the link retry with the text: the gateway's manifest holds the text,
  // so that never happens with the documents this example ships.
  const toServer = options.persisted
    ? new PersistedQueryLink({ generateHash: manifestId }).concat(http)
    : http;
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    toServer,
  );
  // No typePolicies: identity comes from the schema's `id` fields.
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    client,
    async close() {
      client.stop();
      await ws.dispose();
    },
  };
}
