import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface HttpDrain {
  /**
   * Stops listening (new connections are refused) and closes idle keep-alive connections; each
   * request in flight runs to its response, on a connection that closes after it. Resolves once
   * no request whose body has arrived is still being answered: a client still sending its body
   * (or sending nothing) holds no work, and must not hold shutdown to its deadline.
   */
  drain(): Promise<void>;
  /** Drops every HTTP connection left: idle ones, unfinished bodies, or, at the deadline, any. */
  abort(): void;
}

/**
 * Graceful HTTP shutdown. Node's `server.close()` alone keeps a connection whose request was in
 * flight alive after the response (until keepAliveTimeout), and a client may reuse it meanwhile;
 * here such a response says `Connection: close`, and connections that go idle are closed. It also
 * waits for every connection, so a client trickling a body without a credential held shutdown
 * for HTTP_REQUEST_TIMEOUT_MS (longer than SHUTDOWN_TIMEOUT_MS): drain() waits for requests that
 * are being answered only, and abort() cuts the rest.
 */
export function trackHttpDrain(server: Server): HttpDrain {
  // Requests not yet answered, each with its response.
  const active = new Map<ServerResponse, IncomingMessage>();
  let draining = false;
  let drained: (() => void) | undefined;
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  // A request is work once its body has arrived whole (a GET's at once): only then does the app
  // act on it. One still arriving has done nothing yet.
  const settleIfIdle = () => {
    if (!drained) return;
    for (const req of active.values()) if (req.complete) return;
    drained();
    drained = undefined;
  };
  // First among the listeners: the app may answer at once, after which headers are sent.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (draining) lastOnItsConnection(res);
    active.set(res, req);
    res.once('close', () => {
      active.delete(res);
      // A response whose headers left before the drain kept its connection: close it once idle.
      if (draining) server.closeIdleConnections();
      settleIfIdle();
    });
  });
  return {
    drain() {
      draining = true;
      for (const res of active.keys()) lastOnItsConnection(res);
      // Not awaited: it waits for every connection, also those that hold no work.
      server.close();
      return new Promise<void>((resolve) => {
        drained = resolve;
        settleIfIdle();
      });
    },
    abort() {
      server.closeAllConnections();
    },
  };
}
