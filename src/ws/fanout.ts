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
 * A queue of fan-outs written FIFO, FANOUT_SLICE members per turn in all. FIFO keeps each socket's
 * order: an owner's later task (its next event, its `complete`) is written after its earlier ones.
 */
export class FanoutWriter<M> {
  private readonly tasks: Task<M>[] = [];
  private scheduled = false;

  /** Resolves once `write` has run for every member (the caller's span ends then). */
  write(owner: object, members: readonly M[], write: (member: M) => void): Promise<void> {
    if (members.length === 0) return Promise.resolve();
    return new Promise((done) => {
      this.tasks.push({ owner, members, write, next: 0, done });
      this.schedule();
    });
  }

  /** Writes what is left of the owner's tasks now (shutdown: the rest is owed before `complete`). */
  flush(owner: object): void {
    for (const task of this.tasks) {
      if (task.owner !== owner) continue;
      writeSome(task, Infinity);
      task.done();
    }
    this.remove(owner);
  }

  /** Forgets the owner's tasks unwritten (nobody is left to write to). */
  drop(owner: object): void {
    for (const task of this.tasks) if (task.owner === owner) task.done();
    this.remove(owner);
  }

  private remove(owner: object): void {
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      if (this.tasks[i]!.owner === owner) this.tasks.splice(i, 1);
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
    while (budget > 0 && this.tasks.length > 0) {
      const task = this.tasks[0]!;
      budget -= writeSome(task, budget);
      if (task.next < task.members.length) break;
      this.tasks.shift();
      task.done();
    }
    if (this.tasks.length > 0) this.schedule();
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
