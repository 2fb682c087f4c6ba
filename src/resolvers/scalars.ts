import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { clip } from '../observability/clip.js';

// RFC 3339 with a mandatory offset: a bare local time would be read in the server's zone.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError(`DateTime must be an RFC 3339 string such as 2026-11-25T17:04:48Z`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new GraphQLError(`DateTime ${clip(value, 64)} is not a real instant`);
  return date;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 / RFC 3339 instant in UTC, e.g. 2026-11-25T17:04:48.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

function toLong(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new GraphQLError(`Long must be a whole number within ±(2^53 - 1)`);
  }
  return n;
}

export const Long = new GraphQLScalarType<number, number>({
  name: 'Long',
  description: 'A 64-bit integer serialized as a JSON number, exact up to 2^53 - 1.',
  serialize: toLong,
  parseValue: toLong,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Long must be an integer literal');
    return toLong(Number(ast.value));
  },
});
