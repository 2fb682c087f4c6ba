import { Readable } from 'node:stream';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';

/**
 * AWS's JSON carries Long members (a flow's ByteCount and PacketCount) as JSON numbers, and the
 * SDK reads a body with JSON.parse, which rounds an integer beyond ±(2^53 - 1) to the nearest
 * double: 9007199254740993 arrives as 9007199254740992, with nothing to say so.
 *
 * This rewrites each such integer, outside strings, into a JSON string of its digits before the
 * SDK parses the body. The SDK passes a string through for a numeric member, so the value reaches
 * the `Long` scalar as its exact decimal text. Integers within the safe range, fractions and
 * exponents are left as written. One pass over the text, no regex, no recursion.
 */
export function quoteUnsafeIntegers(json: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < json.length) {
        const s = json.charCodeAt(i);
        if (s === 0x5c /* \ */) i += 2;
        else if (s === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c !== 0x2d /* - */ && !isDigit(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 0x2d) i++;
    const digitsStart = i;
    while (i < json.length && isDigit(json.charCodeAt(i))) i++;
    const digits = i - digitsStart;
    const next = json.charCodeAt(i);
    const integer = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45; /* E */
    // 16 digits is the shortest text that can exceed 2^53 - 1 (9007199254740991).
    if (integer && digits >= 16 && !Number.isSafeInteger(Number(json.slice(start, i)))) {
      out += `${json.slice(copiedTo, start)}"${json.slice(start, i)}"`;
      copiedTo = i;
    }
    // A fraction or an exponent is skipped whole, so its digits are not read as an integer.
    while (i < json.length && isNumberChar(json.charCodeAt(i))) i++;
  }
  return copiedTo === 0 ? json : out + json.slice(copiedTo);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/**
 * The body's bytes, read with stream events rather than `for await` (whose async iterator costs
 * a promise per chunk: 2% of a subscription poll's CPU), without a copy when it came in one chunk.
 */
function readAll(body: unknown): Promise<Buffer | undefined> | Buffer | undefined {
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof Readable) {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      // Node hands each chunk over as a buffer of its own: kept, not copied.
      body.on('data', (chunk: Buffer | string) =>
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
      );
      body.once('error', reject);
      body.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    });
  }
  if (
    typeof (body as AsyncIterable<Uint8Array> | undefined)?.[Symbol.asyncIterator] !== 'function'
  ) {
    return undefined;
  }
  return (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  })();
}

/**
 * Runs innermost in the deserialize step, between the HTTP handler and the SDK's deserializer:
 * it buffers the body (the deserializer buffers it anyway) and hands on the rewritten bytes.
 */
function exactIntegersMiddleware<Output extends MetadataBearer>(
  next: DeserializeHandler<object, Output>,
): DeserializeHandler<object, Output> {
  return async (
    args: DeserializeHandlerArguments<object>,
  ): Promise<DeserializeHandlerOutput<Output>> => {
    const result = await next(args);
    const response = result.response as { body?: unknown } | undefined;
    if (response === undefined) return result;
    const bytes = await readAll(response.body);
    if (bytes !== undefined) {
      const text = bytes.toString('utf8');
      const quoted = quoteUnsafeIntegers(text);
      // Most bodies (every DescribeFlowOperation) have no such integer: hand on the same bytes.
      response.body = quoted === text ? bytes : Buffer.from(quoted);
    }
    return result;
  };
}

/** `client.middlewareStack.use(exactIntegers)`: Long members arrive exact, as decimal text. */
export const exactIntegers: Pluggable<object, MetadataBearer> = {
  applyToStack(stack) {
    stack.add(exactIntegersMiddleware, {
      name: 'exactIntegersMiddleware',
      step: 'deserialize',
      priority: 'low',
      override: true,
    });
  },
};
