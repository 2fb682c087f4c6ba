import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * TRUST_PROXY: which peers may name the client in `X-Forwarded-For`. `false` (the default) trusts
 * none, and the client is the TCP peer. A number trusts that many hops nearest the gateway (one
 * load balancer: 1). A list trusts peers by address, CIDR or preset (`loopback`, `linklocal`,
 * `uniquelocal`), as Express's `trust proxy` does.
 */
export type TrustProxy = false | number | readonly string[];

/** The client's address for rate limits and logs, from the socket or a trusted proxy's header. */
export type ClientAddress = (request: IncomingMessage) => string;

/** Throws on an address or CIDR that is not one; config.ts reports it against TRUST_PROXY. */
const MAX_HOPS = 10;
/**
 * Entries of a TRUST_PROXY list: each is parsed at start-up and every trusted hop of every request
 * is checked against all of them, so the list stays at the size of a real proxy fleet.
 */
const MAX_LIST_ENTRIES = 64;

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    // More hops than there are proxies trusts what the client wrote itself: as bad as `true`.
    if (hops > MAX_HOPS) {
      throw new Error(
        `expected the exact number of proxies in front of the gateway (1 to ${MAX_HOPS}), got ${value}`,
      );
    }
    return hops;
  }
  if (value === 'true') {
    // Express's `true` believes any header, so any client could pick its own rate-limit bucket.
    throw new Error(
      "trusting every peer lets any client choose its address; give the hop count (1 to 10) or the proxies' addresses",
    );
  }
  const list = raw!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length > MAX_LIST_ENTRIES) {
    throw new Error(
      `at most ${MAX_LIST_ENTRIES} addresses, CIDRs or presets, got ${list.length}: use CIDRs`,
    );
  }
  const number = list.find((entry) => /^\d+$/.test(entry));
  if (number !== undefined) {
    throw new Error(
      `"${number}" in a list: give either one hop count, or addresses, CIDRs and loopback, linklocal, uniquelocal`,
    );
  }
  proxyaddr.compile(list); // validates: throws on an address or CIDR that is not one
  return list;
}

export function clientAddress(trust: TrustProxy): ClientAddress {
  if (trust === false) return (request) => request.socket.remoteAddress ?? 'unknown';
  const byAddress = typeof trust === 'number' ? undefined : proxyaddr.compile([...trust]);
  // proxy-addr walks X-Forwarded-For from the nearest hop while hops are trusted: a client inside
  // a trusted range could send thousands of trusted-looking entries (a header is up to 16 KB) and
  // have each parsed and checked. No deployment has more than MAX_HOPS proxies in a row.
  const trusted = byAddress
    ? (address: string, hop: number) => hop < MAX_HOPS && byAddress(address, hop)
    : (_address: string, hop: number) => hop < (trust as number);
  return (request) => proxyaddr(request, trusted) ?? 'unknown';
}
