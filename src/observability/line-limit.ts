import type { DestinationStream } from 'pino';
import { clip, clipDeep } from './clip.js';

/** No log line is longer than this, whatever a caller sent: log shippers split or drop longer ones. */
export const MAX_LOG_LINE_BYTES = 8192;

// Top-level fields that say what a line is about; kept (clipped) when nothing else fits.
const ESSENTIAL = [
  'level',
  'time',
  'service',
  'requestId',
  'audit',
  'action',
  'outcome',
  'principal',
  'flowOperationId',
  'msg',
];

/**
 * Wraps where pino writes, so that no line exceeds `maxBytes`. This is the one place every line
 * passes through as its final bytes: pino's `formatters.log` and `hooks.logMethod` see neither the
 * child loggers' bindings (serialized once, when the child is made) nor, for `formatters.log`,
 * the message, so a caller's text reaching either would bypass them. A line within the bound is
 * written untouched; a longer one (rare: fields are clipped where they are logged) is parsed,
 * clipped and re-serialized, so it stays one valid JSON object, marked `truncatedFrom`.
 */
export function limitLineLength(
  inner: DestinationStream,
  maxBytes = MAX_LOG_LINE_BYTES,
): DestinationStream {
  const flushable = inner as DestinationStream & { flush?: (cb?: (err?: Error) => void) => void };
  return {
    write(line: string) {
      // A UTF-16 unit is at most 3 bytes of UTF-8: most lines skip the exact count.
      if (line.length * 3 <= maxBytes || Buffer.byteLength(line) <= maxBytes) {
        return inner.write(line);
      }
      return inner.write(shrink(line, maxBytes));
    },
    // logger.flush() reaches the real destination.
    flush(cb?: (err?: Error) => void) {
      if (flushable.flush) flushable.flush(cb);
      else cb?.();
    },
  } as DestinationStream;
}

function fits(text: string, maxBytes: number): boolean {
  return Buffer.byteLength(text) + 1 <= maxBytes;
}

/** The line as valid JSON of at most `maxBytes` bytes, newline included. */
function shrink(line: string, maxBytes = MAX_LOG_LINE_BYTES): string {
  const originalBytes = Buffer.byteLength(line);
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    record =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : { msg: String(parsed) };
  } catch {
    record = { msg: 'unparseable log line' };
  }
  // Each step keeps less of every value; the last keeps only what names the event.
  for (const options of [
    { maxString: 1024, maxDepth: 6, maxEntries: 50 },
    { maxString: 256, maxDepth: 4, maxEntries: 20 },
    { maxString: 64, maxDepth: 3, maxEntries: 10 },
  ]) {
    const text = JSON.stringify({
      ...(clipDeep(record, options) as Record<string, unknown>),
      truncatedFrom: originalBytes,
    });
    if (fits(text, maxBytes)) return `${text}\n`;
  }
  const essential: Record<string, unknown> = {};
  for (const key of ESSENTIAL) {
    if (key in record) essential[key] = clipDeep(record[key], { maxString: 128, maxDepth: 2 });
  }
  const text = JSON.stringify({ ...essential, truncatedFrom: originalBytes });
  if (fits(text, maxBytes)) return `${text}\n`;
  return `${JSON.stringify({ level: record.level, msg: clip(typeof record.msg === 'string' ? record.msg : '', 128), truncatedFrom: originalBytes })}\n`;
}
