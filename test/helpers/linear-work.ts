import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redosVerdict } from './redos-check.js';
import { probeRegexes } from './regex-probe.js';
import type { RegexUse, RegexUses } from './regex-probe.js';
import { countStringWork, uncounted } from './work-count.js';

/**
 * The check behind test/limits/redos.test.ts, with no clock: a function is linear on hostile
 * input when (1) every regex it runs is proven linear by recheck, and (2) its work, counted in
 * characters read, grows linearly as the input doubles. A backtracking regex fails (1) whatever
 * the machine; a parser that rescans its input per token fails (2).
 */

/** Hostile text: `head`, then `unit` repeated to the size asked for, then `tail`. */
export interface Hostile {
  head: string;
  unit: string;
  tail: string;
}

/**
 * Hostile text for a grammar: `head`, then a short run of the separators it cares about repeated
 * to a size (where a backtracking regex or a rescanning parser blows up), then a character that
 * spoils a match.
 */
export function adversarial(
  heads: string[],
  units: string[],
  tails = ['', 'x', '!', '/', ':', ' ', '.', '9'],
): fc.Arbitrary<Hostile> {
  return fc.record({
    head: fc.constantFrom(...heads),
    unit: fc
      .array(fc.constantFrom(...units), { minLength: 1, maxLength: 6 })
      .map((a) => a.join('')),
    tail: fc.constantFrom(...tails),
  });
}

export function grow({ head, unit, tail }: Hostile, size: number): string {
  return head + unit.repeat(Math.ceil(size / unit.length)) + tail;
}

/** Slack for rounding: `unit` repeats to a whole number, so sizes double only nearly. */
const CONSTANT_WORK = 4096;
/**
 * recheck proves a regex linear with its automaton checker; one with large counted repeats
 * (`\d{12}`, `{1,128}`) it can only fuzz, which finds no attack without proving there is none. Such
 * a regex must meet only text the code bounded first, so even a missed attack stays small.
 */
const FUZZED_REGEX_INPUT_BOUND = 1024;

export interface Measure {
  regexes: RegexUses;
  work: number;
}

/** The work `fn` does; with `what`, each regex is vetted (assertSafeRegex) before it runs. */
export function measure(fn: () => unknown, what?: string): Measure {
  let regexes: RegexUses = new Map();
  let refusal: { error: unknown } | undefined;
  const vet =
    what === undefined ? undefined : (use: RegexUse) => uncounted(() => assertSafeRegex(what, use));
  const stringWork = countStringWork(() => {
    try {
      regexes = probeRegexes(fn, vet);
    } catch (error) {
      refusal = { error };
    }
  });
  if (refusal) throw refusal.error;
  let regexWork = 0;
  for (const use of regexes.values()) regexWork += use.chars;
  return { regexes, work: stringWork + regexWork };
}

/** Fails unless recheck calls the regex safe, and its input was bounded if that was fuzzed. */
function assertSafeRegex(what: string, use: RegexUse): void {
  const verdict = redosVerdict(use.source, use.flags);
  const regex = `/${use.source}/${use.flags}`;
  assert.equal(
    verdict.status,
    'safe',
    `${what} ran ${regex}, which recheck calls ${verdict.status}` +
      ('attack' in verdict ? ` (attack: ${verdict.attack.pattern})` : ''),
  );
  if (verdict.checker === 'fuzz') {
    assert.ok(
      use.longestInput <= FUZZED_REGEX_INPUT_BOUND,
      `${what} ran ${regex}, only fuzzed by recheck, on ${use.longestInput} characters unbounded`,
    );
  }
}

/**
 * Runs `run` on `hostile` at half `size`, `size` and twice it; fails on an unsafe regex (before
 * it runs), or when
 * the work grew superlinearly. Linear work a·n + b passes one of two tests: it at most doubles
 * when the input does (b ≥ 0, and work that stops at a bound the code enforces), or the work
 * added by the second doubling is at most twice that of the first (b cancels: a 200-star pattern
 * searched from ever later offsets, b < 0). Quadratic work fails both: four times, four times.
 */
export function assertLinear(
  what: string,
  hostile: Hostile,
  size: number,
  run: (text: string) => unknown,
): void {
  const [half, once, twice] = [size / 2, size, 2 * size].map((n) =>
    measure(() => run(grow(hostile, n)), what),
  );
  const first = once!.work - half!.work;
  const second = twice!.work - once!.work;
  assert.ok(
    twice!.work <= 2 * once!.work + CONSTANT_WORK || second <= 2 * first + CONSTANT_WORK,
    `${what} read ${half!.work}, ${once!.work} and ${twice!.work} characters on ${size / 2}, ` +
      `${size} and ${2 * size}: superlinear on ${JSON.stringify(hostile).slice(0, 200)}`,
  );
}
