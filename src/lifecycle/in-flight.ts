import type { Logger } from '../logger.js';
import { currentRequestId, requestContext } from '../observability/request-context.js';

interface Running {
  readonly audit: Logger;
  readonly action: string;
  readonly entry: Readonly<Record<string, unknown>>;
  readonly requestId: string | undefined;
}

/**
 * The mutations running now. A start whose answer from AWS has not arrived may have run there:
 * when shutdown cannot wait for it any longer, the audit trail must say so rather than be silent.
 */
export class InFlightMutations {
  private readonly running = new Set<Running>();
  // Who waits for the last mutation to end (shutdown).
  private idlers: (() => void)[] = [];

  /**
   * Registers a mutation with its audit entry, until the returned function is called (once it has
   * its own audit line, or failed).
   */
  begin(audit: Logger, action: string, entry: Readonly<Record<string, unknown>>): () => void {
    const running: Running = { audit, action, entry, requestId: currentRequestId() };
    this.running.add(running);
    return () => {
      this.running.delete(running);
      if (this.running.size === 0) this.wake();
    };
  }

  /**
   * Resolves once no mutation runs. Shutdown waits for this, not only for connections: a start
   * whose caller disconnected runs on with no socket left to wait for, and must be audited.
   */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idlers.push(resolve));
  }

  private wake(): void {
    const idlers = this.idlers;
    this.idlers = [];
    for (const resolve of idlers) resolve();
  }

  /**
   * The shutdown deadline: one audit line with outcome `unknown` for each mutation still running,
   * under its own request id. Returns how many there were. Should AWS still answer before the
   * process exits, the mutation's own line follows: it has the id the unknown line could not.
   */
  abandon(reason: string): number {
    const all = [...this.running];
    this.running.clear();
    this.wake();
    for (const { audit, action, entry, requestId } of all) {
      const write = () =>
        audit.warn({ ...entry, outcome: 'unknown', reason }, `${action} outcome unknown`);
      if (requestId === undefined) write();
      else requestContext.run({ requestId }, write);
    }
    return all.length;
  }
}
