#!/usr/bin/env node
// Fails when src/generated/ no longer matches what `npm run codegen` would write from schema/,
// so a schema change can't land with stale resolver types.
import { readFileSync } from 'node:fs';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import * as prettier from 'prettier';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
const outputs = await generate({ ...config, cwd: root, silent: true }, false);
let stale = 0;
for (const { filename, content } of outputs) {
  const options = (await prettier.resolveConfig(filename)) ?? {};
  const expected = await prettier.format(content, { ...options, filepath: filename });
  let actual = '';
  try {
    actual = readFileSync(filename, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (actual !== expected) {
    stale++;
    console.error(
      `codegen:check: ${filename} is stale; run \`npm run codegen\` and commit the result.`,
    );
  }
}
if (stale === 0) console.log(`codegen:check: ${outputs.length} generated file(s) up to date`);
process.exit(stale === 0 ? 0 : 1);
