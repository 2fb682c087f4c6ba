import { QueryTooComplexError, RateLimitedError } from '../errors.js';
import { requestContext } from '../observability/request-context.js';
import type { Complexity } from '../admission/complexity.js';
import type { RateDecision, RateLimiter } from './rate-limit.js';

/**
 * UPSTREAM_CALLS_PER_MINUTE: a budget of AWS calls per caller, since a request limit alone lets
 * one key spend the account's shared API quota (100 aliases a request, 600 requests a minute).
 * Like GitHub's and Shopify's GraphQL APIs, an operation is charged its computed cost before it
 * runs, and what it did not spend (cache hits, coalesced calls) is given back after it.
 */
export interface UpstreamCharge {
  key: string;
  cost: number;
  decision: Extract<RateDecision, { ok: true }>;
}

/** The refusal of an operation the caller's budget cannot pay for, over HTTP and websockets. */
function budgetRefusal(cost: number, retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError(
    `This operation may make ${cost} AWS calls, more than is left of this caller's budget for the minute (UPSTREAM_CALLS_PER_MINUTE); retry after ${retryAfterSeconds} s`,
    { retryAfterSeconds, cost },
  );
}

/**
 * Charges `key` the cost of an operation about to run (measured once, by the cost limit), or
 * answers the refusal. The request's count of AWS calls starts here, for the settlement.
 */
export async function chargeUpstream(
  budget: RateLimiter,
  key: string,
  complexity: Complexity | undefined,
): Promise<UpstreamCharge | RateLimitedError | QueryTooComplexError | undefined> {
  if (!complexity || complexity.cost === 0) return undefined;
  // Never affordable, however long the caller waits: a Retry-After would be a lie.
  if (complexity.cost > budget.perMinute) {
    return new QueryTooComplexError(
      `The operation costs ${complexity.cost}, above UPSTREAM_CALLS_PER_MINUTE (${budget.perMinute}): ask for fewer items (first), aliases or fields that load from AWS`,
      { cost: complexity.cost, maxCost: budget.perMinute },
    );
  }
  const decision = await budget.take(key, complexity.cost);
  if (!decision.ok) return budgetRefusal(complexity.cost, decision.retryAfterSeconds);
  const store = requestContext.getStore();
  if (store) store.awsCalls = 0;
  return { key, cost: complexity.cost, decision };
}

/** After the operation: its charge settled against the AWS calls it really made. */
export async function settleUpstream(
  budget: RateLimiter,
  charge: UpstreamCharge,
): Promise<{ cost: number; spent: number; remaining: number | undefined }> {
  const spent = requestContext.getStore()?.awsCalls ?? 0;
  const remaining = await budget.settle(charge.key, charge.cost, spent, charge.decision);
  return { cost: charge.cost, spent, remaining };
}
