import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ListFlowOperationResultsRequest,
  ListFlowOperationResultsResponse,
} from '@aws-sdk/client-network-firewall';
import { CachingNetworkFirewallApi, MAX_TERMINAL_TTL_MS } from '../../src/aws/caching-api.js';
import type { NetworkFirewallApi } from '../../src/aws/network-firewall-api.js';
import type { Target } from '../../src/aws/routing.js';

/** Where the calls go: routed by the caller (src/auth/targets.ts), as resolvers do. */
const TARGET: Target = { region: 'us-east-1', account: undefined };

const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';

/** A finished operation's results page of `flows` flows, about 150 bytes of JSON each. */
function page(request: ListFlowOperationResultsRequest): ListFlowOperationResultsResponse {
  return {
    FlowOperationStatus: 'COMPLETED',
    Flows: Array.from({ length: request.MaxResults ?? 0 }, (_, i) => ({
      SourceAddress: { AddressDefinition: `10.0.${i % 250}.1/32` },
      DestinationAddress: { AddressDefinition: '10.1.0.1/32' },
      SourcePort: String(1024 + i),
      DestinationPort: '443',
      Protocol: 'TCP',
      Age: 10,
      PacketCount: 1,
      ByteCount: 60,
    })),
  };
}

/** Answers every results page at once and counts the calls. */
function upstream(): NetworkFirewallApi & { calls: number } {
  const api = {
    calls: 0,
    async listFlowOperationResults(request: ListFlowOperationResultsRequest) {
      api.calls++;
      return page(request);
    },
    destroy() {},
  };
  return api as unknown as NetworkFirewallApi & { calls: number };
}

const request = (id: string, maxResults: number): ListFlowOperationResultsRequest => ({
  FirewallArn: ARN,
  AvailabilityZone: 'us-east-1a',
  FlowOperationId: id,
  MaxResults: maxResults,
});

describe('read cache bounded by bytes (CACHE_MAX_BYTES)', () => {
  it('keeps at most maxBytes of JSON, however few the entries', async () => {
    const maxBytes = 1024 * 1024;
    const api = new CachingNetworkFirewallApi(upstream(), {
      maxEntries: 10_000,
      maxBytes,
      terminalTtlMs: MAX_TERMINAL_TTL_MS,
    });
    // A caller walking pages with distinct sizes makes each one a key of its own: 1,000 flows a
    // page is about 190 KB, so 100 of them would be 19 MB under an entry bound alone.
    for (let i = 0; i < 100; i++)
      await api.listFlowOperationResults(request(`op-${i}`, 1000), TARGET);
    assert.ok(api.cacheBytes <= maxBytes, `${api.cacheBytes}`);
    assert.ok(api.cacheBytes > maxBytes / 2, `${api.cacheBytes}`);
    assert.ok(api.cacheSize < 10, `${api.cacheSize} entries`);
  });

  it('still counts entries (CACHE_MAX_ENTRIES), and serves what it keeps from memory', async () => {
    const inner = upstream();
    const api = new CachingNetworkFirewallApi(inner, {
      maxEntries: 3,
      maxBytes: 64 * 1024 * 1024,
      terminalTtlMs: MAX_TERMINAL_TTL_MS,
    });
    for (let i = 0; i < 5; i++) await api.listFlowOperationResults(request(`op-${i}`, 1), TARGET);
    assert.equal(api.cacheSize, 3);
    await api.listFlowOperationResults(request('op-4', 1), TARGET);
    assert.equal(inner.calls, 5);
  });
});
