/**
 * Counts the characters the string primitives are asked to read while a function runs: a
 * deterministic measure of work, where a parser that rescans its input per token (indexOf in a
 * loop, a recursive glob) counts quadratically more on twice the input, on any machine.
 *
 * Each primitive is charged what one call reads: an indexOf from `from` up to what it found (the
 * rest of the string if nothing), includes the rest, a prefix or suffix test the length tested, a
 * copy the characters copied, a split or case change the whole string, one character for an index. Regexes are not counted here; regex-probe.ts
 * records them and the tests prove each one linear.
 */
type Charge = (text: string, args: unknown[], result: unknown) => number;

const whole: Charge = (text) => text.length;
const start = (from: unknown): number => Math.max(0, Number(from ?? 0) || 0);
/** A search reads from where it starts to the end of what it found, or to the end of the text. */
const searched: Charge = (text, [search, from], found) =>
  (found as number) === -1
    ? text.length - start(from)
    : (found as number) - start(from) + String(search).length;
const rest: Charge = (text, [, from]) => text.length - start(from);
const copied: Charge = (_text, _args, result) => (result as string).length;
const tested: Charge = (_text, [search]) => String(search).length;
const one: Charge = () => 1;

const CHARGES: Record<string, Charge> = {
  indexOf: searched,
  includes: rest,
  lastIndexOf: whole,
  startsWith: tested,
  endsWith: tested,
  slice: copied,
  substring: copied,
  split: whole,
  trim: whole,
  trimStart: whole,
  trimEnd: whole,
  toLowerCase: whole,
  toUpperCase: whole,
  charCodeAt: one,
  codePointAt: one,
  at: one,
};

let paused = false;

/** Runs `fn` uncounted: the harness's own work (recheck judging a regex) is not the caller's. */
export function uncounted<T>(fn: () => T): T {
  const was = paused;
  paused = true;
  try {
    return fn();
  } finally {
    paused = was;
  }
}

/** Runs `fn`, throws swallowed, and returns the characters string primitives read meanwhile. */
export function countStringWork(fn: () => unknown): number {
  let work = 0;
  const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = Object.keys(CHARGES).map((name) => [name, proto[name]!] as const);
  for (const [name, original] of originals) {
    const charge = CHARGES[name]!;
    proto[name] = function (this: string, ...args: unknown[]) {
      const result = original.apply(this, args);
      if (!paused) work += charge(String(this), args, result);
      return result;
    };
  }
  try {
    fn();
  } catch {
    // Refusing is an outcome too; only the work done on the way counts here.
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
  return work;
}
