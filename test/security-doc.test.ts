import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8').replaceAll('’', "'");

/** The threat table's rows: attack, defense, and the tests that prove the defense. */
function threatRows(): { attack: string; tests: string }[] {
  const text = read('SECURITY.md');
  const table = text.slice(text.indexOf('## Threat table'), text.indexOf('## What is logged'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\| (attack|-)/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return { attack: cells[1]!, tests: cells.at(-2)! };
    });
}

/** Whether `file` has a test called `name`: literally, or as a template literal's expansion. */
function hasTest(source: string, name: string): boolean {
  const parts = name.split('…').map((part) => part.trim().replace(/[,;]$/, ''));
  if (parts.every((part) => source.includes(part))) return true;
  for (const [, template] of source.matchAll(/`([^`\n]*\$\{[^`\n]*)`/g)) {
    const pattern = template!
      .split(/\$\{[^}]*\}/)
      .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    if (new RegExp(`^${pattern}$`).test(name)) return true;
  }
  return false;
}

// SECURITY.md's threat table says which test proves each defense: the file and names must exist,
// so that a renamed or deleted test cannot leave a defense claimed but unproven.
describe('SECURITY.md threat table', () => {
  const rows = threatRows();

  it('has a row for each attack of the hardening review', () => {
    assert.ok(rows.length >= 40, `${rows.length} rows`);
  });

  it('names, for every row, test files that exist and tests they hold', () => {
    const sources = new Map<string, string>();
    for (const { attack, tests } of rows) {
      const files = [...tests.matchAll(/(test\/[\w./-]+\.ts)/g)].map((m) => m[1]!);
      const names = [...tests.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.replaceAll('\\|', '|'));
      assert.ok(files.length > 0 || names.length > 0, `no test named for: ${attack}`);
      for (const file of files) {
        assert.ok(existsSync(new URL(file, root)), `${file} (for: ${attack})`);
        if (!sources.has(file)) sources.set(file, read(file));
      }
      // A name is looked for in the files of its row, or in any test file the table names.
      const candidates = files.length > 0 ? files : [...sources.keys()];
      for (const name of names) {
        assert.ok(
          candidates.some((file) => hasTest(sources.get(file) ?? read(file), name)),
          `"${name}" in ${candidates.join(', ')}`,
        );
      }
    }
  });
});
