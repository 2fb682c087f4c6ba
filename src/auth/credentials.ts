/** `Bearer <credential>` (scheme case-insensitive, RFC 6750); anything else is no credential. */
export function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return m?.[1];
}

/** HTTP: `Authorization: Bearer <key or token>`, else `x-api-key: <key>`. */
export function credentialFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) return bearer(authorization);
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/** graphql-ws: the `connection_init` payload, `{"authorization": "Bearer <key or token>"}`. */
export function credentialFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (!params) return undefined;
  return bearer(params.authorization ?? params.Authorization);
}
