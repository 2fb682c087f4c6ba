import type { Logger } from '../logger.js';
import { within } from '../lifecycle/within.js';

export interface ShutdownReport {
  /** Everything in flight finished before SHUTDOWN_TIMEOUT_MS. */
  drained: boolean;
  /** Mutations still running at the deadline, audited with outcome `unknown`. */
  abandoned: number;
}

/** Something that stops, once, in order; `run` may return nothing. */
type Step = readonly [name: string, run: () => unknown];

export interface ShutdownPlan {
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Work in flight, finished and delivered (HTTP, websockets, mutations): waited for up to the deadline. */
  drain: () => Promise<unknown>;
  /** At the deadline: audits what still runs as abandoned, returns how many. */
  abandon: () => number;
  /** Everything else, stopped in this order once the drain is over or cut. */
  steps: Step[];
}

/**
 * The gateway's close(): a start sent to AWS must reach its caller, so work in flight finishes
 * and is delivered, on HTTP and websockets alike, while nothing new is accepted. Work, not
 * connections: a mutation whose caller left still runs and is audited, and a client that sends
 * nothing more (a silent socket, a trickled body) is not waited for; the later steps cut it.
 * Called twice, it returns the first call's promise.
 */
export function orderedShutdown(plan: ShutdownPlan): () => Promise<ShutdownReport> {
  const { logger, shutdownTimeoutMs } = plan;
  const step = async (name: string, run: () => unknown): Promise<unknown> => {
    const started = Date.now();
    const result = await run();
    logger.debug({ step: name, ms: Date.now() - started }, 'shutdown step done');
    return result;
  };
  let closing: Promise<ShutdownReport> | undefined;
  return () =>
    (closing ??= (async () => {
      const drained = (await step('drain', () =>
        within(shutdownTimeoutMs, plan.drain()),
      )) as boolean;
      let abandoned = 0;
      if (!drained) {
        // What still runs may have run at AWS: the audit trail says so before anything is cut.
        abandoned = plan.abandon();
        logger.warn(
          { abandoned, shutdownTimeoutMs },
          'Shutdown deadline reached; closing what is still open',
        );
      }
      for (const [name, run] of plan.steps) await step(name, run);
      return { drained, abandoned };
    })());
}
