/** The listener index: rank order across its lists, where regexes and guarded routes are placed. */
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { explain } from '../../src/explain.js';
import { buildListenerIndex, isListenerIndex } from '../../src/match/build-index.js';
import { segmentHash } from '../../src/match/path-trie.js';
import { resolve } from '../../src/resolve.js';
import type { RouteTable } from '../../src/table.js';
import { flatRoute, ranked, ref, simpleTable } from '../reference/build.js';

function winner(table: RouteTable, request: Partial<ResolveRequest>): string | number {
  const decision = resolve(table, { method: 'GET', path: '/', ...request });
  return decision.kind === 'respond' ? decision.status : decision.route.name;
}

/** The ranks of the candidates the index handed to the matcher, in order. */
function examined(table: RouteTable, request: Partial<ResolveRequest>): number[] {
  const { trace } = explain(table, { method: 'GET', path: '/', ...request });
  return trace.flatMap((step) => (step.step === 'candidate' ? [step.rank] : []));
}

describe('listener index', () => {
  it('evaluates candidates in rank order, even a prefix ranked above an exact path (routeWeight)', () => {
    const table = simpleTable(
      ranked([
        { path: '/a', headers: [['x', '1']] },
        { path: { type: 'Exact', value: '/a/b' } },
        { path: '/a/b' },
        { path: { type: 'RegularExpression', value: '/a/.*' } },
        { path: '/' },
      ]),
    );
    expect(winner(table, { path: '/a/b', headers: { x: '1' } })).toBe('r0');
    expect(winner(table, { path: '/a/b' })).toBe('r1');
    expect(winner(table, { path: '/a/b/c' })).toBe('r2');
    expect(winner(table, { path: '/a/c' })).toBe('r3');
    expect(winner(table, { path: '/z' })).toBe('r4');
    expect(examined(table, { path: '/a/b' })).toEqual([0, 1]);
    expect(examined(table, { path: '/a/c' })).toEqual([0, 3]);
  });

  it('hands the matcher only the routes on the request path, however many routes there are', () => {
    const routes = Array.from({ length: 5000 }, (_, i) =>
      flatRoute({
        rank: i,
        path: i % 2 === 0 ? `/svc${i}` : { type: 'Exact', value: `/svc${i}/item` },
      }),
    );
    const table = simpleTable([
      ...routes,
      flatRoute({ rank: 5000, path: { type: 'RegularExpression', value: '/svc7/.*' } }),
    ]);
    expect(examined(table, { path: '/svc4242/x' })).toEqual([4242]);
    expect(examined(table, { path: '/svc7/item' })).toEqual([7]);
    expect(examined(table, { path: '/svc7/zzz' })).toEqual([5000]);
    expect(examined(table, { path: '/nothing' })).toEqual([]);
  });

  it('anchors a regex at the last complete segment of its safe literal prefix', () => {
    const table = simpleTable(
      ranked([
        { path: { type: 'RegularExpression', value: '/api/v[0-9]+/users' } },
        { path: { type: 'RegularExpression', value: '^/static/.*' } },
        { path: { type: 'RegularExpression', value: '/a|/b' } },
        { path: { type: 'RegularExpression', value: '/x*y' } },
      ]),
    );
    expect(winner(table, { path: '/api/v12/users' })).toBe('r0');
    expect(winner(table, { path: '/static/app.js' })).toBe('r1');
    expect(winner(table, { path: '/b' })).toBe('r2');
    expect(winner(table, { path: '/y' })).toBe('r3');
    expect(examined(table, { path: '/other' })).toEqual([2, 3]);
  });

  it('anchors a guarded route at its deepest guard prefix', () => {
    const table = simpleTable([
      flatRoute({
        rank: 0,
        path: { type: 'RegularExpression', value: '.*' },
        guards: [{ path: '/team' }, { path: '/team/banking' }],
        chain: [ref('root'), ref('team'), ref('banking')],
      }),
      flatRoute({ rank: 1, path: '/' }),
    ]);
    expect(winner(table, { path: '/team/banking/x' })).toBe('banking');
    expect(winner(table, { path: '/team/other' })).toBe('r1');
    expect(examined(table, { path: '/team/other' })).toEqual([1]);
  });

  it('confirms a segment hash against the segment itself: colliding segments never mix', () => {
    // `s6rnw` and `snpba` have the same 30-bit segment hash.
    expect(segmentHash('s6rnw', 0, 5)).toBe(segmentHash('snpba', 0, 5));
    const both = simpleTable(ranked([{ path: '/s6rnw' }, { path: '/snpba' }, { path: '/' }]));
    expect(winner(both, { path: '/s6rnw/x' })).toBe('r0');
    expect(winner(both, { path: '/snpba/x' })).toBe('r1');
    const one = simpleTable(ranked([{ path: '/s6rnw' }]));
    expect(winner(one, { path: '/snpba' })).toBe(404);
    expect(winner(one, { path: '/s6rnw' })).toBe('r0');
  });

  it('walks empty and non-ASCII segments like any other', () => {
    const table = simpleTable(
      ranked([
        { path: { type: 'Exact', value: '/a/' } },
        { path: '/caf%C3%A9' },
        { path: { type: 'Exact', value: '/' } },
        { path: '/a' },
      ]),
    );
    expect(winner(table, { path: '/a/' })).toBe('r0');
    expect(winner(table, { path: '/a' })).toBe('r3');
    expect(winner(table, { path: '/caf%C3%A9/menu' })).toBe('r1');
    // The request keeps a raw `é` (decision 4): a different segment from the encoded one.
    expect(winner(table, { path: '/café/menu' })).toBe(404);
    expect(winner(table, { path: '/' })).toBe('r2');
    expect(winner(table, { path: '/b' })).toBe(404);
  });

  it('builds lazily for a hand-made listener without an index', () => {
    const routes = ranked([{ path: '/a' }]);
    const table: RouteTable = {
      listeners: [
        { name: 'l', port: 80, protocol: 'HTTP', certificateRefs: [], routes, index: undefined },
      ],
    };
    expect(winner(table, { path: '/a/b' })).toBe('r0');
    expect(isListenerIndex(buildListenerIndex(routes))).toBe(true);
    expect(isListenerIndex({})).toBe(false);
  });

  it('is frozen with the table', () => {
    const table = simpleTable(ranked([{ path: '/a' }]));
    const listener = table.listeners[0]!;
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(listener.routes[0]!.match)).toBe(true);
    expect(Object.isFrozen(listener.index)).toBe(true);
  });
});

