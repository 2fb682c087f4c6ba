// Hive Gateway's configuration for the example supergraph (`hive-gateway supergraph
// <file> -c examples/federation/gateway.config.ts`). Nothing here reaches the network beyond the
// two subgraphs: the supergraph is a local file, and no registry, CDN, usage reporting or
// telemetry is configured (each needs a token or endpoint the gateway is not given).
//
// A plain object rather than `defineConfig(...)` from '@graphql-hive/gateway': that package's
// types declare their own global fetch types, which would retype every `fetch` in this project's
// typecheck. The CLI validates the object when it loads it.

/** The flow gateway's subgraph name in the supergraph (src/stack.ts composes it so). */
const FLOWS = 'flows';

export const gatewayConfig = {
  // The flow gateway authorizes every read and write itself (docs/federation.md): the caller's
  // Authorization header is passed on to every subgraph fetch.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }: { request: Request }) => {
      const authorization = request.headers.get('authorization');
      return authorization ? { authorization } : {};
    },
  },
  transportEntries: {
    [FLOWS]: {
      options: {
        // The flow gateway serves subscriptions over graphql-ws on its /graphql path (it has no
        // SSE): its connection_init payload carries the credential, taken from the client's own
        // graphql-ws connection_init.
        subscriptions: {
          kind: 'ws',
          location: '/graphql',
          options: {
            connectionParams: { authorization: '{context.connectionParams.authorization}' },
          },
        },
      },
    },
  },
  // The example serves an API, not a playground.
  graphiql: false,
  landingPage: false,
};
