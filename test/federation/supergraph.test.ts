import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { composeSupergraph } from '../../examples/federation/src/compose.js';
import { startHiveGateway } from '../../examples/federation/src/hive-gateway.js';
import type { RunningHiveGateway } from '../../examples/federation/src/hive-gateway.js';
import { startTeamsSubgraph, TEAMS_SDL } from '../../examples/federation/src/teams.js';
import type { RunningSubgraph } from '../../examples/federation/src/teams.js';
import { DEMO_ARN, DEMO_AZ } from '../helpers/gateway.js';
import type { GraphQLResponse, TestGateway } from '../helpers/gateway.js';
import { bearer } from '../auth/support.js';
import { keys, startKeyedSubgraph } from './support.js';

const LAB_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
const PROD_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';

/** docs/federation.md's supergraph query (a `gql` fence: the standalone docs test skips it). */
function docsQuery(name: string): string {
  const doc = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
  const block = [...doc.matchAll(/```gql\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((text) => text.startsWith(`query ${name} `));
  assert.ok(block, `docs/federation.md has no query ${name}`);
  return block;
}

/**
 * The whole supergraph, for real: this gateway in subgraph mode on its simulator (API keys on),
 * the example `teams` subgraph, composed by @theguild/federation-composition from the SDL each
 * serves, and Hive Gateway's CLI serving the supergraph file; every request goes through Hive.
 */
describe('supergraph: this subgraph and teams, composed and served by Hive Gateway', () => {
  const { ops, demoOnly } = keys;
  let subgraph: Awaited<ReturnType<typeof startKeyedSubgraph>>;
  let flows: TestGateway;
  let teams: RunningSubgraph;
  let hive: RunningHiveGateway;
  const clients: Client[] = [];

  async function viaHive<T>(
    query: string,
    variables: Record<string, unknown> = {},
    key = ops.key,
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(hive.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(key) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  }

  /** A graphql-ws client of Hive Gateway, whose connection_init carries `key`. */
  function hiveClient(key: string): Client {
    const client = createClient({
      url: hive.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: bearer(key),
    });
    clients.push(client);
    return client;
  }

  before(async () => {
    subgraph = await startKeyedSubgraph({ SIMULATOR_OPERATION_DELAY_MS: '1500' });
    flows = subgraph.gw;
    teams = await startTeamsSubgraph();
    // The SDL this gateway serves, as a schema registry or `rover subgraph introspect` reads it.
    const service = await flows.gql<{ _service: { sdl: string } }>(
      '{ _service { sdl } }',
      {},
      undefined,
      bearer(ops.key),
    );
    assert.ok(service.data, JSON.stringify(service.errors));
    const supergraph = composeSupergraph([
      { name: 'flows', url: flows.url, sdl: service.data._service.sdl },
      { name: 'teams', url: teams.url, sdl: TEAMS_SDL },
    ]);
    hive = await startHiveGateway(supergraph);
  });

  after(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await hive?.stop();
    await teams?.stop();
    await subgraph?.close();
  });

  it("answers a query across both subgraphs: teams, their firewalls and those firewalls' operations", async () => {
    const started = await flows.startCapture({}, bearer(ops.key));
    flows.sim.log.clear();
    const res = await viaHive<{
      teams: {
        name: string;
        firewalls: {
          firewallArn: string;
          firewallName: string;
          flowOperations: { edges: { node: { flowOperationId: string } }[] } | null;
        }[];
      }[];
    }>(`{ teams { name firewalls { firewallArn firewallName
          flowOperations(first: 5) { edges { node { flowOperationId flowOperationType } } } } } }`);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const edge = res.data!.teams.find((t) => t.name === 'edge')!;
    assert.deepEqual(
      edge.firewalls.map((f) => f.firewallName),
      ['demo', 'prod-egress'],
    );
    const demo = edge.firewalls.find((f) => f.firewallArn === DEMO_ARN)!;
    assert.ok(
      demo.flowOperations!.edges.some((e) => e.node.flowOperationId === started),
      "the capture started above is among the demo firewall's operations",
    );
    const research = res.data!.teams.find((t) => t.name === 'research')!;
    assert.deepEqual(
      research.firewalls.map((f) => f.firewallArn),
      [LAB_ARN],
    );
    // The three firewalls came to this subgraph in one _entities request, each described once.
    assert.equal(flows.sim.log.count('DescribeFirewall'), 3);
  });

  it("runs docs/federation.md's TeamsFirewalls query, with the teams subgraph's field on each operation", async () => {
    const res = await viaHive<{
      teams: {
        name: string;
        firewalls: {
          flowOperations: { edges: { node: { owningTeam: { name: string } | null } }[] } | null;
        }[];
      }[];
    }>(docsQuery('TeamsFirewalls'));
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const owners = res.data!.teams.flatMap((team) =>
      team.firewalls.flatMap((f) =>
        (f.flowOperations?.edges ?? []).map((e) => [team.name, e.node.owningTeam?.name]),
      ),
    );
    assert.ok(owners.length > 0);
    for (const [team, owner] of owners) assert.equal(owner, team);
  });

  it("passes the caller's Authorization on: another key's refusals hold through the router", async () => {
    const res = await viaHive<{ teams: { firewalls: ({ firewallName: string } | null)[] }[] }>(
      '{ teams { name firewalls { firewallArn firewallName } } }',
      {},
      demoOnly.key,
    );
    const codes = new Set((res.errors ?? []).map((e) => e.extensions?.code));
    assert.ok(codes.has('FORBIDDEN'), JSON.stringify(res.errors));
    const edge = res.data?.teams;
    assert.ok(edge, 'teams itself is not refused: the teams subgraph knows no keys');
  });

  it("starts a capture through the router, and a subscription through it gets its pushes, with the teams subgraph's field, and complete", async () => {
    const start = await viaHive<{
      startFlowCapture: {
        flowOperationId: string;
        flowOperationStatus: string;
        owningTeam: { name: string };
      };
    }>(
      `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) {
        flowOperationId flowOperationStatus owningTeam { name } } }`,
      {
        input: {
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ destinationPort: '443' }],
        },
      },
    );
    assert.equal(start.errors, undefined, JSON.stringify(start.errors));
    const op = start.data!.startFlowCapture;
    assert.equal(op.flowOperationStatus, 'IN_PROGRESS');
    assert.deepEqual(op.owningTeam, { name: 'edge' });

    const client = hiveClient(ops.key);
    const pushes: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        {
          query: `subscription($arn: String!, $az: String, $op: ID!) {
            flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $op) {
              flowOperationId flowOperationStatus owningTeam { name } } }`,
          variables: { arn: DEMO_ARN, az: DEMO_AZ, op: op.flowOperationId },
        },
        {
          next: (value) => pushes.push(value),
          error: (error) =>
            reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: resolve,
        },
      );
    });
    assert.ok(pushes.length >= 1, 'at least the terminal state was pushed');
    for (const push of pushes) {
      const { errors, data } = push as GraphQLResponse<{
        flowOperationStatusChanged: { flowOperationId: string; owningTeam: { name: string } };
      }>;
      assert.equal(errors, undefined, JSON.stringify(errors));
      assert.equal(data!.flowOperationStatusChanged.flowOperationId, op.flowOperationId);
      assert.deepEqual(data!.flowOperationStatusChanged.owningTeam, { name: 'edge' });
    }
    const last = pushes.at(-1) as {
      data: { flowOperationStatusChanged: { flowOperationStatus: string } };
    };
    assert.equal(last.data.flowOperationStatusChanged.flowOperationStatus, 'COMPLETED');
  });

  it("subscribes with the caller's own credential: a key limited to another firewall is refused by this gateway through the router", async () => {
    const prodOp = await flows.startCapture({ firewallArn: PROD_ARN }, bearer(ops.key));
    const client = hiveClient(demoOnly.key);
    const outcome = await new Promise<unknown>((resolve) => {
      const results: unknown[] = [];
      client.subscribe(
        {
          query: `subscription($arn: String!, $az: String, $op: ID!) {
            flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $op) {
              flowOperationStatus } }`,
          variables: { arn: PROD_ARN, az: DEMO_AZ, op: prodOp },
        },
        {
          next: (value) => results.push(value),
          error: (error) => resolve({ results, error }),
          complete: () => resolve({ results }),
        },
      );
    });
    const said = JSON.stringify(outcome);
    assert.match(said, /FORBIDDEN/, said);
    assert.doesNotMatch(said, /flowOperationStatus":"/, 'no state of the operation was pushed');
  });
});
