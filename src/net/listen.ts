import type { Server } from 'node:net';

/** Where a server listens, and the settings that chose it (named in the error a user sees). */
export interface ListenTarget {
  port: number;
  host: string;
  portSetting: string;
  hostSetting: string;
  /**
   * listen(2)'s queue of connections not yet accepted. Node's default, 511, overflowed when a
   * dead replica's 2,500 clients reconnected at once (issue 16); Linux clips it to somaxconn.
   */
  backlog?: number;
}

/**
 * A listen that failed for a reason the user fixes with a setting: a busy port, a privileged
 * port, an address this machine does not have. Its message is one line naming that setting,
 * printed as is by the entry points instead of a stack trace.
 */
export class ListenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

function explain(error: NodeJS.ErrnoException, target: ListenTarget): string | undefined {
  const { port, host, portSetting, hostSetting } = target;
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use: stop what holds it, or set ${portSetting} to a free port (${portSetting}=0 picks one)`;
    case 'EACCES':
      return `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): set ${portSetting} to a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: set ${hostSetting} to one it has (127.0.0.1 for this machine only, 0.0.0.0 for every interface)`;
    default:
      return undefined;
  }
}

/** `server.listen`, resolved once listening; a setting's mistake rejects with a ListenError. */
export function listen(server: Server, target: ListenTarget): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const message = explain(error, target);
      reject(message === undefined ? error : new ListenError(message, { cause: error }));
    };
    server.once('error', failed);
    const options = { port: target.port, host: target.host };
    server.listen(target.backlog ? { ...options, backlog: target.backlog } : options, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
