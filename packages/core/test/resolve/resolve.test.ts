/** resolve end to end on hand-made tables: order of checks, purity, precedence as ranked. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { makeRouteTable } from '../../src/match/freeze.js';
import { resolve } from '../../src/resolve.js';
import { flatRoute, ranked, ref, simpleTable } from '../reference/build.js';
import { buildTable, requestArb, tableSpecArb } from '../reference/arbitraries.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const fcOptions = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

describe('resolve', () => {
  it('answers 400 for a bad target before looking for a listener', () => {
    expect(resolve(makeRouteTable([]), { method: 'GET', path: 'nope' })).toEqual({
      kind: 'respond',
      status: 400,
      reason: 'bad request: path must start with /',
    });
    expect(resolve(makeRouteTable([]), { method: 'GET', path: '/' })).toEqual({
      kind: 'respond',
      status: 404,
      reason: 'no listener',
    });
  });

  it('follows the ranks compile gives (HTTPRoutePathMatchOrder, ranked by gateway-api.md 1.11)', () => {
    // Ranked as compile sorts them: Exact first, then the longer prefixes, then method/headers/query counts.
    const table = simpleTable(
      ranked([
        { path: { type: 'Exact', value: '/match/exact/one' }, chain: [ref('exact-one')] },
        { path: '/match/prefix/one', chain: [ref('prefix-one')] },
        { path: '/match/prefix/', chain: [ref('prefix')] },
        { path: '/match/', method: 'PATCH', chain: [ref('match-patch')] },
        { path: '/match/', headers: [['version', 'one']], chain: [ref('match-header')] },
        { path: '/match/', chain: [ref('match')] },
      ]),
    );
    const winner = (request: Partial<ResolveRequest>) => {
      const decision = resolve(table, { method: 'GET', path: '/', ...request });
      return decision.kind === 'respond' ? decision.status : decision.route.name;
    };
    expect(winner({ path: '/match/exact/one' })).toBe('exact-one');
    expect(winner({ path: '/match/exact/one/more' })).toBe('match');
    expect(winner({ path: '/match/prefix/one/any' })).toBe('prefix-one');
    expect(winner({ path: '/match/prefix/two' })).toBe('prefix');
    expect(winner({ path: '/match/x', method: 'PATCH', headers: { version: 'one' } })).toBe(
      'match-patch',
    );
    expect(winner({ path: '/match/x', headers: { version: 'one' } })).toBe('match-header');
    expect(winner({ path: '/match' })).toBe('match');
    expect(winner({ path: '/matches' })).toBe(404);
  });

  it('reports the route that answered with a compiled 500 (delegation rule 16) and keeps its place', () => {
    const table = simpleTable([
      flatRoute({
        rank: 0,
        path: '/team',
        action: { kind: 'respond', status: 500, reason: 'no valid child' },
        chain: [ref('parent')],
      }),
      flatRoute({ rank: 1, path: '/', chain: [ref('fallback')] }),
    ]);
    expect(resolve(table, { method: 'GET', path: '/team/x' })).toMatchObject({
      status: 500,
      route: ref('parent'),
    });
    expect(resolve(table, { method: 'GET', path: '/other' })).toMatchObject({
      kind: 'forward',
      route: ref('fallback'),
    });
  });

  it('is pure: equal answers for equal requests, and neither request nor table is written (property)', () => {
    const scenario = tableSpecArb.chain((specs) => fc.tuple(fc.constant(specs), requestArb(specs)));
    fc.assert(
      fc.property(scenario, ([specs, request]) => {
        const table = buildTable(specs);
        const before = JSON.stringify(request);
        const first = resolve(table, request);
        expect(resolve(table, structuredClone(request))).toEqual(first);
        expect(JSON.stringify(request)).toBe(before);
        expect(Object.isFrozen(table.listeners[0]!.routes)).toBe(true);
      }),
      { ...fcOptions, numRuns: Math.min(fcOptions.numRuns, 300) },
    );
  });
});
