import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildASTSchema, parse } from 'graphql';
import { composeSupergraph, CompositionError } from '../../examples/federation/src/compose.js';
import { TEAMS_SDL } from '../../examples/federation/src/teams.js';
import { buildSubgraphSchema } from '../../src/federation/subgraph-schema.js';

const FLOWS_SDL = printSubgraphSchema(buildSubgraphSchema());
const subgraphs = (teams = TEAMS_SDL) => [
  { name: 'flows', url: 'http://flows.invalid/graphql', sdl: FLOWS_SDL },
  { name: 'teams', url: 'http://teams.invalid/graphql', sdl: teams },
];

describe('composition of this subgraph with the example teams subgraph', () => {
  it('composes, and the public supergraph joins teams to firewalls and flow operations', () => {
    const supergraph = composeSupergraph(subgraphs());
    assert.match(supergraph, /@join__graph\(name: "flows"/);
    assert.match(supergraph, /@join__graph\(name: "teams"/);
    // The supergraph parses, and its API has the cross-subgraph fields.
    const schema = buildASTSchema(parse(supergraph), { assumeValid: true });
    assert.ok(schema.getQueryType()?.getFields().teams);
    assert.ok(schema.getQueryType()?.getFields().firewalls);
  });

  it('fails with every composition error, so a subgraph change that breaks the supergraph fails CI', () => {
    // The teams subgraph disagrees on the type of a key field.
    const broken = TEAMS_SDL.replace(
      'type Firewall @key(fields: "firewallArn", resolvable: false) {\n  firewallArn: String!',
      'type Firewall @key(fields: "firewallArn", resolvable: false) {\n  firewallArn: Int!',
    );
    assert.notEqual(broken, TEAMS_SDL);
    assert.throws(
      () => composeSupergraph(subgraphs(broken)),
      (error: unknown) =>
        error instanceof CompositionError &&
        error.messages.some((m) => /firewallArn/.test(m)) &&
        /Supergraph composition failed/.test(error.message),
    );
  });

  it('schema:print --subgraph writes the SDL that _service serves, and it composes', () => {
    const out = mkdtempSync(join(tmpdir(), 'nfw-subgraph-print-'));
    try {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/print-schema.ts', '--subgraph', '--out-dir', out],
        { encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      const printed = readFileSync(join(out, 'subgraph.graphql'), 'utf8');
      assert.equal(printed, `${FLOWS_SDL}\n`);
      assert.doesNotThrow(() =>
        composeSupergraph([
          { name: 'flows', url: 'http://flows.invalid/graphql', sdl: printed },
          { name: 'teams', url: 'http://teams.invalid/graphql', sdl: TEAMS_SDL },
        ]),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
