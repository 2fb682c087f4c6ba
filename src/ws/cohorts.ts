import { createSourceEventStream, execute } from 'graphql';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError } from 'graphql';
import { UpstreamError, asGraphQLError } from '../errors.js';
import { lateJoinerReplay } from '../subscriptions/topics.js';
import type { TopicKind } from '../subscriptions/topics.js';
import {
  completeMessage,
  errorMessage,
  errorsJson,
  nextMessage,
  nextMessages,
  resultJson,
} from './messages.js';
import { FanoutWriter } from './fanout.js';
import { inPushSpan, rememberSubscribeSpan } from '../telemetry/subscription-spans.js';

/** The refusal of anything new over a websocket once shutdown has begun (UPSTREAM_ERROR). */
export const SHUTTING_DOWN = 'The gateway is shutting down; reconnect and retry';

/** Where a cohort delivers: one client subscription on one connection. */
export interface CohortMember {
  /** The subscription id the client chose, unique on its connection. */
  readonly id: string;
  /** Writes one protocol message (a JSON text) to the member's socket. */
  send(message: string): void;
  /** The cohort has sent the member its last message (complete or error). */
  finished(): void;
  /** Set by the registry while the member belongs to a cohort. */
  cohort: Cohort | undefined;
}

/** What a cohort is run with; built once, for its first member. */
export interface CohortPlan {
  /** Identical subscriptions share this key (see `cohortKey`). */
  readonly key: string;
  /**
   * The kind of the topic the subscription reads (src/subscriptions/topics.ts): for `state`, a
   * late joiner is owed the newest event at once, as a fresh execution would send it.
   */
  readonly kind: TopicKind;
  execution(): ExecutionArgs;
}

export interface Cohort {
  readonly key: string;
  readonly members: Set<CohortMember>;
  readonly kind: TopicKind;
  /** The newest `next` payload as JSON, for late joiners of a state subscription. */
  latest: string | undefined;
  /**
   * The event behind `latest` when its execution had errors (say, a nested field throttled):
   * a late joiner gets a fresh execution of it rather than a copy of the error.
   */
  retryEvent: unknown;
  /** What each event is executed with (its root value aside). */
  readonly args: ExecutionArgs;
  /** Set once the resolver's source stream exists. */
  stream: AsyncIterator<unknown> | undefined;
  ended: boolean;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

type SourceOrFailure = AsyncIterable<unknown> | ExecutionResult;

async function start(args: ExecutionArgs): Promise<SourceOrFailure> {
  try {
    return await createSourceEventStream(args);
  } catch (error) {
    return { errors: [asGraphQLError(error)] };
  }
}

/**
 * Cohort execution: every client subscription with the same document, variables and caller runs
 * as one graphql-js subscription, and each result is formatted and serialized once, then written
 * to every member with its own id. Ten thousand bots on one operation cost one execution, one
 * poller consumer and one JSON encoding per event; a member costs a map entry and a small object.
 *
 * A member that joins a running cohort gets what a separate execution would have sent it first:
 * the newest state for a state subscription, nothing for a change stream.
 */
export class CohortRegistry {
  private readonly cohorts = new Map<string, Cohort>();
  /** Every cohort's writes go through it: a bounded number per event-loop turn, in order. */
  private readonly writer = new FanoutWriter<CohortMember>();
  private closed = false;

  constructor(private readonly format: (error: GraphQLFormattedError) => GraphQLFormattedError) {}

  /** Executions running for all members (the gauge of shared work). */
  get size(): number {
    return this.cohorts.size;
  }

  /** Whether a member with this key would join a running execution rather than start one. */
  has(key: string): boolean {
    return this.cohorts.has(key);
  }

  join(member: CohortMember, plan: CohortPlan): void {
    rememberSubscribeSpan(member);
    if (this.closed) {
      const errors = errorsJson([new UpstreamError(SHUTTING_DOWN)], this.format);
      member.send(errorMessage(member.id, errors));
      member.finished();
      return;
    }
    let cohort = this.cohorts.get(plan.key);
    if (!cohort) {
      const args = plan.execution();
      cohort = {
        key: plan.key,
        args,
        members: new Set(),
        kind: plan.kind,
        latest: undefined,
        retryEvent: undefined,
        stream: undefined,
        ended: false,
      };
      this.cohorts.set(plan.key, cohort);
      cohort.members.add(member);
      member.cohort = cohort;
      // Started here, so that the running cohort holds the execution's state and not the plan.
      void this.run(cohort, start(args));
      return;
    }
    cohort.members.add(member);
    member.cohort = cohort;
    for (const latest of lateJoinerReplay(cohort.kind, cohort.latest)) {
      if (cohort.retryEvent === undefined) member.send(nextMessage(member.id, latest));
      else void this.reexecute(cohort, member, cohort.retryEvent);
    }
  }

  /** The client completed the subscription or its socket closed: no message is sent. */
  leave(member: CohortMember): void {
    const cohort = member.cohort;
    if (!cohort) return;
    member.cohort = undefined;
    cohort.members.delete(member);
    if (cohort.members.size === 0) void this.cancel(cohort);
  }

