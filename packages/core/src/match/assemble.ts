/**
 * A table taken apart to cross a thread boundary, and put together again in steps.
 *
 * A compile worker (`@switchyard/files`) cannot hand its table to the serving thread as it is.
 * A compiled match holds its regexes as functions, which a structured clone cannot copy; and
 * copying a 50k-route table in one message stalls the receiving thread for most of a second
 * (benchmarks/RESULTS.md, "Reloading a large configuration"). So the table travels as an outline (everything
 * but the routes and the indexes) and each listener's routes, in parts of any size, every match
 * as its plain source; the receiving side compiles the matches again, freezes the routes and
 * builds each index itself, here, a bounded amount of work per step. The index is rebuilt rather
 * than sent because it points into the routes: sent in parts, those links would be lost.
 */
import type { NormalizedMatch } from '../api/normalized.js';
import type {
  CompiledMatch,
  DelegatedScope,
  FlatRoute,
  RouteTable,
  TableListener,
} from '../table.js';
import { listenerIndexSteps } from './build-index.js';
import { compileMatch } from './compile-match.js';
import { deepFreeze } from './freeze.js';
import { NONE } from './none.js';

/** A route as it travels: its matches without their compiled regexes. */
export interface WireRoute extends Omit<FlatRoute, 'match' | 'guards'> {
  readonly match: NormalizedMatch;
  readonly guards: readonly NormalizedMatch[];
}

/** A delegated scope as it travels: its matches without their compiled regexes. */
export interface WireScope extends Omit<DelegatedScope, 'match' | 'guards'> {
  readonly match: NormalizedMatch;
  readonly guards: readonly NormalizedMatch[];
}

/** A listener without its routes and its index, and how many routes it had. */
export interface ListenerOutline extends Omit<TableListener, 'routes' | 'index' | 'scopes'> {
  readonly routeCount: number;
  readonly scopes?: readonly WireScope[];
}

/** A table without its routes and indexes. Plain data: it survives a structured clone. */
export interface TableOutline extends Omit<RouteTable, 'listeners'> {
  readonly listeners: readonly ListenerOutline[];
}

/** Routes made ready between two yields of {@link assembleTable}. */
const ROUTE_STEP = 256;

/**
 * Takes a table apart: its outline, and each listener's routes (by listener position), all plain
 * data. A guard shared by many routes stays one object, so a copy of a part shares it too.
 *
 * @example
 * ```ts
 * const { outline, routes } = splitTable(compile(objects).table);
 * ```
 */
export function splitTable(table: RouteTable): {
  readonly outline: TableOutline;
  readonly routes: readonly (readonly WireRoute[])[];
} {
  const plain = new Map<CompiledMatch, NormalizedMatch>();
  const plainOf = (match: CompiledMatch): NormalizedMatch => {
    let found = plain.get(match);
    if (found === undefined) plain.set(match, (found = plainMatch(match)));
    return found;
  };
  const listeners = table.listeners.map(({ routes, index: _index, scopes, ...rest }) => ({
    ...rest,
    routeCount: routes.length,
    ...(scopes === undefined
      ? {}
      : {
          scopes: scopes.map((scope) => ({
            ...scope,
            match: plainOf(scope.match),
            guards: scope.guards.map(plainOf),
          })),
        }),
  }));
  return {
    outline: { ...table, listeners },
    routes: table.listeners.map((listener) =>
      listener.routes.map((route) => ({
        ...route,
        match: plainOf(route.match),
        guards: route.guards.map(plainOf),
      })),
    ),
  };
}

/**
 * Puts a table together again from {@link splitTable}'s parts (copied, as a thread boundary copies
 * them): matches compiled, deep-frozen, each listener's index built; the same table in every
 * respect but object identity. A generator: each `next()` does a bounded amount of work (hundreds
 * of routes), so a thread that serves requests can return to its event loop between steps; the
 * last returns the table. Throws when a listener's routes are not the ones its outline counted.
 */
export function* assembleTable(
  outline: TableOutline,
  routes: readonly (readonly WireRoute[])[],
): Generator<void, RouteTable, void> {
  const listeners: TableListener[] = [];
  for (const [position, { routeCount, scopes, ...listener }] of outline.listeners.entries()) {
    const list = routes[position] ?? [];
    if (list.length !== routeCount || list.some((route, rank) => route.rank !== rank))
      throw new Error(
        `listener ${listener.name}: expected ${routeCount} routes ranked from 0, got ${list.length} routes out of order or missing`,
      );
    const compiled = compiler();
    const ready: FlatRoute[] = [];
    for (let i = 0; i < list.length; i++) {
      const route = list[i]!;
      // A literal in compile's key order: every route of a table shares one hidden class.
      ready.push(
        deepFreeze({
          rank: route.rank,
          hostnames: route.hostnames,
          match: compiled(route.match),
          guards: route.guards.length === 0 ? NONE : route.guards.map(compiled),
          action: route.action,
          chain: route.chain,
          weight: route.weight,
        }),
      );
      if ((i + 1) % ROUTE_STEP === 0) yield;
    }
    const index = yield* listenerIndexSteps(ready);
    const scopesReady = scopes?.map((scope) => ({
      ...scope,
      match: compiled(scope.match),
      guards: scope.guards.length === 0 ? NONE : scope.guards.map(compiled),
    }));
    // As `compile` leaves a listener: routes and everything else deep-frozen, the index at the top.
    listeners.push(
      deepFreeze({
        ...listener,
        routes: ready,
        ...(scopesReady === undefined ? {} : { scopes: scopesReady }),
        index: Object.freeze(index),
      }),
    );
  }
  return deepFreeze({ ...outline, listeners });
}

/** Compiles matches, once per distinct object: routes of one part share their guards. */
function compiler(): (match: NormalizedMatch) => CompiledMatch {
  const compiled = new Map<NormalizedMatch, CompiledMatch>();
  return (match) => {
    let found = compiled.get(match);
    if (found === undefined) compiled.set(match, (found = compileMatch(match)));
    return found;
  };
}

function plainMatch(match: CompiledMatch): NormalizedMatch {
  return match.method === undefined
    ? { path: match.path, headers: match.headers, queryParams: match.queryParams }
    : {
        path: match.path,
        headers: match.headers,
        queryParams: match.queryParams,
        method: match.method,
      };
}
