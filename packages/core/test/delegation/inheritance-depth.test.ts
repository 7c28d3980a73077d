// Delegation contract sections 3 and 4: matcher inheritance (13); depth, cycles, empty delegations (14-17).
import { describe, expect, it } from 'vitest';
import {
  backend,
  build,
  byLabel,
  byName,
  child,
  parent,
  prefix,
  route,
  service,
  toGateway,
} from './fixtures.js';

const services = [
  service('banking', 'accounts'),
  service('banking', 'cards'),
  service('infra', 'fallback'),
];
const inherit = { 'delegation.kgateway.dev/inherit-parent-matcher': 'True' };

describe('section 3: matcher inheritance', () => {
  it('rule 13: paths join the parent prefix, keeping the child type', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'b',
        [
          { matches: [prefix('/accounts')], backendRefs: [backend('accounts')] },
          { matches: [{ path: { type: 'Exact', value: '/' } }], backendRefs: [backend('cards')] },
        ],
        'bank',
        {},
        { annotations: inherit },
      ),
      ...services,
    ]);
    expect(w.where('/banking/accounts/1')).toBe('banking/accounts:8080');
    expect(w.where('/banking')).toBe('banking/cards:8080');
    expect(w.where('/accounts')).toBe('status 404');
  });

  it('rule 13: a child regex is appended to the escaped parent literal', () => {
    const w = build([
      parent({ '/banking.v1': byLabel('bank') }),
      child(
        'banking',
        'b',
        [
          {
            matches: [{ path: { type: 'RegularExpression', value: '/[0-9]+' } }],
            backendRefs: [backend('accounts')],
          },
        ],
        'bank',
        {},
        { annotations: inherit },
      ),
      ...services,
    ]);
    expect(w.where('/banking.v1/42')).toBe('banking/accounts:8080');
    expect(w.where('/bankingXv1/42')).toBe('status 404');
  });

  it('rule 13: headers and query are a union with the parent winning; method is the parent one', () => {
    const w = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [
                {
                  path: { type: 'PathPrefix', value: '/banking' },
                  method: 'GET',
                  headers: [{ name: 'x-tenant', value: 'eu' }],
                },
              ],
              backendRefs: [byLabel('bank')],
            },
          ],
        },
      ),
      child(
        'banking',
        'b',
        [
          {
            matches: [
              {
                path: { type: 'PathPrefix', value: '/a' },
                method: 'POST',
                headers: [
                  { name: 'x-tenant', value: 'us' },
                  { name: 'x-beta', value: '1' },
                ],
              },
            ],
            backendRefs: [backend('accounts')],
          },
        ],
        'bank',
        {},
        { annotations: inherit },
      ),
      ...services,
    ]);
    expect(
      w.where('/banking/a', { method: 'GET', headers: { 'x-tenant': 'eu', 'x-beta': '1' } }),
    ).toBe('banking/accounts:8080');
    expect(
      w.where('/banking/a', { method: 'POST', headers: { 'x-tenant': 'us', 'x-beta': '1' } }),
    ).toBe('status 404');
  });

  it('rule 13: an inheriting child under a RegularExpression parent is rejected', () => {
    const w = build([
      route('infra', 'api', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'RegularExpression', value: '/banking/.*' } }],
            backendRefs: [byLabel('bank')],
          },
        ],
      }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/a')], backendRefs: [backend('accounts')] }],
        'bank',
        {},
        { annotations: inherit },
      ),
      ...services,
    ]);
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.Accepted?.reason).toBe(
      'UnsupportedValue',
    );
  });
});

describe('section 4: depth, cycles, empty delegations', () => {
  const chain = (depth: number) =>
    Array.from({ length: depth }, (_, i) =>
      child('banking', `level-${i + 1}`, [
        i + 1 === depth
          ? { matches: [prefix('/banking')], backendRefs: [backend('accounts')] }
          : { matches: [prefix('/banking')], backendRefs: [byName(`level-${i + 2}`)] },
      ]),
    );

  it('rule 14: children may delegate again up to maxDelegationDepth', () => {
    const objects = [
      parent({ '/banking': byName('level-1', 'banking') }),
      ...chain(3),
      ...services,
    ];
    expect(build(objects, { maxDelegationDepth: 3 }).where('/banking')).toBe(
      'banking/accounts:8080',
    );
    const limited = build(objects, { maxDelegationDepth: 2 });
    expect(limited.where('/banking')).toBe('status 500');
    const s = limited.status('banking/level-2', 'HTTPRoute', 'banking/level-1');
    expect(s?.ResolvedRefs).toMatchObject({ status: 'False', reason: 'BackendNotFound' });
    expect(s?.ResolvedRefs?.message).toContain('maximum delegation depth 2');
  });

  it('rule 14: a diamond is not a cycle', () => {
    const w = build([
      parent({ '/banking': byName('left', 'banking'), '/banking/b': byName('right', 'banking') }),
      child('banking', 'left', [{ matches: [prefix('/banking')], backendRefs: [byName('leaf')] }]),
      child('banking', 'right', [
        { matches: [prefix('/banking/b')], backendRefs: [byName('leaf')] },
      ]),
      child('banking', 'leaf', [
        { matches: [prefix('/banking/b')], backendRefs: [backend('accounts')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/b')).toBe('banking/accounts:8080');
    expect(w.status('banking/left', 'HTTPRoute', 'infra/api')?.ResolvedRefs?.status).toBe('True');
  });

  it('rule 15: only the cyclic child is ignored, and its owner reports a cyclic reference', () => {
    const w = build([
      parent({ '/banking': byName('*', 'banking') }),
      child('banking', 'a', [
        { matches: [prefix('/banking/a')], backendRefs: [backend('accounts')] },
      ]),
      child('banking', 'loop', [
        { matches: [prefix('/banking/loop')], backendRefs: [byName('loop')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/a')).toBe('banking/accounts:8080');
    const s = w.status('banking/loop', 'HTTPRoute', 'infra/api');
    expect(s?.ResolvedRefs).toMatchObject({ status: 'False', reason: 'RefNotPermitted' });
    expect(s?.ResolvedRefs?.message).toContain('cyclic reference');
    expect(w.where('/banking/loop')).toBe('status 500');
  });

  it('rule 16: a delegation with no valid child answers 500 in its place; traffic never leaks', () => {
    const w = build([
      parent({ '/banking': byLabel('nobody'), '/': byName('fallback-route') }),
      child('infra', 'fallback-route', [
        { matches: [prefix('/')], backendRefs: [backend('fallback')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/other')).toBe('infra/fallback:8080');
    const s = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(s?.ResolvedRefs).toMatchObject({ status: 'False', reason: 'BackendNotFound' });
    expect(s?.ResolvedRefs?.message).toContain(
      'delegation.kgateway.dev/label/all/nobody: unresolved reference',
    );
  });

  it('rule 17: with a valid child, an unmatched request under the prefix falls through', () => {
    const w = build([
      parent({ '/banking': byLabel('bank'), '/': byName('fallback-route') }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      child('infra', 'fallback-route', [
        { matches: [prefix('/')], backendRefs: [backend('fallback')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/accounts')).toBe('banking/accounts:8080');
    expect(w.where('/banking/other')).toBe('infra/fallback:8080');
  });
});
