/**
 * JSON with object keys sorted and undefined members dropped, so that two requests that differ
 * only in key order or in an explicit `undefined` share a key.
 */
export function canonicalJson(value: unknown): string {
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
