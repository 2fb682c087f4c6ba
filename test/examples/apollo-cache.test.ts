import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filter, firstValueFrom, from } from 'rxjs';
import type { ObservableInput } from 'rxjs';
import WebSocket from 'ws';
import { createApolloGateway } from '../../examples/frontend/src/apollo.js';
import type { ApolloGateway } from '../../examples/frontend/src/apollo.js';
import {
  StartWatchedCaptureDocument,
  WatchedOperationDocument,
  WatchedOperationsDocument,
  WatchedOperationStatusDocument,
} from '../../examples/frontend/src/gql/graphql.js';
import type {
  StartFlowOperationInput,
  WatchedOperationsQuery,
} from '../../examples/frontend/src/gql/graphql.js';
import type { ObservableQuery } from '@apollo/client';
import { DEMO_ARN, DEMO_AZ, startGateway } from '../helpers/gateway.js';
import type { TestGateway } from '../helpers/gateway.js';

const input: StartFlowOperationInput = {
  firewallArn: DEMO_ARN,
  availabilityZone: DEMO_AZ,
  flowFilters: [{ destinationPort: '443' }],
};

/** The first value that passes `check`; the observable keeps running for other subscribers. */
function next<T>(source: ObservableInput<T>, check: (value: T) => boolean): Promise<T> {
  return firstValueFrom(from(source).pipe(filter(check)));
}

