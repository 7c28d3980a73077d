/**
 * kgateway static `Backend`s: the decision already carries their hosts (`address`), so they are
 * dialled directly, with TLS when the Backend asks for it or the port is 443.
 */
import { originOf } from './resolver.js';
import type { BackendAddress, BackendResolver, BackendTarget } from './resolver.js';

/**
 * Resolves backends whose decision carries a static `address` (kgateway `Backend` of type Static);
 * others are left to the next resolver.
 *
 * @example staticBackendResolver().resolve(backend) // { origins: ['https://api.example.com'] }
 */
export function staticBackendResolver(): BackendResolver {
  const cache = new WeakMap<BackendTarget, BackendAddress>();
  return {
    resolve(backend) {
      const address = backend.address;
      if (address === undefined) return undefined;
      let resolved = cache.get(backend);
      if (resolved === undefined) {
        resolved =
          address.hosts.length === 0
            ? { status: 503, reason: 'static backend has no hosts' }
            : { origins: address.hosts.map(({ host, port }) => originOf(host, port, address.tls)) };
        cache.set(backend, resolved);
      }
      return resolved;
    },
  };
}
