/**
 * Freezing and assembling tables. A table is shared by every request in flight and replaced
 * wholesale, never patched; freezing makes an accidental write fail loudly instead of routing one
 * request differently from the next.
 */
import type { ObjectKey } from '../api/normalized.js';
import type { FlatRoute, RouteTable, TableListener } from '../table.js';
import { buildListenerIndex } from './build-index.js';

/**
 * Freezes a value and everything reachable from it (plain objects, arrays, and the values of
 * `Map`s and `Set`s, whose entries `Object.freeze` cannot lock; the index is opaque outside
 * `match/` and never written after it is built). Functions are left alone. Returns the value.
 */
export function deepFreeze<T>(value: T): T {
  freezeInto(value, new WeakSet());
  return value;
}

function freezeInto(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      freezeInto(key, seen);
      freezeInto(item, seen);
    }
  } else if (value instanceof Set) {
    for (const item of value) freezeInto(item, seen);
  } else {
    for (const key of Object.keys(value)) freezeInto((value as Record<string, unknown>)[key], seen);
  }
  Object.freeze(value);
}

export interface ListenerInit {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly hostname?: string;
  readonly certificateRefs?: readonly ObjectKey[];
  /** Any order; sorted by rank here. */
  readonly routes: readonly FlatRoute[];
}

/**
 * A frozen listener with its index built.
 *
 * @example
 * ```ts
 * const table = makeRouteTable([makeTableListener({ name: 'http', port: 80, protocol: 'HTTP', routes })]);
 * ```
 */
export function makeTableListener(init: ListenerInit): TableListener {
  const routes = [...init.routes].sort((a, b) => a.rank - b.rank);
  const listener: TableListener = {
    name: init.name,
    port: init.port,
    protocol: init.protocol,
    ...(init.hostname === undefined ? {} : { hostname: init.hostname.toLowerCase() }),
    certificateRefs: init.certificateRefs ?? [],
    routes,
    index: buildListenerIndex(routes),
  };
  return deepFreeze(listener);
}

/** A frozen table over listeners (in Gateway order). */
export function makeRouteTable(
  listeners: readonly TableListener[],
  gateway?: ObjectKey,
): RouteTable {
  return deepFreeze(gateway === undefined ? { listeners } : { gateway, listeners });
}