describe('Apollo Client 4 with a default InMemoryCache (no typePolicies)', () => {
  let gw: TestGateway;
  let apollo: ApolloGateway;
  /** HTTP requests Apollo sent, to tell a cache update from a refetch. */
  let requests = 0;

  before(async () => {
    // Operations stay IN_PROGRESS until the test completes them, so each step waits for an event.
    gw = await startGateway({ SIMULATOR_OPERATION_DELAY_MS: '600000' });
    apollo = createApolloGateway({
      url: gw.url,
      webSocketImpl: WebSocket,
      fetch: (url, init) => {
        requests += 1;
        return fetch(url, init);
      },
    });
  });
  after(async () => {
    await apollo.close();
    await gw.close();
  });
  beforeEach(() => apollo.client.clearStore());

  async function startCapture() {
    const started = await apollo.client.mutate({
      mutation: StartWatchedCaptureDocument,
      variables: { input },
    });
    assert.ok(started.data);
    return started.data.startFlowCapture;
  }

  /** Subscribes to an operation's status over graphql-ws; resolves once the first state is in. */
  async function followStatus(flowOperationId: string) {
    const pushes: (string | null | undefined)[] = [];
    const events = apollo.client.subscribe({
      query: WatchedOperationStatusDocument,
      variables: { arn: DEMO_ARN, az: DEMO_AZ, id: flowOperationId },
    });
    let done!: () => void;
    const completed = new Promise<void>((resolve) => (done = resolve));
    let first!: () => void;
    const started = new Promise<void>((resolve) => (first = resolve));
    events.subscribe({
      next: (result) => {
        assert.equal(result.error, undefined);
        pushes.push(result.data?.flowOperationStatusChanged.flowOperationStatus);
        first();
      },
      error: (error: unknown) => assert.fail(String(error)),
      complete: () => done(),
    });
    await started;
    return { pushes, completed };
  }

  it('a watched query of an operation turns COMPLETED when the status subscription pushes it, without a refetch', async () => {
    const operation = await startCapture();
    const key = `FlowOperation:${operation.id}`;
    const watched = apollo.client.watchQuery({
      query: WatchedOperationDocument,
      variables: { arn: DEMO_ARN, az: DEMO_AZ, id: operation.flowOperationId },
    });
    const statuses: (string | null | undefined)[] = [];
    const all = watched.subscribe((result) => {
      if (result.dataState === 'complete') {
        statuses.push(result.data.flowOperation?.flowOperationStatus);
      }
    });
    await next(watched, (r) => r.dataState === 'complete');
    const status = await followStatus(operation.flowOperationId);
    const fetched = requests;

    gw.sim.control.completeOperation(operation.flowOperationId);
    const completed = await next(
      watched,
      (r) =>
        r.dataState === 'complete' && r.data.flowOperation?.flowOperationStatus === 'COMPLETED',
    );
    await status.completed;
    all.unsubscribe();

    assert.equal(completed.data?.flowOperation?.id, operation.id);
    assert.deepEqual(status.pushes, ['IN_PROGRESS', 'COMPLETED']);
    assert.deepEqual(statuses, ['IN_PROGRESS', 'COMPLETED']);
    // The change reached the watched query through the cache, not over HTTP.
    assert.equal(requests, fetched);
    const cache = apollo.client.cache.extract() as Record<string, Record<string, unknown>>;
    assert.equal(cache[key]?.flowOperationStatus, 'COMPLETED');
    assert.equal(cache[key]?.flowOperationId, operation.flowOperationId);
    const root = cache.ROOT_QUERY ?? {};
    const field = Object.keys(root).find((k) => k.startsWith('flowOperation('));
    assert.deepEqual(field && root[field], { __ref: key });
  });

  it('a started capture appears in a watched flowOperations list after a refetch, as the same cache entry, and its pushes update the list', async () => {
    const watched = apollo.client.watchQuery({
      query: WatchedOperationsDocument,
      variables: { arn: DEMO_ARN, az: DEMO_AZ, first: 50 },
    });
    type ListResult = ObservableQuery.Result<WatchedOperationsQuery>;
    const listed = (r: ListResult, id: string) =>
      r.dataState === 'complete' && !!r.data.flowOperations?.edges.some((e) => e.node.id === id);
    const all = watched.subscribe(() => {});
    const shown = await next(watched, (r) => r.dataState === 'complete');
    if (shown.dataState !== 'complete') assert.fail('waited for complete data');
    const beforeIds = shown.data.flowOperations!.edges.map((e) => e.node.id);

    const operation = await startCapture();
    const key = `FlowOperation:${operation.id}`;
    assert.ok(!beforeIds.includes(operation.id));
    // The mutation result is normalized at once, under the id every other source gives it.
    let cache = apollo.client.cache.extract() as Record<string, Record<string, unknown>>;
    assert.equal(cache[key]?.flowOperationStatus, 'IN_PROGRESS');

    await watched.refetch();
    const refetched = await next(watched, (r) => listed(r, operation.id));
    if (refetched.dataState !== 'complete') assert.fail('listed() waits for complete data');
    const item = refetched.data.flowOperations!.edges.find((e) => e.node.id === operation.id)!.node;
    assert.equal(item.flowOperationId, operation.flowOperationId);
    assert.equal(item.flowOperationStatus, 'IN_PROGRESS');

    cache = apollo.client.cache.extract() as Record<string, Record<string, unknown>>;
    const entries = Object.keys(cache).filter((k) => k.startsWith('FlowOperation:'));
    const ids = refetched.data.flowOperations!.edges.map((e) => e.node.id);
    // One entry per operation: the list items and the mutation result share theirs.
    assert.deepEqual(entries.sort(), ids.map((id) => `FlowOperation:${id}`).sort());
    assert.ok(entries.includes(key));
    assert.ok(!Object.keys(cache).some((k) => k.startsWith('$ROOT_QUERY.')));

    // A push for the new operation shows in the list too, with no further request.
    const status = await followStatus(operation.flowOperationId);
    const fetched = requests;
    gw.sim.control.completeOperation(operation.flowOperationId);
    const updated = await next(
      watched,
      (r: ListResult) =>
        r.dataState === 'complete' &&
        !!r.data.flowOperations?.edges.some(
          (e) => e.node.id === operation.id && e.node.flowOperationStatus === 'COMPLETED',
        ),
    );
    await status.completed;
    all.unsubscribe();
    assert.equal(updated.data?.flowOperations?.edges?.length, ids.length);
    assert.equal(requests, fetched);
  });
});
