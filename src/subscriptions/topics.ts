import type {
  DescribeFlowOperationResponse,
  FlowOperationMetadata,
} from '@aws-sdk/client-network-firewall';
import { TERMINAL_STATUSES, operationCacheKey, scopeCacheKey, scopeToRequest } from '../model.js';
import type { FlowOperationKey, FlowOperationScope } from '../model.js';
import type { Topic } from './multiplexer.js';

// Timestamps cross replicas as JSON strings; the rest of the gateway expects AWS's Date.
function reviveTimestamp<T extends { FlowRequestTimestamp?: Date | undefined }>(value: T): T {
  const raw = value.FlowRequestTimestamp as unknown;
  return typeof raw === 'string' ? { ...value, FlowRequestTimestamp: new Date(raw) } : value;
}

function statusSignature(state: DescribeFlowOperationResponse): string {
  return JSON.stringify([state.FlowOperationStatus ?? null, state.StatusMessage ?? null]);
}

/** One flow operation: its current state first, then each change of status or message. */
export function operationTopic(
  key: FlowOperationKey,
): Topic<DescribeFlowOperationResponse, DescribeFlowOperationResponse> {
  return {
    id: `op:${operationCacheKey(key)}`,
    poll: (loaders) => loaders.flowOperation.load(key),
    diff: (previous, next) =>
      previous === undefined || statusSignature(previous) !== statusSignature(next) ? [next] : [],
    snapshot: (state) => [state],
    isFinal: (state) => TERMINAL_STATUSES.has(state.FlowOperationStatus ?? ''),
    decode: (raw) => reviveTimestamp(raw as DescribeFlowOperationResponse),
  };
}

/** AWS's largest page: the newest 100 operations of a zone are what a poll compares. */
const SCOPE_PAGE = 100;

/**
 * Every operation of one firewall zone (or VPC endpoint association): an event when an operation
 * appears and one per status change. The first poll is the baseline and pushes nothing, so a
 * subscriber hears of what happens after it subscribed.
 */
export function scopeTopic(
  scope: FlowOperationScope,
): Topic<FlowOperationMetadata[], FlowOperationMetadata> {
  return {
    id: `scope:${scopeCacheKey(scope)}`,
    poll: async (loaders) => {
      const page = await loaders.flowOperations.load({
        ...scopeToRequest(scope),
        MaxResults: SCOPE_PAGE,
      });
      return page.FlowOperations ?? [];
    },
    diff: (previous, next) => {
      if (previous === undefined) return [];
      const before = new Map(previous.map((op) => [op.FlowOperationId, op.FlowOperationStatus]));
      // Oldest first, so that a bot reads events in the order they happened.
      return next
        .filter((op) => before.get(op.FlowOperationId) !== op.FlowOperationStatus)
        .reverse();
    },
    snapshot: () => [],
    isFinal: () => false,
    decode: (raw) => (raw as FlowOperationMetadata[]).map(reviveTimestamp),
  };
}
