import { MAX_VARIABLE_DEPTH_CEILING, variableDepthError } from './limits/depth.js';

/**
 * JSON with object keys sorted and undefined members dropped, so that two requests that differ
 * only in key order or in an explicit `undefined` share a key.
 *
 * JSON.stringify recurses once per level: a caller's 30,000 nested arrays overflowed the stack
 * here (a websocket closed with 4500). Both transports refuse such variables before this runs
 * (MAX_VARIABLE_DEPTH); this ceiling keeps any other caller of this function safe too, and its
 * refusal is the caller's mistake (BAD_USER_INPUT), not a server error.
 */
export function canonicalJson(value: unknown): string {
  const tooDeep = variableDepthError(value, MAX_VARIABLE_DEPTH_CEILING);
  if (tooDeep) throw tooDeep;
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const member = (v as Record<string, unknown>)[k];
      if (member !== undefined) sorted[k] = member;
    }
    return sorted;
  });
}
