/**
 * The one lookup over a listener's delegated scopes (`TableListener.scopes`, rule 17), in the
 * matcher's own index, so a scope costs what a route costs whatever their number:
 *
 * - `delegatedScope`: which delegated prefix a request falls inside, if any. A 404 inside a prefix
 *   the platform delegated (no child claims the request) is the gateway's answer; a 404 outside
 *   every delegated prefix is "no route", which an adapter embedded in an app may pass on to the
 *   app's own routes.
 * - `coveringScopes` and `scopeChildren`: for `explain` after a 404, every scope whose host and
 *   path cover the request (its other conditions may fail: explain says which), and the routes
 *   flattened under one.
 */
import type { ResolveRequest, RouteRef } from './decision.js';
import { buildListenerIndex, type ListenerIndex } from './match/build-index.js';
import { compileMatch } from './match/compile-match.js';
import { hostWithoutPort, requestHost } from './match/hostname.js';
import { selectListener } from './match/listener.js';
import { findAll, findRoute } from './match/lookup.js';
import { normalizeTarget } from './match/normalize-path.js';
import { RequestView } from './match/request-view.js';
import type {
  CompiledMatch,
  DelegatedScope,
  FlatRoute,
  RouteTable,
  TableListener,
} from './table.js';

/** Which conditions of a scope an index holds. */
type Conditions = 'all' | 'path';

const indexes = {
  /** Each scope with all its conditions: the request is inside it (`delegatedScope`). */
  all: new WeakMap<TableListener, ListenerIndex | null>(),
  /** Path conditions only, own and guards: the request's path is inside (`explain`). */
  path: new WeakMap<TableListener, ListenerIndex | null>(),
};

/**
 * The listener's scopes as routes of an index (ranks are positions in `scopes`), built once per
 * listener and kind, on the first 404 that asks; null when the listener has no scopes.
 */
function scopeIndex(listener: TableListener, conditions: Conditions): ListenerIndex | null {
  const cache = indexes[conditions];
  let index = cache.get(listener);
  if (index === undefined) {
    const scopes = listener.scopes ?? [];
    const only = conditions === 'all' ? same : pathOf;
    const routes = scopes.map((scope, rank): FlatRoute => ({
      rank,
      hostnames: scope.hostnames,
      match: only(scope.match),
      guards: scope.guards.map(only),
      action: { kind: 'respond', status: 404, reason: 'no route in delegated scope' },
      chain: scope.chain,
      weight: 0,
    }));
    index = routes.length === 0 ? null : buildListenerIndex(routes);
    cache.set(listener, index);
  }
  return index;
}

const same = (match: CompiledMatch): CompiledMatch => match;

function pathOf(match: CompiledMatch): CompiledMatch {
  return compileMatch({ path: match.path, headers: [], queryParams: [] });
}

/**
 * The delegated scope (most specific first, by the Gateway API precedence) whose match the request
 * satisfies on the listener it arrives on; undefined when it is in none, or when the request
 * selects no listener or has a malformed path.
 *
 * @example
 * ```ts
 * const decision = resolve(table, request);
 * if (decision.kind === 'respond' && decision.status === 404 && delegatedScope(table, request)) {
 *   // inside /banking, delegated to the banking team, but none of its routes matched
 * }
 * ```
 */
export function delegatedScope(
  table: RouteTable,
  request: ResolveRequest,
): DelegatedScope | undefined {
  const target = normalizeTarget(request.path);
  if (!target.ok) return undefined;
  const host = requestHost(request);
  const selection = selectListener(table, {
    scheme: request.scheme ?? 'http',
    port: request.port,
    host,
    sni: request.sni === undefined ? undefined : hostWithoutPort(request.sni),
  });
  if (!selection.ok) return undefined;
  const index = scopeIndex(selection.listener, 'all');
  if (index === null) return undefined;
  const view = new RequestView(request.method, target.path, target.query, request.headers);
  const entry = findRoute(index, host, view);
  return entry === undefined ? undefined : selection.listener.scopes![entry.rank];
}

/**
 * Every scope of the listener whose hostnames and path conditions (its own and its ancestors')
 * the request meets: enclosing scopes before the scopes nested in them, else in `findRoute`'s order
 * (host bucket, then rank).
 *
 * @param host lower-case request host without port
 */
export function coveringScopes(
  listener: TableListener,
  host: string | undefined,
  view: RequestView,
): DelegatedScope[] {
  const index = scopeIndex(listener, 'path');
  if (index === null) return [];
  return findAll(index, host, view)
    .sort((a, b) => a.route.chain.length - b.route.chain.length)
    .map((entry) => listener.scopes![entry.rank]!);
}

/** The listener's routes flattened under `scope` (their chain starts with its chain), by rank. */
export function scopeChildren(
  listener: TableListener,
  scope: DelegatedScope,
): readonly FlatRoute[] {
  let tree = chains.get(listener);
  if (tree === undefined) chains.set(listener, (tree = chainTree(listener.routes)));
  let node: ChainNode | undefined = tree;
  for (const ref of scope.chain) {
    node = node.next.get(refKey(ref));
    if (node === undefined) return [];
  }
  return node.routes;
}

/** Routes by chain prefix: a node per prefix, holding the routes whose chain extends it. */
interface ChainNode {
  readonly next: Map<string, ChainNode>;
  readonly routes: FlatRoute[];
}

const chains = new WeakMap<TableListener, ChainNode>();

function chainTree(routes: readonly FlatRoute[]): ChainNode {
  const root: ChainNode = { next: new Map(), routes: [] };
  for (const route of routes) {
    let node = root;
    // Every proper prefix: a route is a child of each delegation in its chain, not of itself.
    for (let i = 0; i < route.chain.length - 1; i++) {
      const key = refKey(route.chain[i]!);
      let child = node.next.get(key);
      if (child === undefined) node.next.set(key, (child = { next: new Map(), routes: [] }));
      child.routes.push(route);
      node = child;
    }
  }
  return root;
}

function refKey(ref: RouteRef): string {
  return `${ref.namespace}/${ref.name}#${ref.ruleIndex}.${ref.matchIndex}`;
}
