import { readFileSync } from 'node:fs';

/** The process's open-file limits (`ulimit -n` is the soft one); Infinity for "unlimited". */
export interface FdLimit {
  soft: number;
  hard: number;
}

const value = (text: string): number | undefined =>
  text === 'unlimited' ? Infinity : /^\d+$/.test(text) ? Number(text) : undefined;

/** The "Max open files" row of Linux's /proc/<pid>/limits; undefined if absent or unreadable. */
export function parseFdLimit(limits: string): FdLimit | undefined {
  for (const line of limits.split('\n')) {
    if (!line.startsWith('Max open files')) continue;
    const [soft, hard] = line.slice('Max open files'.length).trim().split(/\s+/);
    const s = value(soft ?? '');
    const h = value(hard ?? '');
    return s === undefined || h === undefined ? undefined : { soft: s, hard: h };
  }
  return undefined;
}

/**
 * The process's fd limit, read once at start: Node has no getrlimit, and on Linux the kernel
 * publishes it here. Elsewhere (macOS, Windows) undefined: the caller falls back to a default.
 */
export function readFdLimit(path = '/proc/self/limits'): FdLimit | undefined {
  try {
    return parseFdLimit(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
