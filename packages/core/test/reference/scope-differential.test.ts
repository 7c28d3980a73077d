/**
 * Rule 17: the delegated scopes are looked up through the matcher's own index. On generated
 * tables whose routes are turned into scopes, `delegatedScope` must pick the scope the reference
 * matcher would pick as a route, and `coveringScopes` (explain's lookup) must find every scope
 * whose path conditions the reference matcher accepts, in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolveRequest, RouteRef } from '../../src/decision.js';
import { formatTable } from '../../src/format.js';
import { compileMatch } from '../../src/match/compile-match.js';
import { makeTableListener, type ListenerInit } from '../../src/match/freeze.js';
import { requestHost } from '../../src/match/hostname.js';
import { normalizeTarget } from '../../src/match/normalize-path.js';
import { RequestView } from '../../src/match/request-view.js';
import { coveringScopes, delegatedScope } from '../../src/scope.js';
import type { CompiledMatch, FlatRoute, RouteTable, TableListener } from '../../src/table.js';
import { budget } from '../properties/budget.js';
import { buildTable, requestArb, tableSpecArb } from './arbitraries.js';
import { tableOf } from './build.js';
import { referenceResolve } from './reference.js';

/** The same listeners, routing nothing, with each route recorded as a delegated scope. */
function asScopes(specs: readonly ListenerInit[]): RouteTable {
  return tableOf(
    ...specs.map((spec): TableListener => {
      const scopes = [...spec.routes]
        .sort((a, b) => a.rank - b.rank)
        .map(({ hostnames, match, guards, chain }) => ({
          hostnames,
          match,
          guards,
          chain,
          selects: [],
        }));
      return { ...makeTableListener({ ...spec, routes: [] }), scopes };
    }),
  );
}

function pathOnly(match: CompiledMatch): CompiledMatch {
  return compileMatch({ path: match.path, headers: [], queryParams: [] });
}

/**
 * Every route of the listener whose hostnames and path conditions hold, by asking the reference
 * matcher again without the previous winner; enclosing (shorter) chains first, order kept else.
 */
function referenceCovering(spec: ListenerInit, request: ResolveRequest): RouteRef[][] {
  let remaining: FlatRoute[] = spec.routes.map((route) => ({
    ...route,
    match: pathOnly(route.match),
    guards: route.guards.map(pathOnly),
  }));
  const found: RouteRef[][] = [];
  for (;;) {
    const table = tableOf(makeTableListener({ ...spec, routes: remaining }));
    const winner = referenceResolve(table, request).route;
    if (winner === undefined) break;
    found.push([...winner.chain]);
    remaining = remaining.filter((route) => route.rank !== winner.rank);
  }
  return found.sort((a, b) => a.length - b.length);
}

describe('rule 17: scope lookups agree with the reference matcher', () => {
  it('delegatedScope picks the scope the reference picks; explain covers the scopes it accepts by path (property)', () => {
    const scenario = tableSpecArb.chain((specs) =>
      fc.tuple(fc.constant(specs), fc.array(requestArb(specs), { minLength: 1, maxLength: 10 })),
    );
    let inside = 0;
    let covered = 0;
    let total = 0;
    fc.assert(
      fc.property(scenario, ([specs, requests]) => {
        const routes = buildTable(specs);
        const scoped = asScopes(specs);
        for (const request of requests) {
          total++;
          try {
            const expected = referenceResolve(routes, request);
            const scope = delegatedScope(scoped, request);
            expect(scope?.chain).toEqual(expected.route?.chain);
            if (scope !== undefined) inside++;
            const target = normalizeTarget(request.path);
            if (expected.listener === undefined || expected.status === 421 || !target.ok) continue;
            const spec = specs.find((s) => s.name === expected.listener!.name)!;
            const listener = scoped.listeners.find((l) => l.name === spec.name)!;
            const view = new RequestView(
              request.method,
              target.path,
              target.query,
              request.headers,
            );
            const found = coveringScopes(listener, requestHost(request), view);
            const chains = found.map((s) => s.chain);
            expect(chains).toEqual(referenceCovering(spec, request));
            if (chains.length > 1) covered++;
          } catch (error) {
            throw new Error(
              `${formatTable(routes)}\nrequest ${JSON.stringify(request)}\n${String(error)}`,
            );
          }
        }
      }),
      budget('scope lookups vs reference'),
    );
    console.log(
      `[scope] ${total} requests: ${inside} inside a scope, ${covered} covered by several`,
    );
    // The generators must reach inside scopes and overlapping scopes, not only misses.
    expect(inside / total).toBeGreaterThan(0.1);
    expect(covered).toBeGreaterThan(0);
  });
});
