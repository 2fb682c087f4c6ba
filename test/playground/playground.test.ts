import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultDocument } from '../../src/playground/index.js';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildSchema } from '../../src/schema.js';
import { BROWSER_ARGS, CHROMIUM, skipWithoutChromium } from '../helpers/browser.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const SCREENSHOT = '/tmp/nfw-flow-gateway-playground.png';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The page plus every URL it references in src= or href=. */
async function loadPage(url: string): Promise<{ res: Response; html: string; refs: string[] }> {
  const res = await fetch(url, { headers: { accept: HTML } });
  const html = await res.text();
  const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  return { res, html, refs };
}

/** The default document with its commented-out subscription switched on. */
function uncommentedDocument(query: string): string {
  const at = query.indexOf('# subscription ');
  assert.ok(at > 0, 'the default document has a commented-out subscription');
  const tail = query
    .slice(at)
    .split('\n')
    .map((line) => line.replace(/^# ?/, ''))
    .join('\n');
  return query.slice(0, at) + tail;
}

describe('the playground over HTTP', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  it('serves GraphiQL to a browser with a strict CSP, and only same-origin references', async () => {
    const { res, html, refs } = await loadPage(gw.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('vary') ?? '', /Accept/i);
    assert.match(html, /yoga-graphiql\.umd\.js/);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"], 'no inline script, no eval');
    assert.deepEqual(directives.get('worker-src'), ["'self'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    const host = new URL(gw.url).host;
    assert.deepEqual(directives.get('connect-src'), ["'self'", `ws://${host}`, `wss://${host}`]);
    for (const sources of directives.values()) {
      for (const source of sources) {
        assert.ok(
          !/^https?:/.test(source) || source.includes(host),
          `CSP allows no other origin: ${source}`,
        );
      }
    }
    assert.ok(refs.length >= 3);
    for (const ref of refs) {
      assert.ok(ref.startsWith('/') || ref.startsWith('data:'), `${ref} stays on the origin`);
    }
    assert.doesNotMatch(html, /https?:\/\//, 'the page names no outside URL at all');
  });

  it('serves the assets with their content types and long cache lifetimes', async () => {
    const { refs } = await loadPage(gw.url);
    const base = refs.find((r) => r.endsWith('/init.js'))!.replace(/\/init\.js$/, '');
    const expected: Record<string, RegExp> = {
      'init.js': /^text\/javascript/,
      'yoga-graphiql.umd.js': /^text\/javascript/,
      'graphiql.css': /^text\/css/,
      'editor.worker.js': /^text\/javascript/,
      'json.worker.js': /^text\/javascript/,
      'graphql.worker.js': /^text\/javascript/,
    };
    for (const [name, type] of Object.entries(expected)) {
      const res = await fetch(new URL(`${base}/${name}`, gw.url));
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type') ?? '', type, name);
      assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/, name);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      if (name.includes('worker')) {
        assert.equal(res.headers.get('content-security-policy'), "default-src 'none'");
      }
      await res.arrayBuffer();
    }
    const stale = await fetch(new URL(base.replace(/[^/]+$/, '000000000000') + '/init.js', gw.url));
    assert.equal(stale.status, 404, 'an old fingerprint is not served new content');
    const unknown = await fetch(new URL(`${base}/package.json`, gw.url));
    assert.equal(unknown.status, 404);
  });

  it('sends the assets brotli- or gzip-compressed when the browser accepts it, byte for byte the same', async () => {
    const { refs } = await loadPage(gw.url);
    const base = refs.find((r) => r.endsWith('/init.js'))!.replace(/\/init\.js$/, '');
    const url = new URL(`${base}/yoga-graphiql.umd.js`, gw.url);
    const raw = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        }).on('error', reject);
      });
    const plain = await raw('identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.length > 1_000_000, 'the GraphiQL bundle');

    const br = await raw('gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers.vary), /Accept-Encoding/i);
    assert.match(String(br.headers['cache-control']), /max-age=31536000.*immutable/);
    assert.ok(br.body.length < plain.body.length / 3, `${br.body.length} bytes`);
    assert.ok(brotliDecompressSync(br.body).equals(plain.body));

    const gz = await raw('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gz.body).equals(plain.body));
    assert.notEqual(gz.headers.etag, br.headers.etag, 'each encoding is its own entity');
    const revalidated = await new Promise<number | undefined>((resolve, reject) => {
      get(
        url,
        { headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      ).on('error', reject);
    });
    assert.equal(revalidated, 304);
  });

  it('leaves GraphQL over GET and POST to the gateway', async () => {
    // Apollo's CSRF prevention asks GET requests for a header a plain <form> or <img> cannot send.
    const get = await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), { data: { __typename: 'Query' } });
    const curl = await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: '*/*', 'apollo-require-preflight': 'true' },
    });
    assert.deepEqual(await curl.json(), { data: { __typename: 'Query' } });
    const post = await gw.gql('{ __typename }');
    assert.deepEqual(post.data, { __typename: 'Query' });
  });

  it('opens with a document whose every operation runs on the demo data', async () => {
    const { query, variables } = defaultDocument();
    const vars = JSON.parse(variables) as Record<string, unknown>;
    assert.equal(vars.arn, DEMO_ARN);
    assert.equal(vars.az, DEMO_AZ);
    const full = parse(uncommentedDocument(query));
    assert.deepEqual(validate(buildSchema(), full), []);
    const operations = full.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    assert.deepEqual(
      operations.map((o) => `${o.operation} ${o.name?.value}`),
      [
        'query FindFirewalls',
        'query ListFlowOperations',
        'query CaptureFlows',
        'mutation StartCapture',
        'subscription WatchOperation',
      ],
    );
    assert.equal(
      parse(query).definitions.some(
        (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
      ),
      false,
      'the subscription is commented out, so running the page as is never opens a socket',
    );

    const firewalls = await gw.gql<{
      firewalls: { edges: { node: { firewallArn: string } }[] };
    }>(query, vars, 'FindFirewalls');
    assert.equal(firewalls.errors, undefined);
    assert.ok(firewalls.data!.firewalls.edges.some((e) => e.node.firewallArn === DEMO_ARN));

    const list = await gw.gql<{
      flowOperations: { edges: { node: { flowOperationId: string } }[] };
    }>(query, vars, 'ListFlowOperations');
    assert.equal(list.errors, undefined);
    assert.ok(
      list.data!.flowOperations.edges.some((e) => e.node.flowOperationId === vars.id),
      'the example id is one of the demo capture ids the list shows',
    );

    // Page through the example capture's flows with the cursor the page hands out.
    let after: unknown = vars.after;
    const seen = new Set<string>();
    for (let page = 0; page < 3; page++) {
      const flows = await gw.gql<{
        flowOperation: {
          flowOperationType: string;
          flowOperationStatus: string;
          flows: {
            edges: { cursor: string }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      }>(query, { ...vars, after }, 'CaptureFlows');
      assert.equal(flows.errors, undefined);
      const op = flows.data!.flowOperation;
      assert.equal(op.flowOperationType, 'FLOW_CAPTURE');
      assert.equal(op.flowOperationStatus, 'COMPLETED');
      assert.equal(op.flows.edges.length, vars.first);
      for (const edge of op.flows.edges) seen.add(edge.cursor);
      assert.equal(op.flows.pageInfo.hasNextPage, true, 'the demo capture has many pages');
      after = op.flows.pageInfo.endCursor;
    }
    assert.equal(seen.size, 3 * (vars.first as number));

    const capture = await gw.gql<{ startFlowCapture: { flowOperationStatus: string } }>(
      query,
      vars,
      'StartCapture',
    );
    assert.equal(capture.errors, undefined);
    assert.equal(capture.data!.startFlowCapture.flowOperationStatus, 'IN_PROGRESS');
  });
});

describe('PLAYGROUND=false', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ PLAYGROUND: 'false' });
  });
  after(() => gw.close());

  it('serves no page and no assets, and GraphQL over GET still works', async () => {
    const { res, html } = await loadPage(gw.url);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /text\/html/);
    assert.doesNotMatch(html, /graphiql/i);
    assert.equal(res.headers.get('content-security-policy'), null);
    const asset = await fetch(new URL('/graphql/playground/x/init.js', gw.url));
    assert.notEqual(asset.status, 200);
    await asset.arrayBuffer();

    const get = await fetch(
      `${gw.url}?query=${encodeURIComponent('{ firewalls { edges { node { firewallName } } } }')}`,
      { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } },
    );
    assert.equal(get.status, 200);
    const body = (await get.json()) as { data: { firewalls: { edges: unknown[] } } };
    assert.ok(body.data.firewalls.edges.length >= 2);
  });

  it('answers a browser with a plain note: GraphQL takes POSTs, the playground is off', async () => {
    const { res, html: text } = await loadPage(gw.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(res.headers.get('vary') ?? '', /Accept/i);
    assert.match(text, /GraphQL endpoint/);
    assert.match(text, /POST with Content-Type: application\/json/);
    assert.match(text, /playground is turned off .*PLAYGROUND=false/);
    assert.doesNotMatch(text, /preflight|CSRF|^\s*\{/i, 'not Apollo’s CSRF error');

    // A client without a preference still gets GraphQL's own answer (here: the CSRF refusal).
    const curl = await fetch(gw.url, { headers: { accept: '*/*' } });
    assert.match(curl.headers.get('content-type') ?? '', /json/);
    await curl.arrayBuffer();
  });
});

