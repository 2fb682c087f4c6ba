import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface HttpDrain {
  /**
   * Stops listening (new connections are refused) and closes idle keep-alive connections; each
   * request in flight runs to its response, on a connection that closes after it. Resolves once
   * the server holds no connection at all, websockets included.
   */
  drain(): Promise<void>;
  /** The deadline: drops every HTTP connection left, answered or not. */
  abort(): void;
}

/**
 * Graceful HTTP shutdown. Node's `server.close()` alone keeps a connection whose request was in
 * flight alive after the response (until keepAliveTimeout), and a client may reuse it meanwhile;
 * here such a response says `Connection: close`, and connections that go idle are closed.
 */
export function trackHttpDrain(server: Server): HttpDrain {
  const active = new Set<ServerResponse>();
  let draining = false;
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  // First among the listeners: the app may answer at once, after which headers are sent.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) lastOnItsConnection(res);
    active.add(res);
    res.once('close', () => {
      active.delete(res);
      // A response whose headers left before the drain kept its connection: close it once idle.
      if (draining) server.closeIdleConnections();
    });
  });
  return {
    drain() {
      draining = true;
      for (const res of active) lastOnItsConnection(res);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    abort() {
      server.closeAllConnections();
    },
  };
}
