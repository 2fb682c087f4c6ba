import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { MessageType } from 'graphql-ws';
import { DEFAULT_MAX_VARIABLE_DEPTH, nestsDeeperThan } from '../limits/depth.js';

/*
 * Server messages of the graphql-transport-ws protocol, built as text around a payload that is
 * already JSON: a cohort serializes each result once and only the id differs per member.
 */

export function nextMessage(id: string, payloadJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":${payloadJson}}`;
}

/**
 * `next` messages for one payload, built for many ids: the part after the id is concatenated once
 * per event instead of once per member (a cohort's fan-out writes it to thousands of sockets).
 */
export function nextMessages(payloadJson: string): (id: string) => string {
  const tail = `,"type":"${MessageType.Next}","payload":${payloadJson}}`;
  return (id) => `{"id":${JSON.stringify(id)}${tail}`;
}

export function errorMessage(id: string, errorsJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"${MessageType.Error}","payload":${errorsJson}}`;
}

export function completeMessage(id: string): string {
  return `{"id":${JSON.stringify(id)},"type":"${MessageType.Complete}"}`;
}

export function ackMessage(): string {
  return `{"type":"${MessageType.ConnectionAck}"}`;
}

/**
 * How deeply a ping's payload may nest to be echoed in the pong. JSON.stringify recurses: a 20 KB
 * ping nested 10,000 deep, sent before connection_init, overflowed the stack. The protocol makes
 * the payload optional, so a deeper one gets a pong without it.
 */
const MAX_PING_PAYLOAD_DEPTH = DEFAULT_MAX_VARIABLE_DEPTH;

export function pongMessage(payload: Record<string, unknown> | undefined): string {
  return JSON.stringify(
    payload && !nestsDeeperThan(payload, MAX_PING_PAYLOAD_DEPTH)
      ? { type: MessageType.Pong, payload }
      : { type: MessageType.Pong },
  );
}

/** RFC 6455 leaves 123 bytes for a close reason; ws throws on a longer one. */
const MAX_CLOSE_REASON_BYTES = 123;

/** `reason` cut to what a close frame holds (on a character boundary). */
export function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let fitted = '';
  for (const char of reason) {
    if (Buffer.byteLength(fitted + char) > MAX_CLOSE_REASON_BYTES) break;
    fitted += char;
  }
  return fitted;
}

type Format = (error: GraphQLFormattedError) => GraphQLFormattedError;

/** A result as a `next` payload, its errors formatted as HTTP formats them. */
export function resultJson(result: ExecutionResult, format: Format): string {
  try {
    return JSON.stringify(
      result.errors ? { ...result, errors: result.errors.map((e) => format(e.toJSON())) } : result,
    );
  } catch {
    // Scalars serialize before this point, so only a bug lands here: say so without internals.
    return JSON.stringify({ data: null, errors: [format({ message: 'Internal server error' })] });
  }
}

/** Errors as an `error` payload. */
export function errorsJson(errors: readonly GraphQLError[], format: Format): string {
  return JSON.stringify(errors.map((e) => format(e.toJSON())));
}
