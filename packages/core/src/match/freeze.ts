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
 *
 * An object that is already frozen is taken as frozen all the way down and not walked again.
 * Each object is frozen before its children are visited, so `Object.isFrozen` is the visited
 * mark: shared and cyclic references stop there. (A `WeakSet` of visited objects did the same
 * job at about a third of `compile`'s time on large tables: see benchmarks/RESULTS.md.)
 */
export function deepFreeze<T>(value: T): T {
  freezeInto(value);
  return value;
}

function freezeInto(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  // A typed array with elements cannot be frozen (the index's tries are `Int32Array`s); nothing
  // outside `match/` holds one, and `match/` never writes one after building it.
  if (ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      freezeInto(key);
      freezeInto(item);
    }
  } else if (value instanceof Set) {
    for (const item of value) freezeInto(item);
  } else if (Array.isArray(value)) {
    // Most of a table is arrays; an index loop spares the key list `Object.keys` builds.
    for (let i = 0; i < value.length; i++) freezeInto(value[i]);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    // Plain objects: `for...in` reads the shape's cached key list, where `Object.keys` would
    // allocate a fresh array per object. Their prototype has no enumerable properties, so every
    // key seen is an own key.
    for (const key in value) freezeInto((value as Record<string, unknown>)[key]);
  } else {
    for (const key of Object.keys(value)) freezeInto((value as Record<string, unknown>)[key]);
  }
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
    // Frozen at the top only, as `compile` does (see `buildListener` in compile/compile.ts).
    index: Object.freeze(buildListenerIndex(routes)),
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
