import DataLoader from 'dataloader';
import type {
  DescribeFirewallResponse,
  DescribeFlowOperationResponse,
  ListFirewallsResponse,
  ListFlowOperationResultsRequest,
  ListFlowOperationResultsResponse,
  ListFlowOperationsRequest,
  ListFlowOperationsResponse,
} from '@aws-sdk/client-network-firewall';
import type { NetworkFirewallApi } from '../aws/network-firewall-api.js';
import { targetKey } from '../aws/routing.js';
import type { Target } from '../aws/routing.js';
import { operationCacheKey, scopeToRequest } from '../model.js';
import type { FlowOperationKey } from '../model.js';
import { canonicalJson } from '../canonical-json.js';
import { settleWithConcurrency } from './concurrency.js';
import { inBatchSpan } from '../telemetry/loader-batch.js';

export interface Loaders {
  /** DescribeFlowOperation, once per unique operation per request. */
  flowOperation: DataLoader<FlowOperationKey, DescribeFlowOperationResponse, string>;
  /** ListFlowOperationResults pages, so that two aliases of the same page share one call. */
  flowOperationResults: DataLoader<
    ListFlowOperationResultsRequest,
    ListFlowOperationResultsResponse,
    string
  >;
  /** ListFlowOperations pages. */
  flowOperations: DataLoader<ListFlowOperationsRequest, ListFlowOperationsResponse, string>;
  /** DescribeFirewall by ARN. */
  firewall: DataLoader<string, DescribeFirewallResponse, string>;
  /** ListFirewalls pages, keyed by `NextToken|MaxResults`. */
  /** ListFirewalls pages of one (region, account) target. */
  firewalls: DataLoader<
    { nextToken?: string; maxResults: number; target?: Target },
    ListFirewallsResponse,
    string
  >;
}

/**
 * Where calls for a firewall ARN go: the request's routing (src/auth/targets.ts), already decided
 * by `authorize` for every ARN a caller named, so this is a lookup, not a parse.
 */
export type RouteArn = (firewallArn: string) => Target;

/** Told the size of every batch a loader dispatches, for the batch-size histogram. */
export type BatchObserver = (loader: string, size: number) => void;

function loader<K, V>(
  cacheKeyFn: (key: K) => string,
  concurrency: number,
  call: (key: K) => Promise<V>,
  observe?: { name: string; onBatch: BatchObserver | undefined },
): DataLoader<K, V, string> {
  const batch = (keys: readonly K[]) => {
    observe?.onBatch?.(observe.name, keys.length);
    return inBatchSpan(observe?.name ?? 'loader', keys.length, () =>
      settleWithConcurrency(keys, concurrency, call),
    );
  };
  return new DataLoader<K, V, string>(batch, {
    cacheKeyFn,
    // Network Firewall has no batch describe; the batch exists to dedupe keys and cap concurrency.
    maxBatchSize: 1000,
  });
}

function createFlowOperationLoader(
  api: NetworkFirewallApi,
  concurrency: number,
  route: RouteArn,
  onBatch?: BatchObserver,
): Loaders['flowOperation'] {
  return loader(
    operationCacheKey,
    concurrency,
    (key) =>
      api.describeFlowOperation(
        { ...scopeToRequest(key), FlowOperationId: key.flowOperationId },
        route(key.firewallArn),
      ),
    { name: 'flowOperation', onBatch },
  );
}

/** Built per request by the context factory, so that nothing is cached across callers. */
export function createLoaders(
  api: NetworkFirewallApi,
  concurrency: number,
  route: RouteArn,
  onBatch?: BatchObserver,
): Loaders {
  return {
    flowOperation: createFlowOperationLoader(api, concurrency, route, onBatch),
    flowOperationResults: loader(
      canonicalJson,
      concurrency,
      (request: ListFlowOperationResultsRequest) =>
        api.listFlowOperationResults(request, route(request.FirewallArn ?? '')),
      { name: 'flowOperationResults', onBatch },
    ),
    flowOperations: loader(
      canonicalJson,
      concurrency,
      (request: ListFlowOperationsRequest) =>
        api.listFlowOperations(request, route(request.FirewallArn ?? '')),
      {
        name: 'flowOperations',
        onBatch,
      },
    ),
    firewall: loader(
      (arn) => arn,
      concurrency,
      (arn) => api.describeFirewall({ FirewallArn: arn }, route(arn)),
      { name: 'firewall', onBatch },
    ),
    firewalls: loader(
      (key) =>
        `${key.target ? targetKey(key.target) : ''}|${key.nextToken ?? ''}|${key.maxResults}`,
      concurrency,
      (key) =>
        api.listFirewalls(
          {
            MaxResults: key.maxResults,
            ...(key.nextToken ? { NextToken: key.nextToken } : {}),
          },
          key.target,
        ),
      { name: 'firewalls', onBatch },
    ),
  };
}
