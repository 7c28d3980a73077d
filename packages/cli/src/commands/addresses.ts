/**
 * The addresses the core's rule-27 address findings compare Backends against: where each Service
 * of the backend map lives (`backend-address-of-foreign-service`) and where the gateway itself
 * listens (`self-target`). Facts from the backend map and the bound ports, passed as data.
 */
import type { OwnAddress, ServiceAddress } from '@switchyard/core';
import { networkInterfaces } from 'node:os';
import type { BackendMap } from '../serve/backend-map.js';

/** Each `namespace/name:port` key of the map, at the host and port of its URL. */
export function serviceAddressesOf(map: BackendMap): ServiceAddress[] {
  return Object.entries(map).map(([key, origin]) => {
    const slash = key.indexOf('/');
    const colon = key.lastIndexOf(':');
    const url = new URL(origin);
    return {
      namespace: key.slice(0, slash),
      name: key.slice(slash + 1, colon),
      host: bareHost(url.hostname),
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    };
  });
}

/**
 * The gateway's own addresses: every port on every spelling of the bound host. A wildcard bind
 * (`0.0.0.0`, `::`) is reachable at every local address, so each is listed.
 */
export function ownAddressesOf(bindHost: string, ports: readonly number[]): OwnAddress[] {
  const hosts = hostSpellings(bareHost(bindHost));
  return [...new Set(ports)].flatMap((port) => hosts.map((host) => ({ host, port })));
}

/**
 * Keeps a source's `ownAddresses` on the ports the gateway has bound: call the returned function
 * with the ports whenever they may have changed (listeners opened or closed); it calls
 * `reconfigure` only when they differ from the last ones given, starting with `initial` (the
 * ports the first compile already had).
 *
 * @example
 * ```ts
 * const follow = followOwnPorts('127.0.0.1', [9000], (ownAddresses) => source.reconfigure({ ownAddresses }));
 * follow([8080, 9000]); // compiles again with both
 * ```
 */
export function followOwnPorts(
  bindHost: string,
  initial: readonly number[],
  reconfigure: (ownAddresses: OwnAddress[]) => void,
): (ports: readonly number[]) => void {
  const key = (ports: readonly number[]) => [...new Set(ports)].sort((a, b) => a - b);
  let said = key(initial).join();
  return (ports) => {
    const sorted = key(ports);
    if (sorted.join() === said) return;
    said = sorted.join();
    reconfigure(ownAddressesOf(bindHost, sorted));
  };
}

function hostSpellings(host: string): string[] {
  const loopback = ['127.0.0.1', 'localhost', '::1'];
  if (host === '0.0.0.0' || host === '::') {
    const local = Object.values(networkInterfaces()).flatMap((list) =>
      (list ?? []).map((i) => i.address),
    );
    return [...new Set([host, '0.0.0.0', '::', ...loopback, ...local])];
  }
  if (loopback.includes(host.toLowerCase())) return loopback;
  return [host];
}

/** `[::1]` → `::1`, as the core compares Backend hosts. */
function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
