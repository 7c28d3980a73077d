/**
 * A fixed map from backend references to addresses, for local runs and tests:
 * `'payments/payments-bff:8080' -> 'http://127.0.0.1:9003'`.
 */
import type { BackendAddress, BackendResolver, BackendTarget } from './resolver.js';

/** Keys `namespace/name:port` (one port) or `namespace/name` (every port); values one origin or several. */
export type StaticBackendMap =
  | Readonly<Record<string, string | readonly string[]>>
  | ReadonlyMap<string, string | readonly string[]>;

function toOrigin(value: string): string {
  const url = new URL(value);
  return `${url.protocol}//${url.host}`;
}

/**
 * Resolves backends listed in `map` (any kind), by `namespace/name:port` first, then
 * `namespace/name`; others are left to the next resolver. A `Map` is read on every request, so
 * entries may be added or replaced while the proxy runs.
 *
 * @example
 * ```ts
 * staticResolver({ 'payments/payments-bff:8080': 'http://127.0.0.1:9003', 'web/frontend': 'http://127.0.0.1:9004' })
 * ```
 */
export function staticResolver(map: StaticBackendMap): BackendResolver {
  const lookup: (key: string) => string | readonly string[] | undefined =
    map instanceof Map
      ? (key) => map.get(key)
      : (key) => (Object.hasOwn(map, key) ? (map as Record<string, string>)[key] : undefined);
  // Parsed answers per raw value: a live Map may change, its values are re-read each time.
  const parsed = new Map<string | readonly string[], BackendAddress>();
  // The two keys of a backend, per (frozen, shared) backend object.
  const keys = new WeakMap<BackendTarget, readonly [string, string]>();
  return {
    resolve(backend: BackendTarget) {
      let pair = keys.get(backend);
      if (pair === undefined) {
        const base = `${backend.namespace}/${backend.name}`;
        pair = [`${base}:${backend.port}`, base];
        keys.set(backend, pair);
      }
      const value = lookup(pair[0]) ?? lookup(pair[1]);
      if (value === undefined) return undefined;
      let address = parsed.get(value);
      if (address === undefined) {
        const origins = (typeof value === 'string' ? [value] : value).map(toOrigin);
        address =
          origins.length === 0 ? { status: 503, reason: 'no endpoints configured' } : { origins };
        parsed.set(value, address);
      }
      return address;
    },
  };
}
