/**
 * Bounds for caller-supplied text in messages and log lines. A request body may be 1 MB, so any
 * value echoed whole can turn one request into megabytes of log or of error response; every
 * message and log field that carries caller text goes through one of these.
 */

/** Characters of one caller value kept in a message or log field. */
const CLIP_LENGTH = 256;

/** The value cut to `max` characters, followed by its full length, so a reader knows it was cut. */
export function clip(value: string, max = CLIP_LENGTH): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} chars)`;
}

/** Like `clip`, for optional values: null and undefined become null (an explicit JSON field). */
export function clipOptional(value: string | null | undefined, max = CLIP_LENGTH): string | null {
  return value == null ? null : clip(value, max);
}

export interface ClipDeepOptions {
  /** Characters kept of each string. */
  maxString?: number;
  /** Nesting kept; deeper values become a marker. Bounds the walk's recursion too. */
  maxDepth?: number;
  /** Items kept of each array, and keys of each object. */
  maxEntries?: number;
}

/**
 * A copy of a structured value (JSON-like: what GraphQL inputs and log fields are) with every
 * string clipped, arrays and objects cut to `maxEntries`, and nesting cut at `maxDepth`, so its
 * serialized size is bounded whatever the caller sent. Recursion is bounded by `maxDepth`.
 */
export function clipDeep(value: unknown, options: ClipDeepOptions = {}): unknown {
  const { maxString = CLIP_LENGTH, maxDepth = 4, maxEntries = 20 } = options;
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') return clip(node, maxString);
    if (node === null || typeof node !== 'object') {
      return typeof node === 'function' || typeof node === 'symbol' ? String(node) : node;
    }
    if (depth >= maxDepth) return Array.isArray(node) ? '[array]' : '[object]';
    if (Array.isArray(node)) {
      const kept = node.slice(0, maxEntries).map((item: unknown) => walk(item, depth + 1));
      if (node.length > maxEntries) kept.push(`… (${node.length} items)`);
      return kept;
    }
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      if (count++ === maxEntries) {
        out['…'] = 'more keys';
        break;
      }
      out[clip(key, maxString)] = walk((node as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
