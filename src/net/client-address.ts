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
  const trusted =
    typeof trust === 'number'
      ? (_address: string, hop: number) => hop < trust
      : proxyaddr.compile([...trust]);
  return (request) => proxyaddr(request, trusted) ?? 'unknown';
}
