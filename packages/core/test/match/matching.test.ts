/** Route matching inside a listener: hostnames (H-5, H-7), paths (P-1..P-5), headers, query, method. */
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { resolve } from '../../src/resolve.js';
import type { RouteTable } from '../../src/table.js';
import { flatRoute, ranked, ref, simpleTable } from '../reference/build.js';

function winner(table: RouteTable, request: Partial<ResolveRequest>): string | number {
  const decision = resolve(table, { method: 'GET', path: '/', ...request });
  return decision.kind === 'respond' ? decision.status : decision.route.name;
}

describe('route hostname buckets (H-7, decision 9)', () => {
  const table = simpleTable([
    flatRoute({ rank: 0, path: '/', chain: [ref('no-hostname')] }),
    flatRoute({ rank: 1, path: '/', hostnames: ['*.example.com'], chain: [ref('wide')] }),
    flatRoute({ rank: 2, path: '/', hostnames: ['*.b.example.com'], chain: [ref('narrow')] }),
    flatRoute({ rank: 3, path: '/', hostnames: ['a.b.example.com'], chain: [ref('exact')] }),
  ]);

  it('tries the exact hostname first, then wildcards longest first, then routes without hostnames', () => {
    expect(winner(table, { host: 'a.b.example.com' })).toBe('exact');
    expect(winner(table, { host: 'c.b.example.com' })).toBe('narrow');
    expect(winner(table, { host: 'x.y.b.example.com' })).toBe('narrow');
    expect(winner(table, { host: 'c.example.com' })).toBe('wide');
    expect(winner(table, { host: 'example.com' })).toBe('no-hostname');
    expect(winner(table, {})).toBe('no-hostname');
  });

  it('moves to the next bucket when no route of a bucket matches', () => {
    const fallThrough = simpleTable([
      flatRoute({ rank: 0, path: '/exact', hostnames: ['a.b.example.com'], chain: [ref('exact')] }),
      flatRoute({
        rank: 1,
        path: '/wide',
        hostnames: ['*.example.com', 'x.example.org'],
        chain: [ref('wide')],
      }),
      flatRoute({ rank: 2, path: '/', chain: [ref('any')] }),
    ]);
    expect(winner(fallThrough, { host: 'a.b.example.com', path: '/exact' })).toBe('exact');
    expect(winner(fallThrough, { host: 'a.b.example.com', path: '/wide' })).toBe('wide');
    expect(winner(fallThrough, { host: 'x.example.org', path: '/wide/x' })).toBe('wide');
    expect(winner(fallThrough, { host: 'a.b.example.com', path: '/other' })).toBe('any');
  });

  it('ranks inside a bucket by rank only, whatever the host specificity of the rank order', () => {
    const inverted = simpleTable([
      flatRoute({ rank: 0, path: '/', chain: [ref('any-first')] }),
      flatRoute({ rank: 1, path: '/', hostnames: ['a.example.com'], chain: [ref('exact-second')] }),
    ]);
    expect(winner(inverted, { host: 'a.example.com' })).toBe('exact-second');
    expect(winner(inverted, { host: 'b.example.com' })).toBe('any-first');
  });

  it('serves only the route hostnames it was given (H-5)', () => {
    const only = simpleTable([flatRoute({ rank: 0, hostnames: ['very.specific.com'] })]);
    expect(winner(only, { host: 'very.specific.com:1234' })).toBe('r0');
    expect(winner(only, { host: 'foo.specific.com' })).toBe(404);
    expect(resolve(only, { method: 'GET', path: '/', host: 'foo.specific.com' })).toEqual({
      kind: 'respond',
      status: 404,
      reason: 'no route',
      listener: { name: 'http', port: 80 },
    });
  });
});

describe('path matching', () => {
  it('Exact is equality (P-1)', () => {
    const table = simpleTable([flatRoute({ rank: 0, path: { type: 'Exact', value: '/two' } })]);
    expect(winner(table, { path: '/two' })).toBe('r0');
    expect(winner(table, { path: '/two?x=1' })).toBe('r0');
    for (const path of ['/two/', '/Two', '/twos', '/two/x', '/'])
      expect(winner(table, { path })).toBe(404);
  });

  it('PathPrefix is element-wise and ignores a trailing slash on the value (P-2, P-3)', () => {
    const table = simpleTable(ranked([{ path: '/abc/' }, { path: '/v2' }]));
    for (const path of ['/abc', '/abc/', '/abc/def', '/abc/def/'])
      expect(winner(table, { path })).toBe('r0');
    for (const path of ['/v2', '/v2/', '/v2/example']) expect(winner(table, { path })).toBe('r1');
    for (const path of ['/abcd', '/ab', '/v2example', '/foo/v2/example', '/'])
      expect(winner(table, { path })).toBe(404);
    expect(winner(simpleTable(ranked([{ path: '/' }])), { path: '/anything/at/all' })).toBe('r0');
  });

  it('matches the normalised path, so spellings cannot dodge a route', () => {
    const table = simpleTable(ranked([{ path: '/admin' }, { path: '/' }]));
    expect(winner(table, { path: '/public/../admin' })).toBe('r0');
    expect(winner(table, { path: '//admin' })).toBe('r0');
    expect(winner(table, { path: '/%61dmin' })).toBe('r0');
    expect(winner(table, { path: '/a%2Fdmin' })).toBe('r1');
  });

  it('meets configured values in canonical form', () => {
    const table = simpleTable(
      ranked([{ path: { type: 'Exact', value: '/%7euser' } }, { path: '/caf%c3%a9' }]),
    );
    expect(winner(table, { path: '/~user' })).toBe('r0');
    expect(winner(table, { path: '/caf%C3%A9/menu' })).toBe('r1');
  });

  it('RegularExpression matches the whole path, without the query (P-4, P-5)', () => {
    const table = simpleTable(
      ranked([{ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }]),
    );
    expect(winner(table, { path: '/v2/users?x=1' })).toBe('r0');
    expect(winner(table, { path: '/api/v2/users' })).toBe(404);
    expect(winner(table, { path: '/v2' })).toBe(404);
  });

  it('answers 400 for a malformed target', () => {
    const decision = resolve(simpleTable(ranked([{}])), { method: 'GET', path: '/a%zz' });
    expect(decision).toEqual({
      kind: 'respond',
      status: 400,
      reason: 'bad request: malformed percent-encoding',
    });
  });
});

