/**
 * Records every regex match that runs while a function does, with the length of the text it met.
 *
 * Every regex entry point of the language (RegExp#exec and #test, String#match, #matchAll,
 * #replace, #replaceAll, #search and #split with a RegExp) reaches the match through the spec's
 * RegExpExec, which calls `this.exec` as it is found on the regex: once `RegExp.prototype.exec` is
 * replaced, V8 leaves its fast paths and calls the replacement for each of them. Wrapping that one
 * method therefore sees them all (test/limits/redos-harness.test.ts proves it for each route).
 */

/** One regex that ran: its source and flags, the longest text it met, how often it ran. */
export interface RegexUse {
  source: string;
  flags: string;
  longestInput: number;
  calls: number;
  /**
   * Characters its runs were given to read, from where each started: with every regex proven
   * linear, a bound on its work. A global run (String#replace and #matchAll step it from match to
   * match) reads from where it starts to the end of what it found, or to the end if nothing, as
   * an indexOf does: charging each step the whole rest would make a linear replace of n matches
   * look quadratic. A sticky run (String#split steps one through the text, position by position)
   * counts 1: its reach is the regex's linearity, which is checked on its own.
   */
  chars: number;
}

/** The characters one run reads, as `RegexUse.chars` explains. */
function charge(
  regex: RegExp,
  length: number,
  from: number,
  found: RegExpExecArray | null,
): number {
  if (regex.sticky) return 1;
  if (!regex.global || found === null) return length - from;
  return found.index + found[0].length - from;
}

/** What `probeRegexes` saw: the regexes that ran, by `/source/flags`. */
export type RegexUses = Map<string, RegexUse>;

/**
 * Runs `fn`, throws swallowed (refusing is an outcome too), and returns the regexes it ran.
 * `vet` sees each use before the match runs and may throw to stop it, so that a catastrophic
 * regex is reported instead of run on hostile text for hours; that throw is rethrown at the end.
 */
export function probeRegexes(
  fn: () => unknown,
  vet: (use: RegexUse) => void = () => {},
): RegexUses {
  const uses: RegexUses = new Map();
  let refusal: { error: unknown } | undefined;
  const original = Object.getOwnPropertyDescriptor(RegExp.prototype, 'exec')!;
  const exec = original.value as (this: RegExp, text: string) => RegExpExecArray | null;
  let vetting = false;
  function recording(this: RegExp, text: string): RegExpExecArray | null {
    // The vetting itself (recheck) runs regexes too: those are not `fn`'s.
    if (vetting) return exec.call(this, text);
    // The sticky flag is how String#split drives its splitter, not part of the caller's regex.
    const flags = this.flags.replace('y', '');
    const key = `/${this.source}/${flags}`;
    const length = String(text).length;
    const use = uses.get(key) ?? {
      source: this.source,
      flags,
      longestInput: 0,
      calls: 0,
      chars: 0,
    };
    use.longestInput = Math.max(use.longestInput, length);
    use.calls++;
    uses.set(key, use);
    try {
      vetting = true;
      vet(use);
    } catch (error) {
      refusal ??= { error };
      throw error;
    } finally {
      vetting = false;
    }
    const from = this.global ? this.lastIndex : 0;
    const found = exec.call(this, text);
    use.chars += charge(this, length, from, found);
    return found;
  }
  Object.defineProperty(RegExp.prototype, 'exec', { ...original, value: recording });
  try {
    fn();
  } catch {
    // Refusing the input is fine here; callers check what was refused, and how, themselves.
  } finally {
    Object.defineProperty(RegExp.prototype, 'exec', original);
  }
  if (refusal) throw refusal.error;
  return uses;
}
