/**
 * Members written to per event-loop turn, across every cohort. One poll's result went to 19,000
 * sockets in one synchronous loop that held the loop for 1.5-4 s (BENCHMARKS.md, issue 16):
 * pings, polls, pongs and new connections waited behind it. The budget is shared, not per cohort:
 * a poll tick settles every watched operation in one turn, so twenty cohorts slicing on their own
 * would still write twenty slices in that turn.
 */
export const FANOUT_SLICE = 256;

/** One message (or the last messages) of one owner to its members, written a slice at a time. */
interface Task<M> {
  readonly owner: object;
  readonly members: readonly M[];
  readonly write: (member: M) => void;
  next: number;
  readonly done: () => void;
}

/**
 * Two queues of fan-outs, FANOUT_SLICE members per turn in all: events first, then owners' last
 * messages (`complete`, or a set-up failure's result). Each queue is FIFO, which keeps an owner's
 * events in order; an owner queues its last messages only once its last event is written (the
 * caller awaits `write`), so every socket still reads an owner's `complete` after its events.
 * Events go first because someone is waiting for them: when a poll tick finished several
 * operations at once, each cohort's 950 `complete`s were written between the next cohort's poll
 * and its `next`s, and the last cohort's subscribers heard up to twice as late (issue 16).
 * Messages of different owners need no order between them, even on one socket: each is its own
 * subscription id. A last message waits only while events are being written, which ends once
 * each tick's events are out.
 */
export class FanoutWriter<M> {
  private readonly events: Task<M>[] = [];
  private readonly finals: Task<M>[] = [];
  /** Both, in the order they are written. */
  private readonly queues = [this.events, this.finals];
  private scheduled = false;

  /** Resolves once `write` has run for every member (the caller's span ends then). */
  write(owner: object, members: readonly M[], write: (member: M) => void): Promise<void> {
    return this.enqueue(this.events, owner, members, write);
  }

  /** As `write`, for an owner's last messages: after every queued event, the owner's included. */
  writeLast(owner: object, members: readonly M[], write: (member: M) => void): Promise<void> {
    return this.enqueue(this.finals, owner, members, write);
  }

  private enqueue(
    queue: Task<M>[],
    owner: object,
    members: readonly M[],
    write: (member: M) => void,
  ): Promise<void> {
    if (members.length === 0) return Promise.resolve();
    return new Promise((done) => {
      queue.push({ owner, members, write, next: 0, done });
      this.schedule();
    });
  }

  /** Writes what is left of the owner's tasks now (shutdown: the rest is owed before `complete`). */
  flush(owner: object): void {
    for (const queue of this.queues) {
      for (const task of queue) {
        if (task.owner !== owner) continue;
        writeSome(task, Infinity);
        task.done();
      }
    }
    this.remove(owner);
  }

  /** Forgets the owner's tasks unwritten (nobody is left to write to). */
  drop(owner: object): void {
    for (const queue of this.queues) {
      for (const task of queue) if (task.owner === owner) task.done();
    }
    this.remove(owner);
  }

  private remove(owner: object): void {
    for (const queue of this.queues) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (queue[i]!.owner === owner) queue.splice(i, 1);
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.pump);
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    let budget = FANOUT_SLICE;
    for (const queue of this.queues) {
      while (budget > 0 && queue.length > 0) {
        const task = queue[0]!;
        budget -= writeSome(task, budget);
        if (task.next < task.members.length) break;
        queue.shift();
        task.done();
      }
    }
    if (this.queues.some((queue) => queue.length > 0)) this.schedule();
  };
}

function writeSome<M>(task: Task<M>, limit: number): number {
  const end = Math.min(task.members.length, task.next + limit);
  const from = task.next;
  task.next = end;
  for (let i = from; i < end; i++) {
    try {
      task.write(task.members[i]!);
    } catch {
      // One member's socket failing must not cost the others their message, nor (in a
      // setImmediate callback) the process.
    }
  }
  return end - from;
}
