import { isIP } from 'node:net';

/**
 * The client's address, for sign-in limits and the audit log. It is the socket's peer, never a
 * header, unless the peer is one of SLUICE_TRUSTED_PROXIES: then the proxy's X-Forwarded-For is
 * believed, read from the right (the entries the trusted proxies appended) up to the first address
 * that is not a trusted proxy. A client can write anything to the left of that; nothing it writes
 * is read.
 *
 * `peer` is null where the server cannot see the socket (a Next.js route handler): the header is
 * then believed only when the operator has said a trusted proxy fronts every request.
 */
export function clientAddressOf(peer: string | null, forwardedFor: string | undefined, trustedProxies: readonly string[]): string | null {
  const trusted = new Set(trustedProxies.map(normalAddress));
  const viaProxy = peer === null ? trusted.size > 0 : trusted.has(normalAddress(peer));
  if (!viaProxy || forwardedFor === undefined) return peer === null ? null : normalAddress(peer);
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalAddress(hops[i]!);
    if (isIP(hop) === 0) break;
    if (!trusted.has(hop)) return hop;
  }
  return peer === null ? null : normalAddress(peer);
}

/** `::ffff:10.0.0.1` (an IPv4 client of a dual-stack socket) → `10.0.0.1`; lowercased. */
export function normalAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(lower) ? lower.slice(7) : lower;
}