describe(
  'the playground in a real browser, offline',
  {
    skip: skipWithoutChromium,
  },
  () => {
    let gw: TestGateway;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let origin: string;
    const outside: string[] = [];
    const served: string[] = [];
    const consoleErrors: string[] = [];
    const sockets: string[] = [];

    before(async () => {
      // Operations stay IN_PROGRESS until the test completes them.
      gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
      origin = new URL(gw.url).origin;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: BROWSER_ARGS,
        timeout: 30_000,
      });
      context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        serviceWorkers: 'block',
      });
      context.setDefaultTimeout(15_000);
      // Every request of the page and of its workers passes here: only the gateway's own origin
      // gets through; anything else is recorded and fails, as it would offline.
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin) {
          served.push(url);
          await route.continue();
        } else {
          outside.push(url);
          await route.abort('internetdisconnected');
        }
      });
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
      page.on('websocket', (ws) => sockets.push(ws.url()));
    });

    after(async () => {
      await page?.screenshot({ path: SCREENSHOT }).catch(() => {});
      await browser?.close();
      await gw?.close();
    });

    const queryEditor = () => page.locator('.graphiql-query-editor .monaco-editor').first();
    const response = () => page.locator('.graphiql-response');
    /** The results pane's text; Monaco renders spaces as U+00A0 and wraps long lines. */
    const responseText = async () => (await response().innerText()).replace(/\s+/g, ' ');

    /** Replaces the query editor's text by typing, as a person would, and waits for GraphiQL to see it. */
    async function typeDocument(text: string, operationName: string): Promise<void> {
      await queryEditor().click();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text, { delay: 5 });
      // Closes any completion popup, so Ctrl+Enter runs rather than accepts a suggestion.
      await page.keyboard.press('Escape');
      await page.locator('.graphiql-tab-active', { hasText: operationName }).waitFor();
    }

    it('loads with the example document and demo variables', { timeout: 60_000 }, async () => {
      await page.goto(gw.url, { waitUntil: 'load', timeout: 30_000 });
      await queryEditor().waitFor({ timeout: 30_000 });
      await page
        .locator('.graphiql-query-editor .view-lines', { hasText: 'nfw-flow-gateway playground' })
        .waitFor();
      await page.locator('.graphiql-editor-tool', { hasText: DEMO_AZ }).first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Headers' }).count(), 1);
    });

    it('runs an example operation from the run button', { timeout: 60_000 }, async () => {
      await page.locator('.graphiql-execute-button').click();
      await page.getByRole('menuitem', { name: 'ListFlowOperations' }).click();
      await response().getByText('"FLOW_CAPTURE"').first().waitFor();
      const text = await responseText();
      assert.match(text, /"flowOperationId": "[0-9a-f-]{36}"/);
      assert.doesNotMatch(text, /"errors"/);
    });

    it('runs a mutation from the run button', { timeout: 60_000 }, async () => {
      await page.locator('.graphiql-execute-button').click();
      await page.getByRole('menuitem', { name: 'StartCapture' }).click();
      await response().getByText('"IN_PROGRESS"').waitFor();
      const id = /"flowOperationId": "([0-9a-f-]{36})"/.exec(await responseText())?.[1];
      assert.ok(id);
      const started = gw.sim.log
        .entries()
        .filter((e) => e.operation === 'StartFlowCapture' && e.status === 200);
      assert.equal(started.length, 1, 'the mutation reached the simulator once');
    });

    it('runs a typed query with Ctrl+Enter and shows the answer', { timeout: 60_000 }, async () => {
      await typeDocument(
        'query Zones { firewalls(first: 10) { edges { node { firewallName availabilityZones } } } }',
        'Zones',
      );
      await page.keyboard.press('Control+Enter');
      await response().getByText('"prod-egress"').waitFor();
      const text = await responseText();
      assert.match(text, /"firewallName": "demo"/);
      assert.match(text, /"us-east-1c"/);
    });

    it(
      'runs a subscription over graphql-ws and shows a pushed status change',
      { timeout: 60_000 },
      async () => {
        const id = await gw.startCapture({
          firewallArn: DEMO_ARN,
          availabilityZone: DEMO_AZ,
          flowFilters: [{ sourcePort: 'ANY' }],
        });

        await typeDocument(
          `subscription Watch { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${id}") { flowOperationId flowOperationStatus } }`,
          'Watch',
        );
        await page.keyboard.press('Control+Enter');
        // The pane still shows the previous answer until the first push arrives: wait for this id.
        await response().getByText(id).waitFor();
        assert.match(await responseText(), /"flowOperationStatus": "IN_PROGRESS"/);

        gw.sim.control.completeOperation(id, 'COMPLETED');
        await response().getByText('"COMPLETED"').waitFor();
        assert.deepEqual(sockets, [`${origin.replace(/^http/, 'ws')}/graphql`]);
      },
    );

    it('made no request outside the origin and logged no error', () => {
      assert.deepEqual(outside, []);
      assert.deepEqual(consoleErrors, []);
      // The route saw the page, the bundle and the editor's workers: the check above covers
      // workers too, not only the document.
      for (const asset of ['yoga-graphiql.umd.js', 'graphiql.css', 'graphql.worker.js']) {
        assert.ok(
          served.some((url) => url.endsWith(asset)),
          `${asset} was requested through the route`,
        );
      }
    });
  },
);
