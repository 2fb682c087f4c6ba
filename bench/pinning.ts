/**
 * `--pin` for the benchmarks: the gateway on one CPU, the load (autocannon, websocket clients,
 * the simulator) on the other, so that on a 2-CPU machine the load generator's own work (parsing
 * 24 KB answers, thousands of websocket frames) does not take the gateway's CPU and the figures
 * tell the gateway's cost. Linux `taskset`; a thread inherits the CPU set of the thread that
 * starts it, so pinning a process at its start pins the workers it starts later.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The gateway's CPU and the load's, when pinning. */
export const GATEWAY_CPU = 0;
export const LOAD_CPU = 1;

/** Whether `--pin` was asked for, refused where there is no second CPU to pin the load to. */
export function pinningRequested(requested: boolean): boolean {
  if (!requested) return false;
  if (availableParallelism() < 2) throw new Error('--pin needs at least 2 CPUs');
  return true;
}

/** Every CPU of the machine, as taskset writes a list: to undo a pin for what runs next. */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

function taskset(args: string[]): void {
  const run = spawnSync('taskset', args, { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`taskset ${args.join(' ')}: ${run.stderr || run.error?.message}`);
}

/** Pins every thread of a running process (`taskset -a -p`), e.g. this one or redis-server. */
export function pinProcess(pid: number, cpu: number | string): void {
  taskset(['-a', '-p', '-c', String(cpu), String(pid)]);
}

/** The ids of this process's threads (Linux), to tell which ones a new worker thread added. */
export function threadIds(): Set<string> {
  return new Set(readdirSync('/proc/self/task'));
}

/** Pins the threads this process started since `before` (e.g. a simulator's worker thread). */
export function pinNewThreads(before: Set<string>, cpu: number): void {
  for (const tid of threadIds()) if (!before.has(tid)) taskset(['-p', '-c', String(cpu), tid]);
}

/** The command and arguments that start `command` pinned to `cpu`, or as is when `cpu` is unset. */
export function pinnedCommand(
  cpu: number | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]];
}
