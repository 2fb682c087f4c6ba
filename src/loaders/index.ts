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
  onBatch?: BatchObserver,
): Loaders['flowOperation'] {
  return loader(
    operationCacheKey,
    concurrency,
    (key) =>
      api.describeFlowOperation({ ...scopeToRequest(key), FlowOperationId: key.flowOperationId }),
    { name: 'flowOperation', onBatch },
  );
}

/** Built per request by the context factory, so that nothing is cached across callers. */
export function createLoaders(
  api: NetworkFirewallApi,
  concurrency: number,
  onBatch?: BatchObserver,
): Loaders {
  return {
    flowOperation: createFlowOperationLoader(api, concurrency, onBatch),
    flowOperationResults: loader(
      canonicalJson,
      concurrency,
      (request: ListFlowOperationResultsRequest) => api.listFlowOperationResults(request),
      { name: 'flowOperationResults', onBatch },
    ),
    flowOperations: loader(
      canonicalJson,
      concurrency,
      (request: ListFlowOperationsRequest) => api.listFlowOperations(request),
      {
        name: 'flowOperations',
        onBatch,
      },
    ),
    firewall: loader(
      (arn) => arn,
      concurrency,
      (arn) => api.describeFirewall({ FirewallArn: arn }),
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
