/**
 * Hand-made tables for tests: FlatRoutes and listeners without going through `compile`, so the
 * matcher and the decisions can be tested on exactly the shapes the contract allows.
 */
import type { NormalizedMatch, NormalizedValueMatch } from '../../src/api/normalized.js';
import type { HTTPMethod, PathMatchType } from '../../src/api/objects.js';
import type { RouteRef } from '../../src/decision.js';
import { compileMatch } from '../../src/match/compile-match.js';
import { makeRouteTable, makeTableListener, type ListenerInit } from '../../src/match/freeze.js';
import type {
  CompiledMatch,
  FlatRoute,
  RouteAction,
  RouteTable,
  TableBackend,
  TableListener,
} from '../../src/table.js';

export interface MatchInit {
  readonly path?: { readonly type: PathMatchType; readonly value: string } | string;
  readonly headers?: readonly (readonly [string, string] | NormalizedValueMatch)[];
  readonly query?: readonly (readonly [string, string] | NormalizedValueMatch)[];
  readonly method?: HTTPMethod;
}

/** A compiled match; a bare string path is a PathPrefix, `[name, value]` an Exact value match. */
export function match(init: MatchInit = {}): CompiledMatch {
  const path =
    typeof init.path === 'string'
      ? { type: 'PathPrefix' as const, value: init.path }
      : (init.path ?? { type: 'PathPrefix' as const, value: '/' });
  const values = (list: MatchInit['headers'], lower: boolean): NormalizedValueMatch[] =>
    (list ?? []).map((entry) =>
      'type' in entry
        ? entry
        : {
            type: 'Exact' as const,
            name: lower ? entry[0].toLowerCase() : entry[0],
            value: entry[1],
          },
    );
  const normalized: NormalizedMatch = {
    path,
    headers: values(init.headers, true),
    queryParams: values(init.query, false),
    ...(init.method === undefined ? {} : { method: init.method }),
  };
  return compileMatch(normalized);
}

export function backend(name: string, init: Partial<TableBackend> = {}): TableBackend {
  return { group: '', kind: 'Service', namespace: 'ns', name, port: 8080, weight: 1, ...init };
}

export function forwardTo(
  name: string,
  extra: Partial<Extract<RouteAction, { kind: 'forward' }>> = {},
): RouteAction {
  return { kind: 'forward', backends: [backend(name)], mirrors: [], ...extra };
}

export function ref(name: string, ruleIndex = 0, matchIndex = 0, namespace = 'ns'): RouteRef {
  return { namespace, name, ruleIndex, matchIndex };
}

export interface RouteInit extends MatchInit {
  readonly rank: number;
  readonly hostnames?: readonly string[];
  readonly guards?: readonly MatchInit[];
  readonly action?: RouteAction;
  /** Default: one element named `r<rank>`. */
  readonly chain?: readonly RouteRef[];
}

export function flatRoute(init: RouteInit): FlatRoute {
  const chain = init.chain ?? [ref(`r${init.rank}`)];
  return {
    rank: init.rank,
    hostnames: init.hostnames ?? [],
    match: match(init),
    guards: (init.guards ?? []).map(match),
    action: init.action ?? forwardTo(`svc-${chain[chain.length - 1]!.name}`),
    chain,
    weight: 0,
  };
}

/** Routes ranked in the order given. */
export function ranked(routes: readonly Omit<RouteInit, 'rank'>[]): FlatRoute[] {
  return routes.map((route, rank) => flatRoute({ ...route, rank }));
}

export function httpListener(
  routes: readonly FlatRoute[],
  init: Partial<ListenerInit> = {},
): TableListener {
  return makeTableListener({ name: 'http', port: 80, protocol: 'HTTP', ...init, routes });
}

export function tableOf(...listeners: TableListener[]): RouteTable {
  return makeRouteTable(listeners);
}

/** A one-listener table (HTTP, port 80, no hostname) over the routes. */
export function simpleTable(routes: readonly FlatRoute[]): RouteTable {
  return tableOf(httpListener(routes));
}
