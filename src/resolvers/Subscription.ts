import type { SubscriptionResolvers } from '../generated/graphql.js';
import type { FlowOperationModel } from '../model.js';
import { validateOperationKey } from '../validation/inputs.js';
import { operationModel } from './FlowOperation.js';

/**
 * Maps states to models without an async generator: a generator's return() waits for its pending
 * await, so an unsubscribe would hang until the next status change and the poller would keep
 * polling for a client that has left. This iterator forwards return() at once.
 */
function models(
  key: FlowOperationModel['key'],
  states: AsyncIterableIterator<FlowOperationModel['data']>,
): AsyncIterableIterator<FlowOperationModel> {
  const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
  return {
    async next() {
      const result = await states.next();
      return result.done ? done : { value: operationModel(key, result.value, true), done: false };
    },
    async return() {
      await states.return?.();
      return done;
    },
    async throw(error?: unknown) {
      await states.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export const Subscription: SubscriptionResolvers = {
  flowOperationStatusChanged: {
    subscribe: async (_parent, args, ctx) => {
      const key = validateOperationKey(args);
      return models(key, await ctx.poller.watch(key));
    },
    resolve: (payload: FlowOperationModel) => payload,
  },
};