describe('header, query and method matching', () => {
  it('compares header names case-insensitively and values exactly (HM-1, HM-2, decision 5)', () => {
    const table = simpleTable(ranked([{ headers: [['version', 'one']] }]));
    expect(winner(table, { headers: { Version: 'one' } })).toBe('r0');
    expect(winner(table, { headers: { VERSION: 'One' } })).toBe(404);
    expect(winner(table, { headers: {} })).toBe(404);
  });

  it('requires every header and joins repeated values with a comma (HM-3, decision 12)', () => {
    const table = simpleTable(
      ranked([
        {
          headers: [
            ['x-a', '1,2'],
            ['x-b', 'b'],
          ],
        },
      ]),
    );
    expect(winner(table, { headers: { 'x-a': ['1', '2'], 'x-b': 'b' } })).toBe('r0');
    expect(winner(table, { headers: { 'X-A': '1', 'x-a': '2', 'x-b': 'b' } })).toBe('r0');
    expect(winner(table, { headers: { 'x-a': ['1', '2'] } })).toBe(404);
  });

  it('matches header regexes against the whole value', () => {
    const table = simpleTable(
      ranked([{ headers: [{ type: 'RegularExpression', name: 'x-v', value: 'v[12]' }] }]),
    );
    expect(winner(table, { headers: { 'x-v': 'v2' } })).toBe('r0');
    expect(winner(table, { headers: { 'x-v': 'v22' } })).toBe(404);
  });

  it('compares query names case-sensitively, matches the first value, ignores extra params (QM-1..QM-4)', () => {
    const table = simpleTable(
      ranked([{ query: [['animal', 'whale']] }, { query: [['ANIMAL', 'Whale']] }]),
    );
    expect(winner(table, { path: '/?animal=whale&otherparam=irrelevant' })).toBe('r0');
    expect(winner(table, { path: '/?ANIMAL=Whale' })).toBe('r1');
    expect(winner(table, { path: '/?animal=whaledolphin' })).toBe(404);
    expect(winner(table, { path: '/?animal=dolphin&animal=whale' })).toBe(404);
    expect(winner(table, { path: '/?animal=whale&animal=dolphin' })).toBe('r0');
  });

  it('matches query regexes', () => {
    const table = simpleTable(
      ranked([{ query: [{ type: 'RegularExpression', name: 'id', value: '[0-9]+' }] }]),
    );
    expect(winner(table, { path: '/?id=42' })).toBe('r0');
    expect(winner(table, { path: '/?id=4x' })).toBe(404);
  });

  it('matches the method exactly (MM-1)', () => {
    const table = simpleTable(ranked([{ method: 'PATCH' }]));
    expect(winner(table, { method: 'PATCH' })).toBe('r0');
    expect(winner(table, { method: 'GET' })).toBe(404);
  });
});

describe('guards (delegation rule 10)', () => {
  it('matches a delegated route only when every ancestor match holds', () => {
    const table = simpleTable([
      flatRoute({
        rank: 0,
        path: { type: 'RegularExpression', value: '/banking/.*|/payments/.*' },
        guards: [{ path: '/banking', headers: [['x-team', 'bank']] }],
        chain: [ref('parent'), ref('child')],
      }),
    ]);
    expect(winner(table, { path: '/banking/x', headers: { 'x-team': 'bank' } })).toBe('child');
    expect(winner(table, { path: '/payments/x', headers: { 'x-team': 'bank' } })).toBe(404);
    expect(winner(table, { path: '/banking/x' })).toBe(404);
  });

  it('checks an Exact route against its guards', () => {
    const table = simpleTable([
      flatRoute({
        rank: 0,
        path: { type: 'Exact', value: '/a/b' },
        guards: [{ path: '/a', method: 'GET' }],
        chain: [ref('p'), ref('c')],
      }),
      flatRoute({
        rank: 1,
        path: { type: 'Exact', value: '/z' },
        guards: [{ path: '/a' }],
        chain: [ref('p'), ref('outside')],
      }),
    ]);
    expect(winner(table, { path: '/a/b' })).toBe('c');
    expect(winner(table, { path: '/a/b', method: 'POST' })).toBe(404);
    expect(winner(table, { path: '/z' })).toBe(404);
  });
});
