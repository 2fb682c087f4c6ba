// `npm run example:federation`: the whole supergraph on one machine, offline. Expects this gateway
// running as a subgraph (`FEDERATION=true npm start`, the simulator's demo data), reads its
// `_service.sdl`, starts the teams subgraph, composes both and serves the supergraph with Hive
// Gateway until Ctrl-C.
//   FLOWS_URL    the subgraph's /graphql (default http://localhost:4000/graphql)
//   FLOWS_TOKEN  a key or token with `read`, when the gateway's AUTH_MODE is not `none`
import { composeSupergraph } from './compose.js';
import { startHiveGateway } from './hive-gateway.js';
import { startTeamsSubgraph, TEAMS_SDL } from './teams.js';

const flowsUrl = process.env.FLOWS_URL ?? 'http://localhost:4000/graphql';
const token = process.env.FLOWS_TOKEN;

const res = await fetch(flowsUrl, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  body: JSON.stringify({ query: '{ _service { sdl } }' }),
});
const body = (await res.json()) as { data?: { _service?: { sdl: string } }; errors?: unknown };
const sdl = body.data?._service?.sdl;
if (!sdl) {
  console.error(`No _service.sdl from ${flowsUrl} (is FEDERATION=true set?):`, body.errors);
  process.exit(1);
}
const teams = await startTeamsSubgraph();
const hive = await startHiveGateway(
  composeSupergraph([
    { name: 'flows', url: flowsUrl, sdl },
    { name: 'teams', url: teams.url, sdl: TEAMS_SDL },
  ]),
);
console.log(`Supergraph (Hive Gateway) at ${hive.url}; teams subgraph at ${teams.url}`);
process.once('SIGINT', () => {
  void Promise.all([hive.stop(), teams.stop()]).then(() => process.exit(0));
});
