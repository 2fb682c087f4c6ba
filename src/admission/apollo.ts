import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { chargeUpstream, settleUpstream } from '../limits/upstream-budget.js';
import type { UpstreamCharge } from '../limits/upstream-budget.js';
import type { RateLimiter } from '../limits/rate-limit.js';
import { requestContext } from '../observability/request-context.js';
import { checkOperation } from './check.js';
import type { OperationLimits } from './check.js';
import { requestComplexity } from './complexity.js';

/**
 * An admission refusal as Apollo sends it over HTTP: the same message, code and extensions a
 * websocket gets, plus the HTTP status (429 with Retry-After for an exhausted budget, else 400).
 */
function overHttp(error: GatewayError): GraphQLError {
  const http =
    error.code === ErrorCode.RATE_LIMITED
      ? {
          status: 429,
          headers: new Map([['retry-after', String(error.extensions.retryAfterSeconds)]]),
        }
      : { status: 400 };
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http } });
}

/**
 * Apollo's adapter over the admission checks (src/admission/check.ts) and the AWS call budget
 * (UPSTREAM_CALLS_PER_MINUTE): Apollo has parsed (documentParseOptions) and validated; here, once
 * the operation is known and before any resolver, the variables, depth and cost are checked and
 * the cost charged, exactly as a websocket subscribe is (src/ws/operation.ts). The charge is
 * settled in willSendResponse, before the response leaves, so that the caller's next request
 * already sees the refund; `extensions.upstreamBudget` shows the account, as GitHub's `rateLimit`.
 */
export function admissionPlugin<C extends object>(
  limits: OperationLimits,
  budget: RateLimiter | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let charge: UpstreamCharge | undefined;
      // Apollo runs every plugin's didResolveOperation at once: another's refusal can send the
      // response while this one still waits on the budget (Redis is a round trip).
      let responded = false;
      return {
        async didResolveOperation({ schema, document, operationName, request, operation }) {
          // No operation: execute() refuses it, with Apollo's code, and nothing runs.
          if (!operation) return;
          const op = { schema, document, operationName, variables: request.variables };
          const checked = checkOperation(op, limits, () =>
            requestComplexity({ schema, document, operationName, request }),
          );
          if (!checked.ok) throw overHttp(checked.error);
          const key = requestContext.getStore()?.caller;
          if (!budget || !key) return;
          const outcome = await chargeUpstream(budget, key, checked.complexity);
          if (outcome && !('decision' in outcome)) throw overHttp(outcome);
          if (outcome && responded) {
            // Nothing ran and nothing will: give it all back.
            await settleUpstream(budget, outcome);
            return;
          }
          charge = outcome;
        },
        async willSendResponse({ response }) {
          responded = true;
          if (!charge || !budget) return;
          const settled = await settleUpstream(budget, charge);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            upstreamBudget: {
              cost: settled.cost,
              spent: settled.spent,
              ...(settled.remaining === undefined ? {} : { remaining: settled.remaining }),
            },
          };
        },
      };
    },
  };
}
