import { createHash } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { SubscribePayload } from 'graphql-ws';
import { operationAttributes, operationSpanName } from './operation-attributes.js';
import { tracer } from './tracer.js';

// W3C trace context, version 00: fixed length and positions, so a linear check (no backtracking).
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACEPARENT_LENGTH = 55;

/** The `traceparent` a client put in a subscribe message's `extensions`, when well formed. */
function traceparentOf(payload: SubscribePayload): string | undefined {
  const value = payload.extensions?.traceparent;
  if (typeof value !== 'string' || value.length !== TRACEPARENT_LENGTH) return undefined;
  return TRACEPARENT.test(value) ? value : undefined;
}

/**
 * A websocket `subscribe` message gets a trace of its own, as an HTTP request does (the socket's
 * upgrade request was one trace, long ago): continued from `extensions.traceparent` when the
 * client sent one. The span lasts until the operation's answer is sent (a query or mutation) or
 * its shared execution is joined (a subscription); the poll ticks and pushes that follow link to it.
 */
export function inSubscribeSpan(
  payload: SubscribePayload,
  run: () => Promise<void>,
): Promise<void> {
  const traceparent = traceparentOf(payload);
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  return tracer.startActiveSpan(
    'graphql.subscribe',
    { kind: SpanKind.SERVER, attributes: { 'network.transport': 'websocket' } },
    parent,
    (span) => run().finally(() => span.end()),
  );
}

/** Names the current subscribe span after its operation, once the document is admitted. */
export function describeSubscribeSpan(
  type: string,
  name: string | null | undefined,
  query: string,
  cost: number | undefined,
): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.updateName(operationSpanName(type, name ?? undefined));
  span.setAttributes(
    operationAttributes({
      type,
      name: name ?? undefined,
      // The same SHA-256 of the text as Apollo's queryHash on HTTP, so both transports match.
      documentHash: createHash('sha256').update(query).digest('hex'),
      cost,
    }),
  );
}

/** A subscribe refused (limits, validation, rate): the span says with which code. */
export function refuseSubscribeSpan(code: unknown): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const errorCode = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  span.setAttribute('graphql.error.code', errorCode);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
}
