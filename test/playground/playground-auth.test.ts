import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_ARGS, CHROMIUM, skipWithoutChromium } from '../helpers/browser.js';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

describe(
  'the playground with API keys: the headers editor authenticates queries and subscriptions',
  { skip: skipWithoutChromium },
  () => {
    let gw: TestGateway;
    let browser: Browser;
    let page: Page;
    const key = randomBytes(24).toString('base64url');

    before(async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'nfw-keys-')), 'keys.json');
      const sha256 = createHash('sha256').update(key).digest('hex');
      writeFileSync(
        file,
        JSON.stringify({
          keys: [{ name: 'explorer', sha256, scopes: ['read', 'write'], firewalls: ['*'] }],
        }),
      );
      gw = await startGateway({
        SIMULATOR_OPERATION_DELAY_MS: '600000',
        AUTH_MODE: 'apikey',
        AUTH_API_KEYS_FILE: file,
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: BROWSER_ARGS,
        timeout: 30_000,
      });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      context.setDefaultTimeout(15_000);
      const origin = new URL(gw.url).origin;
      await context.route('**/*', (route) =>
        new URL(route.request().url()).origin === origin
          ? route.continue()
          : route.abort('internetdisconnected'),
      );
      page = await context.newPage();
    });

    after(async () => {
      await browser?.close();
      await gw?.close();
    });

    const response = () => page.locator('.graphiql-response');
    const responseText = async () => (await response().innerText()).replace(/\s+/g, ' ');

    async function typeInto(editor: string, text: string): Promise<void> {
      await page.locator(editor).first().click();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text, { delay: 5 });
      await page.keyboard.press('Escape');
    }

    it(
      'runs a query and a subscription with the key typed into the headers editor',
      { timeout: 90_000 },
      async () => {
        await page.goto(gw.url, { waitUntil: 'load', timeout: 30_000 });
        await page
          .locator('.graphiql-query-editor .monaco-editor')
          .first()
          .waitFor({ timeout: 30_000 });

        await page.getByRole('button', { name: 'Headers' }).click();
        await typeInto('.monaco-editor[data-uri$="-headers.json"]', `{"x-api-key": "${key}"}`);

        await typeInto(
          '.graphiql-query-editor .monaco-editor',
          'query Names { firewalls(first: 5) { edges { node { firewallName } } } }',
        );
        await page.locator('.graphiql-tab-active', { hasText: 'Names' }).waitFor();
        await page.keyboard.press('Control+Enter');
        await response().getByText('"prod-egress"').waitFor();

        const start = await gw.gql<{ startFlowCapture: { flowOperationId: string } }>(
          `mutation($input: StartFlowOperationInput!) { startFlowCapture(input: $input) { flowOperationId } }`,
          {
            input: {
              firewallArn: DEMO_ARN,
              availabilityZone: DEMO_AZ,
              flowFilters: [{ sourcePort: 'ANY' }],
            },
          },
          undefined,
          { authorization: `Bearer ${key}` },
        );
        assert.equal(start.errors, undefined, JSON.stringify(start.errors));
        const id = start.data!.startFlowCapture.flowOperationId;

        await typeInto(
          '.graphiql-query-editor .monaco-editor',
          `subscription Watch { flowOperationStatusChanged(firewallArn: "${DEMO_ARN}", availabilityZone: "${DEMO_AZ}", flowOperationId: "${id}") { flowOperationId flowOperationStatus } }`,
        );
        await page.locator('.graphiql-tab-active', { hasText: 'Watch' }).waitFor();
        await page.keyboard.press('Control+Enter');
        await response().getByText(id).waitFor();
        assert.match(await responseText(), /"flowOperationStatus": "IN_PROGRESS"/);
        gw.sim.control.completeOperation(id, 'COMPLETED');
        await response().getByText('"COMPLETED"').waitFor();
      },
    );
  },
);
