import { authorize } from '../auth/authorize.js';
import type { GatewayContext } from '../context.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';
import type { FlowOperationModel } from '../model.js';
import { operationTopic, scopeTopic } from '../subscriptions/topics.js';
import { validateOperationKey, validateScope } from '../validation/inputs.js';
import { operationFromMetadata, operationModel } from './FlowOperation.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * Maps events to models without an async generator: a generator's return() waits for its pending
 * await, so an unsubscribe would hang until the next event and the poller would keep polling for
 * a client that has left. This iterator forwards return() at once. A class, not an object of
 * closures: one lives per subscription execution for its whole life. @graphql-tools/utils'
 * mapAsyncIterator is such an object of closures: 0.6 KB more per execution (BENCHMARKS.md).
 */
class MappedEvents<E> implements AsyncIterableIterator<FlowOperationModel> {
  constructor(
    private readonly events: AsyncIterableIterator<E>,
    private readonly toModel: (event: E) => FlowOperationModel,
  ) {}

  // Not async: an async function keeps a suspended frame per idle subscriber.
  next(): Promise<IteratorResult<FlowOperationModel>> {
    return this.events
      .next()
      .then((result) => (result.done ? DONE : { value: this.toModel(result.value), done: false }));
  }

  async return(): Promise<IteratorResult<FlowOperationModel>> {
    await this.events.return?.();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<FlowOperationModel>> {
    await this.events.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function fresh(
  payload: FlowOperationModel,
  _args: unknown,
  ctx: GatewayContext,
): FlowOperationModel {
  ctx.refreshLoaders();
  return payload;
}

export const Subscription: SubscriptionResolvers = {
  flowOperationStatusChanged: {
    subscribe: async (_parent, args, ctx) => {
      const firewall = authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
      const key = validateOperationKey(args, firewall);
      const events = await ctx.subscriptions.subscribe(operationTopic(key));
      return new MappedEvents(events, (state) => operationModel(key, state, true));
    },
    resolve: fresh,
  },
  flowOperationEvents: {
    subscribe: async (_parent, args, ctx) => {
      const firewall = authorize(ctx, 'read', { arn: args.firewallArn, path: 'firewallArn' });
      const scope = validateScope(args, '', firewall);
      const events = await ctx.subscriptions.subscribe(scopeTopic(scope));
      return new MappedEvents(events, (item) => operationFromMetadata(scope, item));
    },
    resolve: fresh,
  },
};
