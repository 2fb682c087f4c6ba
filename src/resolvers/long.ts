import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { clip } from '../observability/clip.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Canonical decimal of at most 19 digits (|int64| < 10^19): bounded, so linear whatever is sent.
const DECIMAL = /^-?(?:0|[1-9]\d{0,18})$/;

function inInt64(value: bigint, shown: string): bigint {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new GraphQLError(`Long ${clip(shown, 64)} is outside the 64-bit range -2^63..2^63-1`);
  }
  return value;
}

/**
 * The exact value of a number, bigint or decimal string. A number beyond ±(2^53 - 1) is refused:
 * it has already been rounded somewhere, and passing it on would claim a precision it lacks.
 */
function exact(value: unknown): bigint {
  if (typeof value === 'bigint') return inInt64(value, value.toString());
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new GraphQLError(
        `Long cannot represent ${clip(String(value), 64)} exactly: a JSON number is exact only within ±(2^53 - 1); send larger values as a decimal string`,
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'string') {
    if (value.length > 20 || !DECIMAL.test(value)) {
      throw new GraphQLError(
        `Long must be an integer or a string of decimal digits, got ${JSON.stringify(clip(value, 64))}`,
      );
    }
    return inInt64(BigInt(value), value);
  }
  throw new GraphQLError('Long must be an integer or a string of decimal digits');
}

/** A JSON number where every parser reads it exactly, else its decimal digits as a string. */
function serialize(value: unknown): number | string {
  const n = exact(value);
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n.toString();
}

/**
 * Exact over all of int64 without breaking clients of the values that fit a double: within
 * ±(2^53 - 1) the wire form is the JSON number it always was; beyond, where a JSON number would be
 * rounded by JavaScript's JSON.parse, it is a string. `BigInt(value)` reads both forms exactly.
 */
export const Long = new GraphQLScalarType<bigint, number | string>({
  name: 'Long',
  serialize,
  parseValue: exact,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.STRING) {
      throw new GraphQLError('Long must be an integer or a string of decimal digits');
    }
    return exact(ast.value);
  },
});
