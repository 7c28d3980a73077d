/**
 * Forwarding headers at the edge (decision 16) and the gateway's `Via` (decision 21). By default
 * the gateway is the edge: whatever a client says about the original scheme, host or port is
 * replaced by what the gateway saw, `Forwarded` becomes the gateway's own element, and only
 * `X-Forwarded-For` is extended (its last entry is always the address the gateway saw). Behind
 * trusted proxies (their addresses or CIDRs, or "every peer is a proxy" with a hop count) the
 * values they set are kept and extended instead.
 */
import { BlockList, isIPv6 } from 'node:net';
import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from './errors.js';

/** Who may set forwarding headers that the gateway keeps. */
export interface TrustedProxies {
  /** Peer addresses or CIDRs (`10.0.0.0/8`, `::1`) whose forwarding headers are kept. */
  readonly addresses?: readonly string[];
  /**
   * Proxies in front of the gateway: any value above 0 trusts every peer (the gateway is never
   * reached directly). Use `addresses` when the proxies are known.
   */
  readonly hops?: number;
}

/** How forwarding headers are written for one engine. */
export interface ForwardingPolicy {
  /** True when the peer's forwarding headers are kept and extended. */
  trusts(remoteAddress: string | undefined): boolean;
}

/** A policy from the `trustedProxies` option; throws `InvalidOptionError` on a bad address. */
export function forwardingPolicy(trusted: TrustedProxies | undefined): ForwardingPolicy {
  const hops = trusted?.hops ?? 0;
  if (!Number.isInteger(hops) || hops < 0) {
    throw new InvalidOptionError('trustedProxies.hops must be a whole number >= 0');
  }
  if (hops > 0) return { trusts: () => true };
  const addresses = trusted?.addresses ?? [];
  if (addresses.length === 0) return { trusts: () => false };
  const list = new BlockList();
  for (const entry of addresses) addToList(list, entry);
  return {
    trusts: (remote) => {
      if (remote === undefined) return false;
      const address = unmapped(remote);
      return list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
    },
  };
}

function addToList(list: BlockList, entry: string): void {
  const [address, bits] = entry.split('/');
  const family = isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
  try {
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  } catch {
    throw new InvalidOptionError(
      `trustedProxies.addresses: "${entry}" is not an IP address or CIDR (use 10.0.0.0/8 or ::1)`,
    );
  }
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** One RFC 7239 element for this hop: `for=...;host=...;proto=...`. */
export function forwardedElement(
  remoteAddress: string | undefined,
  host: string | undefined,
  proto: string,
): string {
  const remote = remoteAddress === undefined ? 'unknown' : unmapped(remoteAddress);
  const parts = [`for=${isIPv6(remote) ? `"[${remote}]"` : remote}`];
  if (host !== undefined) parts.push(`host=${quoteIfNeeded(host)}`);
  parts.push(`proto=${proto}`);
  return parts.join(';');
}

function quoteIfNeeded(value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '')}"`;
}

/**
 * The gateway's `Via` pseudonym: the given one, or `switchyard-<8 hex>` chosen once per process,
 * so that two gateways never take each other for themselves.
 */
export function viaPseudonym(given: string | undefined): string {
  if (given === undefined) return processPseudonym;
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(given)) {
    throw new InvalidOptionError(
      `via: "${given}" is not a token (letters, digits and !#$%&'*+.^_\`|~-, at most 64)`,
    );
  }
  return given;
}

const processPseudonym = `switchyard-${randomBytes(4).toString('hex')}`;

/** True when a `Via` value (all hops, comma-joined) names `pseudonym` as a receiver. */
export function viaNames(via: string | undefined, pseudonym: string): boolean {
  if (via === undefined) return false;
  for (const hop of via.split(',')) {
    // `Via: 1.1 name (comment)`: received-by is the second word.
    const words = hop.trim().split(/\s+/);
    if (words[1] !== undefined && words[1].toLowerCase() === pseudonym.toLowerCase()) return true;
  }
  return false;
}
