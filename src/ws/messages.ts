import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { MessageType } from 'graphql-ws';

/*
 * Server messages of the graphql-transport-ws protocol, built as text around a payload that is
 * already JSON: a cohort serializes each result once and only the id differs per member.
 */

export function nextMessage(id: string, payloadJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":${payloadJson}}`;
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

export function pongMessage(payload: Record<string, unknown> | undefined): string {
  return JSON.stringify(payload ? { type: MessageType.Pong, payload } : { type: MessageType.Pong });
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
