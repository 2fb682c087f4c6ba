import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { requestComplexity } from '../admission/complexity.js';
import { operationAttributes, operationSpanName } from './operation-attributes.js';
import { tracer } from './tracer.js';

// The spans this module opened, so that the plugin never decorates another (the HTTP span).
const operationSpans = new WeakSet<Span>();

/**
 * Express middleware in front of Apollo: opens the GraphQL operation's span and makes it current
 * for everything Apollo does for the request, resolvers, DataLoader batches and AWS calls
 * included, which Apollo's plugin hooks cannot do (they observe, they do not wrap). The span is
 * named and described once Apollo has resolved the operation (`graphqlOperationSpanPlugin`).
 */
export function graphqlOperationSpan(_req: Request, res: Response, next: NextFunction): void {
  const span = tracer.startSpan('graphql.operation', { kind: SpanKind.INTERNAL });
  // Tracing off (or not sampled): nothing to make current, no listener to add.
  if (!span.isRecording()) {
    next();
    return;
  }
  operationSpans.add(span);
  // 'close' follows the response's end, and a client that went away too: the span always ends.
  res.once('close', () => span.end());
  context.with(trace.setSpan(context.active(), span), next);
}

/** Names the current operation span and records what is known of the operation (no text of it). */
export function graphqlOperationSpanPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span || !operationSpans.has(span)) return undefined;
      return {
        async didResolveOperation(rc) {
          const type = rc.operation?.operation ?? 'query';
          const name = rc.operationName ?? undefined;
          span.updateName(operationSpanName(type, name));
          span.setAttributes(
            operationAttributes({
              type,
              name,
              documentHash: rc.queryHash,
              cost: requestComplexity(rc)?.cost,
            }),
          );
        },
        async willSendResponse(rc) {
          const code = rc.errors?.[0]?.extensions?.code;
          if (!rc.errors?.length) return;
          // The code, never the message: messages may quote the caller's variables.
          const errorCode = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
          span.setAttribute('graphql.error.code', errorCode);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
        },
      };
    },
  };
}
