/**
 * `delegatedScope`: which delegated prefix a request falls inside, if any. A 404 inside a prefix
 * the platform delegated (rule 17: no child claims the request) is the gateway's answer; a 404
 * outside every delegated prefix is "no route", which an adapter embedded in an app may pass on
 * to the app's own routes.
 */
import type { ResolveRequest } from './decision.js';
import { buildListenerIndex, type ListenerIndex } from './match/build-index.js';
import { hostWithoutPort, requestHost } from './match/hostname.js';
import { selectListener } from './match/listener.js';
import { findRoute } from './match/lookup.js';
import { normalizeTarget } from './match/normalize-path.js';
import { RequestView } from './match/request-view.js';
import type { DelegatedScope, FlatRoute, RouteTable, TableListener } from './table.js';

interface ScopeIndex {
  readonly index: ListenerIndex;
  readonly scopes: readonly DelegatedScope[];
}

const indexes = new WeakMap<TableListener, ScopeIndex | null>();

/**
 * The listener's scopes in the matcher's own index (built once per listener, on the first 404
 * that asks): the same lookup as `resolve`, so a scope costs what a route costs, whatever their
 * number, and matches exactly as a route with the same match and hostnames would.
 */
function scopeIndex(listener: TableListener): ScopeIndex | null {
  let found = indexes.get(listener);
  if (found === undefined) {
    const scopes = listener.scopes ?? [];
    const routes: FlatRoute[] = scopes.map((scope, rank) => ({
      rank,
      hostnames: scope.hostnames,
      match: scope.match,
      guards: scope.guards,
      action: { kind: 'respond', status: 404, reason: 'no route in delegated scope' },
      chain: scope.chain,
      weight: 0,
    }));
    found = routes.length === 0 ? null : { index: buildListenerIndex(routes), scopes };
    indexes.set(listener, found);
  }
  return found;
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
  const scopes = scopeIndex(selection.listener);
  if (scopes === null) return undefined;
  const view = new RequestView(request.method, target.path, target.query, request.headers);
  const entry = findRoute(scopes.index, host, view);
  return entry === undefined ? undefined : scopes.scopes[entry.rank];
}
