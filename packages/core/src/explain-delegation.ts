/**
 * Why a request inside a delegated scope found no route: which delegations cover its path, which
 * of their children were tried and the first thing each did not match, and the children's paths
 * nearest to the request's. Facts as data, for `explain`'s trace; computed only after a 404.
 */
import type { NormalizedMatch } from './api/normalized.js';
import type { RouteRef } from './decision.js';
import { hostnameMatches } from './compile/hostnames.js';
import { compileMatch } from './match/compile-match.js';
import { mismatchReason, pathMatches, prepareMatch } from './match/prepared.js';
import type { RequestView } from './match/request-view.js';
import type { FlatRoute, TableDelegation, TableListener } from './table.js';

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
  readonly selects: TableDelegation['selects'];
  /** Why the parent match itself does not hold (e.g. `method`), when only its path does. */
  readonly parentReason?: string;
  readonly children: readonly DelegatedChild[];
  /** Up to three child paths closest to the request's, closest first. */
  readonly nearest: readonly string[];
}

const NEAREST = 3;

export function delegationFacts(
  listener: TableListener,
  host: string | undefined,
  view: RequestView,
): DelegationFacts[] {
  const facts: DelegationFacts[] = [];
  for (const delegation of listener.delegations ?? []) {
    if (!servesHost(delegation.hostnames, host)) continue;
    const prepared = prepareMatch(compileMatch(delegation.match));
    if (!pathMatches(prepared, view.path)) continue;
    const parentReason = mismatchReason(prepared, view);
    const routes = listener.routes.filter((route) => isUnder(route, delegation));
    const children = routes.map((route) => ({
      chain: route.chain,
      match: stripCompiled(route),
      reason: childReason(route, host, view),
    }));
    facts.push({
      step: 'delegation',
      parent: delegation.chain,
      match: delegation.match,
      selects: delegation.selects,
      ...(parentReason === undefined ? {} : { parentReason }),
      children,
      nearest: nearestPaths(
        routes.map((r) => r.match.path.value),
        view.path,
      ),
    });
  }
  return facts;
}

function servesHost(hostnames: readonly string[], host: string | undefined): boolean {
  if (hostnames.length === 0) return true;
  if (host === undefined) return false;
  const name = host.toLowerCase();
  return hostnames.some((pattern) => hostnameMatches(pattern, name));
}

function isUnder(route: FlatRoute, delegation: TableDelegation): boolean {
  const prefix = delegation.chain;
  if (route.chain.length <= prefix.length) return false;
  return prefix.every((ref, i) => sameRef(ref, route.chain[i]!));
}

function sameRef(a: RouteRef, b: RouteRef): boolean {
  return (
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.ruleIndex === b.ruleIndex &&
    a.matchIndex === b.matchIndex
  );
}

function childReason(route: FlatRoute, host: string | undefined, view: RequestView): string {
  if (!servesHost(route.hostnames, host)) return 'host';
  const own = mismatchReason(prepareMatch(route.match), view);
  if (own !== undefined) return own;
  for (const [i, guard] of route.guards.entries()) {
    const reason = mismatchReason(prepareMatch(guard), view);
    if (reason !== undefined) return `guard ${i}: ${reason}`;
  }
  // Matched here, yet not chosen: a route with higher precedence answered differently.
  return 'matches; another route ranks first';
}

function stripCompiled(route: FlatRoute): NormalizedMatch {
  const { path, headers, queryParams, method } = route.match;
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
