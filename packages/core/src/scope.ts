/**
 * `delegatedScope`: which delegated prefix a request falls inside, if any. A 404 inside a prefix
 * the platform delegated (rule 17: no child claims the request) is the gateway's answer; a 404
 * outside every delegated prefix is "no route", which an adapter embedded in an app may pass on
 * to the app's own routes.
 */
import type { ResolveRequest } from './decision.js';
import { hostWithoutPort, hostnameMatches, requestHost } from './match/hostname.js';
import { selectListener } from './match/listener.js';
import { normalizeTarget } from './match/normalize-path.js';
import { matchesRequest, prepareMatch, type PreparedMatch } from './match/prepared.js';
import { RequestView } from './match/request-view.js';
import type { DelegatedScope, RouteTable, TableListener } from './table.js';

interface PreparedScope {
  readonly scope: DelegatedScope;
  readonly matches: readonly PreparedMatch[];
}

const prepared = new WeakMap<TableListener, readonly PreparedScope[]>();

function scopesOf(listener: TableListener): readonly PreparedScope[] {
  let found = prepared.get(listener);
  if (found === undefined) {
    found = (listener.scopes ?? []).map((scope) => ({
      scope,
      matches: [scope.match, ...scope.guards].map(prepareMatch),
    }));
    prepared.set(listener, found);
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
  const scopes = scopesOf(selection.listener);
  if (scopes.length === 0) return undefined;
  const view = new RequestView(request.method, target.path, target.query, request.headers);
  for (const { scope, matches } of scopes) {
    const hostOk =
      scope.hostnames.length === 0 ||
      (host !== undefined && scope.hostnames.some((name) => hostnameMatches(name, host)));
    if (hostOk && matches.every((match) => matchesRequest(match, view, false))) return scope;
  }
  return undefined;
}