  /**
   * Shutdown: every execution ends and each member is sent `complete`, as when its stream ends;
   * the client resubscribes (elsewhere) once its socket closes with 1001. Nothing starts after.
   */
  async drain(): Promise<void> {
    this.closed = true;
    const all = [...this.cohorts.values()];
    for (const cohort of all) {
      this.retire(cohort);
      this.finish(cohort, (id) => [completeMessage(id)]);
      // Shutdown writes at once what is queued: an event under way, then `complete`.
      this.writer.flush(cohort);
    }
    await Promise.allSettled(all.map((cohort) => this.cancel(cohort)));
  }

  /** Ends every execution (the shutdown deadline); members hear nothing, their sockets are closing. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.cohorts.values()];
    for (const cohort of all) {
      for (const member of cohort.members) member.cohort = undefined;
      cohort.members.clear();
      this.writer.drop(cohort);
    }
    await Promise.allSettled(all.map((cohort) => this.cancel(cohort)));
  }

  private async cancel(cohort: Cohort): Promise<void> {
    this.retire(cohort);
    // Before the stream exists, run() sees `ended` and returns it as soon as it arrives.
    try {
      await cohort.stream?.return?.();
    } catch {
      // The stream is being dropped; its failure to close has nobody left to tell.
    }
  }

  /** A late joiner's first event, executed for it alone (the shared one had errors). */
  private async reexecute(cohort: Cohort, member: CohortMember, event: unknown): Promise<void> {
    let result: ExecutionResult;
    try {
      result = await execute({ ...cohort.args, rootValue: event });
    } catch (error) {
      result = { errors: [asGraphQLError(error)] };
    }
    // A newer event has reached the member meanwhile, or it has left: this one is stale.
    if (member.cohort !== cohort || cohort.retryEvent !== event) return;
    member.send(nextMessage(member.id, resultJson(result, this.format)));
  }

  /** No new member joins it from now on; members already in it get its last messages. */
  private retire(cohort: Cohort): void {
    cohort.ended = true;
    if (this.cohorts.get(cohort.key) === cohort) this.cohorts.delete(cohort.key);
  }

  /**
   * What graphql-js's `subscribe` does (the source stream, then an execution per event), as one
   * loop per cohort: its mapping iterator would add a chain of closures and promises per execution.
   * One suspended frame per execution, with no wrapper: idle executions are what the gateway
   * holds most of.
   */
  private async run(cohort: Cohort, started: Promise<SourceOrFailure>): Promise<void> {
    try {
      const outcome = await started;
      if (!isAsyncIterable(outcome)) {
        // Set-up failed (NOT_FOUND, FORBIDDEN, bad variables): graphql-ws sends it as a result.
        this.retire(cohort);
        const payload = resultJson(outcome, this.format);
        this.finish(cohort, (id) => [nextMessage(id, payload), completeMessage(id)]);
        return;
      }
      const stream = outcome[Symbol.asyncIterator]();
      cohort.stream = stream;
      if (cohort.ended) {
        await this.cancel(cohort);
        return;
      }
      for (;;) {
        const step = await stream.next();
        if (step.done || cohort.ended) break;
        // A change stream's event is for those who were there when it happened; a state is for
        // everyone, joiners included (they were replayed the previous state and are owed this one).
        // Both take the members present once the event is executed: a state's joiner during the
        // execution was replayed the previous state, and one during the fan-out gets this one
        // as its replay (`latest` is set first), so it is not in the audience twice.
        const state = cohort.kind === 'state';
        const audience = state ? cohort.members : new Set(cohort.members);
        // The span ends once the last slice is written: one push span per event.
        const pushed = await inPushSpan(audience, async () => {
          const result = await execute({ ...cohort.args, rootValue: step.value });
          if (cohort.ended) return false;
          const payload = resultJson(result, this.format);
          if (state) {
            cohort.latest = payload;
            cohort.retryEvent = result.errors?.length ? step.value : undefined;
          }
          await this.fanOut(cohort, nextMessages(payload), [...audience]);
          return true;
        });
        if (!pushed) break;
      }
      this.retire(cohort);
      this.finish(cohort, (id) => [completeMessage(id)]);
    } catch (error) {
      // Members must never be left waiting: whatever failed, they are told and released.
      this.retire(cohort);
      let payload: string;
      try {
        payload = errorsJson([asGraphQLError(error)], this.format);
      } catch {
        payload = JSON.stringify([
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ]);
      }
      this.finish(cohort, (id) => [errorMessage(id, payload)]);
    }
  }

  /**
   * Writes one event to its audience, a slice per event-loop turn. A member that left meanwhile
   * (its `cohort` no longer this one) is skipped; the cohort's next event waits for the last
   * slice, so each socket still gets the events in order.
   */
  private fanOut(
    cohort: Cohort,
    message: (id: string) => string,
    audience: readonly CohortMember[],
  ): Promise<void> {
    return this.writer.write(cohort, audience, (member) => {
      if (member.cohort === cohort) member.send(message(member.id));
    });
  }

  /**
   * The cohort's last messages, queued after its events and after other cohorts' pending events
   * (FanoutWriter.writeLast). A member keeps its `cohort` until its turn: one that leaves
   * meanwhile (it completed itself, or its socket closed) is skipped.
   */
  private finish(cohort: Cohort, messages: (id: string) => string[]): void {
    const members = [...cohort.members];
    cohort.members.clear();
    void this.writer.writeLast(cohort, members, (member) => {
      if (member.cohort !== cohort) return;
      member.cohort = undefined;
      for (const message of messages(member.id)) member.send(message);
      member.finished();
    });
  }
}
