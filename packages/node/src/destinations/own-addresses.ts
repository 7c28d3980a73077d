/**
 * Decision 21: the addresses this gateway listens on (traffic listeners and the admin port). A
 * backend, Backend host or mirror that resolves to one of them would send the gateway's traffic
 * back into itself: a loop, or (with two mirrors) a storm that outlives its request; pointed at
 * the admin port, a route would publish `/metrics`. Such a destination is refused before any
 * connection is opened.
 *
 * A server listening on an unspecified address (`0.0.0.0`, `::`) is reachable at every local
 * address: loopback, every interface's address, and the unspecified address itself.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** How long the list of interface addresses is reused (interfaces rarely change). */
const INTERFACES_TTL_MS = 5_000;

const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/u;

/**
 * One spelling per address, so that equal addresses compare equal: IPv6 compressed and lower
 * case (the URL parser's form), brackets and zone dropped, IPv4-mapped IPv6 (`::ffff:7f00:1`,
 * `::ffff:127.0.0.1`) as the IPv4 address it stands for. Anything else is returned as given.
 */
export function canonicalIp(ip: string): string {
  let text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const percent = text.indexOf('%');
  if (percent >= 0) text = text.slice(0, percent);
  if (!isIPv6(text)) return text;
  text = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_HEX.exec(text);
  if (mapped === null) return text;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** On a canonical address. */
function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** On a canonical address. */
function isLoopback(ip: string): boolean {
  return isIPv4(ip) ? ip.startsWith('127.') : ip === '::1';
}

let interfaceCache: { readonly at: number; readonly addresses: ReadonlySet<string> } | undefined;

function interfaceAddresses(): ReadonlySet<string> {
  const now = Date.now();
  if (interfaceCache !== undefined && now - interfaceCache.at < INTERFACES_TTL_MS) {
    return interfaceCache.addresses;
  }
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) addresses.add(canonicalIp(entry.address));
  }
  interfaceCache = { at: now, addresses };
  return addresses;
}

/** True when a connection to `ip` stays on this machine. */
export function isLocalAddress(ip: string): boolean {
  const canonical = canonicalIp(ip);
  return isUnspecified(canonical) || isLoopback(canonical) || interfaceAddresses().has(canonical);
}

/** The listening addresses of one gateway; `has` answers whether a destination is one of them. */
export class OwnAddresses {
  /** port -> canonical listening IPs on that port. */
  private readonly byPort = new Map<number, Map<string, number>>();

  /** Records a listening address (as `server.address()` reports it). */
  add(address: { readonly address: string; readonly port: number }): void {
    const ip = canonicalIp(address.address);
    let ips = this.byPort.get(address.port);
    if (ips === undefined) this.byPort.set(address.port, (ips = new Map()));
    ips.set(ip, (ips.get(ip) ?? 0) + 1);
  }

  /** Forgets a listening address recorded by `add` (the server closed). */
  delete(address: { readonly address: string; readonly port: number }): void {
    const ips = this.byPort.get(address.port);
    const ip = canonicalIp(address.address);
    const count = ips?.get(ip);
    if (ips === undefined || count === undefined) return;
    if (count > 1) ips.set(ip, count - 1);
    else ips.delete(ip);
    if (ips.size === 0) this.byPort.delete(address.port);
  }

  /** True when a connection to `ip`:`port` would reach one of the recorded servers. */
  has(ip: string, port: number): boolean {
    const ips = this.byPort.get(port);
    if (ips === undefined) return false;
    const destination = canonicalIp(ip);
    // Connecting to 0.0.0.0 or :: reaches whatever listens locally on that port.
    if (isUnspecified(destination)) return true;
    for (const own of ips.keys()) {
      if (own === destination) return true;
      if (isUnspecified(own) && isLocalAddress(destination)) return true;
    }
    return false;
  }
}
