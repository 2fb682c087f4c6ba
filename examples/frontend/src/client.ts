// A small typed client for nfw-flow-gateway: queries and mutations over HTTP with `fetch`,
// subscriptions over `graphql-ws` on the same URL. Every call takes a TypedDocumentNode generated
// from the schema (see ../codegen.ts), so variables and results are checked by the compiler.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';

/** Operations with no required variable may omit them; any other must pass them. */
export type VariablesArg<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface GatewayClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; ws: is derived from it. */
  url: string;
  /** Sent with every HTTP request and as graphql-ws connection params (API key, token). */
  headers?: Record<string, string>;
  /** A WebSocket implementation: the browser's by default, the `ws` package's in Node. */
  webSocketImpl?: unknown;
  fetch?: typeof globalThis.fetch;
  /**
   * Send documents by id (`documentId: "sha256:…"`, the `__meta__.hash` codegen's
   * `persistedDocuments` adds) instead of their text: what a gateway with
   * TRUSTED_DOCUMENTS=enforce runs, given src/gql/persisted-documents.json as its manifest.
   */
  persisted?: boolean;
}

/** The document as the request carries it: its manifest id when persisted, else its text. */
function documentFields(document: DocumentNode, persisted: boolean | undefined) {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (persisted && typeof hash === 'string') return { documentId: hash };
  return { query: print(document) };
}

/** A response with errors. `codes` are the stable `extensions.code` values (see docs/errors.md). */
export class GatewayError extends Error {
  readonly codes: string[];

  constructor(
    readonly errors: readonly GraphQLFormattedError[],
    readonly status?: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status ?? '?'}`);
    this.name = 'GatewayError';
    this.codes = errors.map((e) =>
      typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN',
    );
  }
}

interface ExecutionResult {
  data?: unknown;
  errors?: readonly GraphQLFormattedError[];
}

function dataOf<TResult>(result: ExecutionResult, status?: number): TResult {
  // Partial data with errors counts as a failure here; a UI that shows partial results would
  // return both instead.
  if (result.errors?.length || result.data == null) {
    throw new GatewayError(result.errors ?? [], status);
  }
  return result.data as TResult;
}

export class GatewayClient {
  readonly #options: GatewayClientOptions;
  #ws: Client | undefined;

  constructor(options: GatewayClientOptions) {
    this.#options = options;
  }

  /** Runs a query or mutation (POST, JSON) and returns its data, or throws a GatewayError. */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: VariablesArg<TVariables>
  ): Promise<TResult> {
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const res = await fetchImpl(this.#options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...this.#options.headers,
      },
      body: JSON.stringify({ ...documentFields(document, this.#options.persisted), variables }),
    });
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('json')) {
      throw new GatewayError([{ message: `HTTP ${res.status}: ${await res.text()}` }], res.status);
    }
    return dataOf<TResult>((await res.json()) as ExecutionResult, res.status);
  }

  /**
   * Subscribes and yields each pushed result; ends when the server completes the subscription.
   * Breaking out of the loop unsubscribes.
   */
  async *subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables]: VariablesArg<TVariables>
  ): AsyncGenerator<TResult, void, undefined> {
    const iterator = this.#socket().iterate({
      // graphql-ws insists on a query string; a persisted subscribe's is empty.
      query: '',
      ...documentFields(document, this.#options.persisted),
      variables: variables ?? {},
    });
    for await (const result of iterator) yield dataOf<TResult>(result);
  }

  /** Closes the websocket, if one was opened. */
  async close(): Promise<void> {
    await this.#ws?.dispose();
    this.#ws = undefined;
  }

  #socket(): Client {
    // One socket for all subscriptions, opened on first use and closed when none is active.
    this.#ws ??= createClient({
      url: this.#options.url.replace(/^http/, 'ws'),
      connectionParams: this.#options.headers ? { headers: this.#options.headers } : undefined,
      ...(this.#options.webSocketImpl ? { webSocketImpl: this.#options.webSocketImpl } : {}),
      lazy: true,
      retryAttempts: 0,
    });
    return this.#ws;
  }
}
