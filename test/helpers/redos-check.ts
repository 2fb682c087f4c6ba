import { checkSync } from 'recheck';
import type { Diagnostics } from 'recheck';

// recheck's pure-JavaScript backend, in this process and synchronous: no native agent, no JVM,
// no worker thread; the same verdict offline on every machine and Node version. Read per call.
process.env.RECHECK_SYNC_BACKEND = 'pure';

/**
 * Counted repeats up to `{1,128}` (the widest AWS id bound the gateway's regexes spell out) left
 * to the automaton checker, which proves linearity; recheck's default (30) sends them to fuzzing.
 * Every time limit off, so a verdict never depends on how busy the machine is: the automaton
 * checker (a proof) needs none, and the fuzzing checker, which recheck picks for regexes with
 * large counted repeats, is then bounded by its step counts (attackLimit, incubationLimit, ...)
 * and seeded (randomSeed 0): the same search, with the same outcome, on every run.
 */
const DETERMINISTIC = {
  maxRepeatCount: 130,
  timeout: null,
  attackTimeout: null,
  incubationTimeout: null,
  // Negative: no recall validation, which replays a found attack against a clock (the default).
  recallTimeout: -1,
  seedingTimeout: null,
  randomSeed: 0,
} as const;

const verdicts = new Map<string, Diagnostics>();

/** recheck's verdict on `/source/flags`, computed once per process (a check takes 0.1-3 s). */
export function redosVerdict(source: string, flags: string): Diagnostics {
  const key = `/${source}/${flags}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = checkSync(source, flags, DETERMINISTIC);
    verdicts.set(key, verdict);
  }
  return verdict;
}
