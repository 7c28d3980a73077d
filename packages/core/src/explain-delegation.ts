/**
 * Why a request inside a delegated scope found no route: which delegations cover its path, which
 * of their children were tried and the first thing each did not match, and the children's paths
 * nearest to the request's. Facts as data, for `explain`'s trace; computed only after a 404.
 */
import type { NormalizedMatch } from './api/normalized.js';
import type { RouteRef } from './decision.js';
import { hostnameMatches } from './compile/hostnames.js';
import { mismatchReason, prepareMatch } from './match/prepared.js';
import type { RequestView } from './match/request-view.js';
import { coveringScopes, scopeChildren } from './scope.js';
import type { CompiledMatch, DelegatedScope, FlatRoute, TableListener } from './table.js';

/** A child route tried under a delegation, and the first thing it did not match. */
export interface DelegatedChild {
  readonly chain: readonly RouteRef[];
  /** The child's merged match: path, and method/headers/query when it has them. */
  readonly match: NormalizedMatch;
  /** `host`, `path`, `method`, `header <name>`, `query <name>`, or `guard <ns/name#rule>: ...`. */
  readonly reason: string;
}

/** A delegation whose parent match covers the request's path and host. */
export interface DelegationFacts {
  readonly step: 'delegation';
  /** Top-level route first, the delegating parent match last. */
  readonly parent: readonly RouteRef[];
  readonly match: NormalizedMatch;
  readonly selects: DelegatedScope['selects'];
  /** Why the parent match itself does not hold (e.g. `method`), when only its path does. */
  readonly parentReason?: string;
  readonly children: readonly DelegatedChild[];
  /** Up to three child paths closest to the request's, closest first. */
  readonly nearest: readonly string[];
}

const NEAREST = 3;

/** Read from the listener's delegated scopes, found by the matcher's index (`scope.ts`). */
export function delegationFacts(
  listener: TableListener,
  host: string | undefined,
  view: RequestView,
): DelegationFacts[] {
  return coveringScopes(listener, host, view).map((scope) => {
    const parentReason = conditionsReason(scope.match, scope.guards, view);
    const routes = scopeChildren(listener, scope);
    return {
      step: 'delegation',
      parent: scope.chain,
      match: asWritten(scope.match),
      selects: scope.selects,
      ...(parentReason === undefined ? {} : { parentReason }),
      children: routes.map((route) => ({
        chain: route.chain,
        match: asWritten(route.match),
        reason: childReason(route, host, view),
      })),
      nearest: nearestPaths(
        routes.map((r) => r.match.path.value),
        view.path,
      ),
    };
  });
}

function servesHost(hostnames: readonly string[], host: string | undefined): boolean {
  if (hostnames.length === 0) return true;
  if (host === undefined) return false;
  const name = host.toLowerCase();
  return hostnames.some((pattern) => hostnameMatches(pattern, name));
}

/** The first condition of a match or of its guards that the request does not meet. */
function conditionsReason(
  match: CompiledMatch,
  guards: readonly CompiledMatch[],
  view: RequestView,
): string | undefined {
  const own = mismatchReason(prepareMatch(match), view);
  if (own !== undefined) return own;
  for (const [i, guard] of guards.entries()) {
    const reason = mismatchReason(prepareMatch(guard), view);
    if (reason !== undefined) return `guard ${i}: ${reason}`;
  }
  return undefined;
}

function childReason(route: FlatRoute, host: string | undefined, view: RequestView): string {
  if (!servesHost(route.hostnames, host)) return 'host';
  // Matched here, yet not chosen: a route with higher precedence answered differently.
  return conditionsReason(route.match, route.guards, view) ?? 'matches; another route ranks first';
}

/** The match without its compiled regexes: path, and method/headers/query when it has them. */
function asWritten(match: CompiledMatch): NormalizedMatch {
  const { path, headers, queryParams, method } = match;
  return method === undefined
    ? { path, headers, queryParams }
    : { path, headers, queryParams, method };
}

/**
 * Closest by shared leading path segments, then by edit distance: `/banking/loans` is nearer
 * `/banking/loan` and `/banking/accounts` than `/payments/loans`.
 */
export function nearestPaths(paths: readonly string[], target: string): string[] {
  const unique = [...new Set(paths)];
  const scored = unique.map((path) => ({
    path,
    shared: sharedSegments(path, target),
    distance: editDistance(path, target),
  }));
  scored.sort(
    (a, b) => b.shared - a.shared || a.distance - b.distance || (a.path < b.path ? -1 : 1),
  );
  return scored.slice(0, NEAREST).map((s) => s.path);
}

function sharedSegments(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  let count = 0;
  while (count < left.length && count < right.length && left[count] === right[count]) count++;
  return count;
}

/** Levenshtein distance, two rows; paths are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
