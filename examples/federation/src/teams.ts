// The `teams` subgraph: a static ownership table over the simulator's demo firewalls, served by
// Apollo Server as a Federation 2 subgraph. A stand-in for another team's service.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/** The demo data's firewalls (src/simulator/demo-data.ts), split between two teams. */
const TEAMS: readonly { name: string; firewallArns: readonly string[] }[] = [
  {
    name: 'edge',
    firewallArns: [
      'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo',
      'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress',
    ],
  },
  {
    name: 'research',
    firewallArns: ['arn:aws:network-firewall:us-west-2:111122223333:firewall/lab'],
  },
];

export const TEAMS_SDL = readFileSync(new URL('../teams.graphql', import.meta.url), 'utf8');

type Team = (typeof TEAMS)[number];

const resolvers = {
  Query: { teams: () => TEAMS },
  Team: {
    firewalls: (team: Team) => team.firewallArns.map((firewallArn) => ({ firewallArn })),
  },
  FlowOperation: {
    __resolveReference: (reference: { firewallArn: string; flowOperationId: string }) => reference,
    owningTeam: (operation: { firewallArn: string }) =>
      TEAMS.find((team) => team.firewallArns.includes(operation.firewallArn)) ?? null,
  },
};

export interface RunningSubgraph {
  url: string;
  stop(): Promise<void>;
}

/** Starts the teams subgraph on `port` (0: any free port). */
export async function startTeamsSubgraph(port = 0): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(TEAMS_SDL), resolvers }]),
    // No per-field traces to whoever asks; a demo has no usage reporting to feed.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port } });
  return { url, stop: () => server.stop() };
}
