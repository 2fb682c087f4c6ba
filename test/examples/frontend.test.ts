import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { buildClientSchema, lexicographicSortSchema, printSchema } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import * as prettier from 'prettier';
import WebSocket from 'ws';
import codegenConfig, { outputDirectory } from '../../examples/frontend/codegen.js';
import { GatewayClient, GatewayError } from '../../examples/frontend/src/client.js';
import {
  FirewallsDocument,
  FlowOperationDocument,
  FlowOperationsDocument,
  FlowOperationStatusChangedDocument,
  StartFlowCaptureDocument,
  StartFlowFlushDocument,
} from '../../examples/frontend/src/gql/graphql.js';
import type {
  FlowOperationsQuery,
  StartFlowOperationInput,
} from '../../examples/frontend/src/gql/graphql.js';
import { walkthrough } from '../../examples/frontend/src/walkthrough.js';
import { buildSchema } from '../../src/schema.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('schema artifacts and the typed frontend example', () => {
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'nfw-schema-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('schema:print writes the served schema as SDL with descriptions and as introspection JSON', () => {
    const printed = run(['--import', 'tsx', 'scripts/print-schema.ts', '--out-dir', out]);
    assert.equal(printed.status, 0, printed.stderr);
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    assert.equal(sdl, `${printSchema(lexicographicSortSchema(buildSchema()))}\n`);
    assert.match(sdl, /"""\s*Starts a flow capture \(AWS StartFlowCapture\)/);
    assert.match(sdl, /type Subscription \{/);
    const introspection = JSON.parse(
      readFileSync(join(out, 'introspection.json'), 'utf8'),
    ) as IntrospectionQuery;
    assert.equal(printSchema(buildClientSchema(introspection)), sdl.trimEnd());

    const stdout = run(['--import', 'tsx', 'scripts/print-schema.ts', '--stdout']);
    assert.equal(stdout.status, 0, stdout.stderr);
    assert.equal(stdout.stdout, sdl);
  });

  it('the committed generated client types match a fresh generation from the printed schema', async () => {
    const schema = join(out, 'schema.graphql');
    assert.ok(existsSync(schema), 'schema:print ran first');
    const outputs = await generate({ ...codegenConfig, schema, cwd: ROOT, silent: true }, false);
    assert.ok(outputs.length >= 2);
    for (const { filename, content } of outputs) {
      assert.ok(filename.startsWith(outputDirectory), filename);
      const options = (await prettier.resolveConfig(filename)) ?? {};
      const expected = await prettier.format(content, { ...options, filepath: filename });
      const actual = existsSync(filename) ? readFileSync(filename, 'utf8') : '';
      assert.ok(
        actual === expected,
        `${relative(ROOT, filename)} is stale: run \`npm run examples:codegen\` and commit it`,
      );
    }
  });

  it('the example typechecks on its own under the strict settings', () => {
    const tsc = run(['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/frontend']);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
});

describe('the typed frontend example against a real gateway', () => {
  let gw: TestGateway;
  let client: GatewayClient;
  const input: StartFlowOperationInput = {
    firewallArn: DEMO_ARN,
    availabilityZone: DEMO_AZ,
    minimumFlowAgeInSeconds: 60,
    flowFilters: [
      {
        sourceAddress: { addressDefinition: '10.0.0.0/16' },
        destinationAddress: { addressDefinition: '2001:db8::/64' },
        sourcePort: 'ANY',
        destinationPort: '1990:1994',
        protocols: ['6', '17'],
      },
    ],
  };

  before(async () => {
    // Operations run until the test completes them: a subscription never races their end.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    client = new GatewayClient({ url: gw.url, webSocketImpl: WebSocket });
  });
  after(async () => {
    await client.close();
    await gw.close();
  });

  it('runs Firewalls, FlowOperations and FlowOperation with typed results', async () => {
    const { firewalls } = await client.request(FirewallsDocument);
    const demo = firewalls.edges.find((e) => e.node.firewallArn === DEMO_ARN)?.node;
    assert.deepEqual(demo?.availabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c']);

    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { flowOperations }: FlowOperationsQuery = await client.request(FlowOperationsDocument, {
        arn: DEMO_ARN,
        az: DEMO_AZ,
        type: 'FLOW_CAPTURE',
        first: 2,
        after,
      });
      assert.ok(flowOperations, 'the zone is listed');
      ids.push(...flowOperations.edges.map((e) => e.node.flowOperationId));
      if (!flowOperations.pageInfo.hasNextPage) break;
      after = flowOperations.pageInfo.endCursor;
    }
    assert.ok(ids.length >= 4);
    assert.equal(new Set(ids).size, ids.length);

    const { flowOperation } = await client.request(FlowOperationDocument, {
      arn: DEMO_ARN,
      az: DEMO_AZ,
      id: ids[0]!,
      first: 5,
    });
    assert.equal(flowOperation?.flowOperationType, 'FLOW_CAPTURE');
    assert.equal(flowOperation?.flows?.edges.length, 5);
    assert.equal(typeof flowOperation?.flows?.edges[0]?.node.byteCount, 'number');
  });

  it('starts a capture, follows it over graphql-ws to COMPLETED, and starts a flush', async () => {
    const { startFlowCapture } = await client.request(StartFlowCaptureDocument, { input });
    assert.equal(startFlowCapture.flowOperationStatus, 'IN_PROGRESS');
    const statuses: (string | null)[] = [];
    for await (const { flowOperationStatusChanged } of client.subscribe(
      FlowOperationStatusChangedDocument,
      { arn: DEMO_ARN, az: DEMO_AZ, id: startFlowCapture.flowOperationId },
    )) {
      assert.equal(flowOperationStatusChanged.flowOperationId, startFlowCapture.flowOperationId);
      statuses.push(flowOperationStatusChanged.flowOperationStatus);
      if (statuses.length === 1) {
        gw.sim.control.completeOperation(startFlowCapture.flowOperationId, 'COMPLETED');
      }
    }
    assert.deepEqual(statuses, ['IN_PROGRESS', 'COMPLETED']);

    const { startFlowFlush } = await client.request(StartFlowFlushDocument, { input });
    assert.equal(startFlowFlush.flowOperationStatus, 'IN_PROGRESS');
    assert.notEqual(startFlowFlush.flowOperationId, startFlowCapture.flowOperationId);
  });

  it('surfaces errors with their stable codes', async () => {
    await assert.rejects(
      client.request(StartFlowCaptureDocument, {
        input: { ...input, flowFilters: [{ destinationPort: '1994:1990' }] },
      }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.deepEqual(error.codes, ['BAD_USER_INPUT']);
        assert.equal(
          error.errors[0]?.extensions?.argumentPath,
          'input.flowFilters[0].destinationPort',
        );
        return true;
      },
    );
    await assert.rejects(
      client.request(FlowOperationDocument, {
        arn: DEMO_ARN,
        az: DEMO_AZ,
        id: '00000000-0000-4000-8000-000000000000',
      }),
      (error: unknown) => error instanceof GatewayError && error.codes.includes('NOT_FOUND'),
    );
  });

  it('the walkthrough program runs end to end', async () => {
    const lines: string[] = [];
    const result = await walkthrough(client, {
      firewallName: 'demo',
      pageSize: 10,
      flush: true,
      log: (line) => {
        lines.push(line);
        // Operations here run until the test completes them (SIMULATOR_OPERATION_DELAY_MS): the
        // capture is completed once started; its subscription gets the state whenever it joins.
        const started = /^capture (\S+) IN_PROGRESS$/.exec(line);
        if (started) gw.sim.control.completeOperation(started[1]!, 'COMPLETED');
      },
    });
    assert.equal(result.firewallArn, DEMO_ARN);
    assert.deepEqual(result.statuses.at(-1), 'COMPLETED');
    assert.ok(result.flows.length > 10, 'the capture spans several pages');
    // A last page that ends exactly on the page size may be followed by an empty one.
    const full = Math.ceil(result.flows.length / 10);
    assert.ok(result.pages === full || result.pages === full + 1, `${result.pages} pages`);
    for (const flow of result.flows) {
      assert.match(flow.sourceAddress?.addressDefinition ?? '', /^10\./);
      assert.equal(flow.protocol, '6');
    }
    assert.ok(result.flushId);
    assert.ok(lines.some((l) => l.startsWith('flush ')));
  });
});
