/**
 * Decision 22: where the gateway may connect. A kgateway static `Backend` (or an ExternalName, or
 * any DNS answer) lets a tenant name an arbitrary host; without a policy, a route could reach the
 * cloud metadata service and hand its credentials to whoever calls the route. Link-local and
 * metadata addresses are denied by default; `deny` adds ranges, `allow` makes exceptions that win
 * over every deny (defaults included).
 */
import { BlockList, isIP } from 'node:net';
import { InvalidOptionError } from '../errors.js';
import { canonicalIp } from './own-addresses.js';

/** Where the proxy may open connections (every backend, Backend host, mirror and upgrade). */
export interface DestinationPolicy {
  /** More ranges to refuse, as CIDRs (`10.0.0.0/8`) or addresses; added to the defaults. */
  readonly deny?: readonly string[];
  /** Ranges to permit even when a deny (or a default) covers them, e.g. `169.254.10.0/24`. */
  readonly allow?: readonly string[];
}

/**
 * Denied unless allowed: IPv4 and IPv6 link-local (169.254.0.0/16 holds the AWS, GCP and Azure
 * metadata service at 169.254.169.254), the same range through the well-known NAT64 prefix (an
 * IPv6-only cluster reaches it there), Alibaba Cloud's metadata address, AWS's IPv6 metadata
 * address, and the unspecified addresses: a connection to `0.0.0.0` or `::` lands on this host,
 * which would walk around a deny of `127.0.0.0/8`, and no real backend lives there.
 */
export const DEFAULT_DENIED_DESTINATIONS: readonly string[] = Object.freeze([
  '169.254.0.0/16',
  'fe80::/10',
  '64:ff9b::a9fe:0/112',
  '100.100.100.200/32',
  'fd00:ec2::254/128',
  '0.0.0.0/8',
  '::/128',
]);

/** Parses `text` (`a.b.c.d/n`, `x::/n`, or a bare address) into `list`, or throws naming `field`. */
function addRange(list: BlockList, text: string, field: string): void {
  const slash = text.indexOf('/');
  const ip = canonicalIp(slash < 0 ? text : text.slice(0, slash));
  const family = isIP(ip);
  if (family === 0) {
    throw new InvalidOptionError(
      `${field}: "${text}" is not an IP address or CIDR range; write e.g. 10.0.0.0/8 or fd00::/8`,
    );
  }
  const max = family === 4 ? 32 : 128;
  const prefix = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || !/^\d+$/.test(String(prefix))) {
    throw new InvalidOptionError(
      `${field}: "${text}" has an invalid prefix length; use 0-${max} for IPv${family}`,
    );
  }
  list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** The compiled policy: `permits(ip)` is false for a refused destination. */
export class DestinationRules {
  private readonly deny = new BlockList();
  private readonly allow = new BlockList();
  private readonly hasAllow: boolean;

  constructor(policy: DestinationPolicy = {}) {
    DEFAULT_DENIED_DESTINATIONS.forEach((range) => addRange(this.deny, range, 'default'));
    (policy.deny ?? []).forEach((range, i) =>
      addRange(this.deny, range, `destinations.deny[${i}]`),
    );
    const allow = policy.allow ?? [];
    allow.forEach((range, i) => addRange(this.allow, range, `destinations.allow[${i}]`));
    this.hasAllow = allow.length > 0;
  }

  /** True when the proxy may connect to `ip` (an IPv4 or IPv6 address, any notation). */
  permits(ip: string): boolean {
    const canonical = canonicalIp(ip);
    const type = isIP(canonical) === 4 ? 'ipv4' : 'ipv6';
    if (this.hasAllow && this.allow.check(canonical, type)) return true;
    return !this.deny.check(canonical, type);
  }
}
