import type { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { LimitExceededError } from '../errors.js';

/**
 * graphql-ws `onSubscribe` hook: one socket may hold at most `max` subscriptions, so a single
 * client cannot make the gateway watch an unbounded number of operations. The new subscription
 * gets LIMIT_EXCEEDED; the socket and its other subscriptions stay up.
 */
export function subscriptionLimit(
  ctx: Context<Record<string, unknown> | undefined, unknown>,
  max: number,
): readonly GraphQLError[] | undefined {
  // The subscription being set up is already registered when onSubscribe runs.
  const open = Object.keys(ctx.subscriptions).length;
  if (open > max) {
    return [
      new LimitExceededError(
        `This connection already holds ${max} subscriptions (WS_MAX_SUBSCRIPTIONS); complete one first`,
      ),
    ];
  }
  return undefined;
}
