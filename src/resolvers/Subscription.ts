import type { SubscriptionResolvers } from '../generated/graphql.js';
import type { FlowOperationModel } from '../model.js';
import { validateOperationKey } from '../validation/inputs.js';
import { operationModel } from './FlowOperation.js';

async function* models(
  key: FlowOperationModel['key'],
  states: AsyncIterableIterator<FlowOperationModel['data']>,
): AsyncGenerator<FlowOperationModel> {
  try {
    for await (const state of states) yield operationModel(key, state, true);
  } finally {
    // A client that unsubscribes ends this generator; pass that on so the poller forgets it.
    await states.return?.();
  }
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
