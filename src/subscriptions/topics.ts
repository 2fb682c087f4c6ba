import type {
  DescribeFlowOperationResponse,
  FlowOperationMetadata,
} from '@aws-sdk/client-network-firewall';
import { TERMINAL_STATUSES, operationCacheKey, scopeCacheKey, scopeToRequest } from '../model.js';
import type { FlowOperationKey, FlowOperationScope } from '../model.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';
import type { Topic } from './multiplexer.js';

/**
 * What a topic's events are, decided here and read everywhere else (the multiplexer, the
 * websocket cohorts): `state` when every event is the whole current state, so that a subscriber
 * joining late is owed the newest one at once, as a fresh subscription would have been sent it;
 * `changes` when events are a stream of changes, which a late subscriber hears of only from the
 * moment it joined.
 */
export type TopicKind = 'state' | 'changes';

/**
 * The one late-joiner replay, for every layer that serves subscribers from something already
 * running: the multiplexer (a new execution on a watched topic gets the topic's state) and the
 * websocket cohorts (a new member of a shared execution gets its newest payload).
 */
export function lateJoinerReplay<T>(kind: TopicKind, latest: T | undefined): T[] {
  return kind === 'state' && latest !== undefined ? [latest] : [];
}

/** The topic kind of each subscription field; a field without one does not compile. */
const SUBSCRIPTION_KINDS = {
  flowOperationStatusChanged: 'state',
  flowOperationEvents: 'changes',
} as const satisfies Record<keyof SubscriptionResolvers, TopicKind>;

/** The kind of the topic a subscription field reads, or undefined for no such field. */
export function subscriptionKind(field: string | undefined): TopicKind | undefined {
  return field !== undefined && Object.hasOwn(SUBSCRIPTION_KINDS, field)
    ? SUBSCRIPTION_KINDS[field as keyof typeof SUBSCRIPTION_KINDS]
    : undefined;
}

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
    kind: SUBSCRIPTION_KINDS.flowOperationStatusChanged,
    poll: (loaders) => loaders.flowOperation.load(key),
    diff: (previous, next) =>
      previous === undefined || statusSignature(previous) !== statusSignature(next) ? [next] : [],
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
    kind: SUBSCRIPTION_KINDS.flowOperationEvents,
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
    isFinal: () => false,
    decode: (raw) => (raw as FlowOperationMetadata[]).map(reviveTimestamp),
  };
}
