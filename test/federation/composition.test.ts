import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
