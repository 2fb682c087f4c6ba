import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertLinear, measure } from '../helpers/linear-work.js';
import { probeRegexes } from '../helpers/regex-probe.js';

/**
 * The check test/limits/redos.test.ts relies on, shown failing where it must, so that file cannot
 * pass because the harness saw nothing. recheck judges a regex itself, before any run of it, so
 * the catastrophic ones below are reported, not run on the 100 KB they are given.
 */
const CATASTROPHIC = /^(a+)+$/;
const few = { head: '', unit: 'a', tail: '' };

describe('redos harness: it catches what the redos tests look for', () => {
  it('sees a regex through every entry point that reaches one', () => {
    const routes: Record<string, (text: string) => unknown> = {
      'RegExp#exec': (t) => CATASTROPHIC.exec(t),
      'RegExp#test': (t) => CATASTROPHIC.test(t),
      'String#match': (t) => t.match(CATASTROPHIC),
      'String#matchAll': (t) => [...t.matchAll(new RegExp(CATASTROPHIC, 'g'))],
      'String#replace': (t) => t.replace(CATASTROPHIC, ''),
      'String#replaceAll': (t) => t.replaceAll(new RegExp(CATASTROPHIC, 'g'), ''),
      'String#search': (t) => t.search(CATASTROPHIC),
      'String#split': (t) => t.split(CATASTROPHIC),
    };
    for (const [route, run] of Object.entries(routes)) {
      const seen = [...probeRegexes(() => run('aaaa')).values()];
      assert.deepEqual(
        seen.map(({ source, longestInput }) => ({ source, longestInput })),
        [{ source: CATASTROPHIC.source, longestInput: 4 }],
        route,
      );
    }
  });

  it('reports a catastrophic regex before it runs on the hostile text', () => {
    // `a` repeated then `!`: run, this would backtrack for longer than the universe has existed.
    const spoiled = { head: '', unit: 'a', tail: '!' };
    assert.throws(
      () => assertLinear('a nested quantifier', spoiled, 100_000, (t) => CATASTROPHIC.test(t)),
      /ran \/\^\(a\+\)\+\$\/, which recheck calls vulnerable \(attack: /,
    );
    // The same shape inside a parser a caller reaches: a comma list checked by one regex.
    const list = /^(?:\w+,?)*$/;
    assert.throws(
      () =>
        assertLinear('a list check', { head: '', unit: 'ab,', tail: '!' }, 100_000, (t) =>
          list.test(t),
        ),
      /which recheck calls vulnerable/,
    );
  });

  it('refuses a regex recheck could only fuzz when it meets text nobody bounded', () => {
    const wide = /^[a-z]{1,200}$/;
    assert.throws(
      () => assertLinear('a wide counted repeat', few, 2048, (text) => wide.test(text)),
      /only fuzzed by recheck, on \d+ characters unbounded/,
    );
    assert.doesNotThrow(() =>
      assertLinear('the same, bounded first', few, 2048, (t) => t.length <= 200 && wide.test(t)),
    );
  });

  it('reports a parser that rescans its input per character, and passes linear ones', () => {
    const quadratic = (text: string) => {
      let commas = 0;
      for (let i = 0; i < text.length; i++) if (text.slice(i).startsWith(',')) commas++;
      return commas;
    };
    assert.throws(
      () =>
        assertLinear('a rescanning parser', { head: '', unit: 'a,', tail: '' }, 2000, quadratic),
      /superlinear/,
    );
    const linear = (text: string) => text.split(',').map((part) => part.trim());
    assert.doesNotThrow(() =>
      assertLinear('split', { head: '', unit: 'a,', tail: '' }, 2000, linear),
    );
    // A scan by indexOf from the last hit reads each character once, as counted.
    const hits = (text: string) => {
      let count = 0;
      for (let at = text.indexOf(','); at !== -1; at = text.indexOf(',', at + 1)) count++;
      return count;
    };
    assert.equal(measure(() => hits('a,'.repeat(1000))).work, 2000);
    // So does a global replace, stepped by the engine from match to match (scrubAwsText's kind).
    assert.equal(measure(() => 'a,'.repeat(1000).replace(/,/g, ';')).work, 2000);
  });
});