describe('catastrophic patterns (decision 3)', () => {
  const nearMatch = `/${'a'.repeat(100_000)}!`;

  it('resolves a 100k-character near-match against (a+)+$ in linear time', () => {
    const table = simpleTable(ranked([{ path: { type: 'RegularExpression', value: '/(a+)+$' } }]));
    // Rule 26 refuses such a path by default (414); with the limit raised, matching stays linear.
    expect(resolve(table, { method: 'GET', path: nearMatch })).toMatchObject({ status: 414 });
    const limits = { maxPathLength: 200_000, maxHeaderValueLength: 200_000 };
    expect(resolve({ ...table, limits }, { method: 'GET', path: nearMatch })).toMatchObject({
      kind: 'respond',
      status: 404,
    });
    expect(winner(table, { path: '/aaaa' })).toBe('r0');
  });

  it('resolves a 100k-character header near-match against (a+)+$', () => {
    const table = simpleTable(
      ranked([{ headers: [{ type: 'RegularExpression', name: 'x-evil', value: '(a+)+$' }] }]),
    );
    const headers = { 'x-evil': `${'a'.repeat(100_000)}!` };
    // Rule 26 refuses such a value by default (431) when a regex would read it; raised, linear.
    expect(resolve(table, { method: 'GET', path: '/', headers })).toMatchObject({ status: 431 });
    const limits = { maxPathLength: 8192, maxHeaderValueLength: 200_000 };
    expect(resolve({ ...table, limits }, { method: 'GET', path: '/', headers })).toMatchObject({
      kind: 'respond',
      status: 404,
    });
  });
});
