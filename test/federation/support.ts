import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ARN, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';
import { newKey, writeKeys } from '../auth/support.js';

/** A key for every firewall of the demo account, and a read key for the demo firewall alone. */
export const keys = {
  ops: newKey('ops', ['read', 'write'], ['arn:aws:network-firewall:*:111122223333:firewall/*']),
  demoOnly: newKey('demo-only', ['read'], [DEMO_ARN]),
};

/** This gateway in subgraph mode on its simulator, with API keys on (`keys`). */
export async function startKeyedSubgraph(
  env: Record<string, string>,
): Promise<{ gw: TestGateway; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'nfw-fed-keys-'));
  const file = join(dir, 'keys.json');
  writeKeys(file, [keys.ops, keys.demoOnly]);
  const gw = await startGateway({
    FEDERATION: 'true',
    AUTH_MODE: 'apikey',
    AUTH_API_KEYS_FILE: file,
    ...env,
  });
  return {
    gw,
    async close() {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
