// Delegation contract sections 5-7: order (18-19), what a parent passes down (20-21), status (22-23).
import { describe, expect, it } from 'vitest';
import { backend, build, byLabel, child, parent, prefix, service } from './fixtures.js';

const services = [
  service('banking', 'accounts'),
  service('banking', 'cards'),
  service('payments', 'pay'),
];

describe('section 5: order', () => {
  it('rule 18: flattened routes sort together by precedence on the merged matches', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'short',
        [{ matches: [prefix('/banking')], backendRefs: [backend('cards')] }],
        'bank',
      ),
      child(
        'banking',
        'long',
        [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      child(
        'banking',
        're',
        [
          {
            matches: [{ path: { type: 'RegularExpression', value: '/banking/accounts/[0-9]+' } }],
            backendRefs: [backend('pay', 8080, 'payments')],
          },
        ],
        'bank',
      ),
      ...services,
    ]);
    expect(w.where('/banking/accounts/x')).toBe('banking/accounts:8080');
    // A regex ranks before any PathPrefix, whatever the length.
    expect(w.where('/banking/accounts/42')).toBe('status 500'); // cross-namespace without a grant
    expect(w.where('/banking/other')).toBe('banking/cards:8080');
  });

  it('rule 18: ties fall to the owning child creation time, then namespace/name', () => {
    const objects = (olderFirst: boolean) => [
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'zeta',
        [{ matches: [prefix('/banking')], backendRefs: [backend('cards')] }],
        'bank',
        {},
        {
          creationTimestamp: olderFirst ? '2024-01-01T00:00:00Z' : '2025-01-01T00:00:00Z',
        },
      ),
      child(
        'banking',
        'alpha',
        [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
        'bank',
        {},
        {
          creationTimestamp: '2024-06-01T00:00:00Z',
        },
      ),
      ...services,
    ];
    expect(build(objects(true)).where('/banking')).toBe('banking/cards:8080');
    expect(build(objects(false)).where('/banking')).toBe('banking/accounts:8080');
  });

  it('rule 19: with routeWeight, the owning route weight sorts first; a child does not inherit it', () => {
    const objects = [
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'heavy',
        [{ matches: [prefix('/banking')], backendRefs: [backend('cards')] }],
        'bank',
        {},
        {
          annotations: { 'kgateway.dev/route-weight': '10' },
        },
      ),
      child(
        'banking',
        'specific',
        [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      ...services,
    ];
    expect(build(objects).where('/banking/accounts')).toBe('banking/accounts:8080');
    expect(build(objects, { routeWeight: true }).where('/banking/accounts')).toBe(
      'banking/cards:8080',
    );
  });

  it('rule 19: an unparsable weight counts as 0 and is reported', () => {
    const w = build(
      [
        parent({ '/banking': byLabel('bank') }),
        child(
          'banking',
          'b',
          [{ matches: [prefix('/banking')], backendRefs: [backend('cards')] }],
          'bank',
          {},
          {
            annotations: { 'kgateway.dev/route-weight': 'heavy' },
          },
        ),
        ...services,
      ],
      { routeWeight: true },
    );
    expect(w.where('/banking')).toBe('banking/cards:8080');
    expect(
      w.diagnostics.some(
        (d) => d.code === 'invalid-route-weight' && d.message.includes('banking/b'),
      ),
    ).toBe(true);
  });
});

describe('section 6: what a parent rule passes down', () => {
  const header = (name: string, value: string) => ({
    type: 'RequestHeaderModifier',
    requestHeaderModifier: { set: [{ name, value }] },
  });
  const parentWith = (filters: object[], annotations: Record<string, string> = {}) => ({
    ...parent(
      {},
      {
        rules: [
          {
            matches: [prefix('/banking')],
            filters,
            backendRefs: [byLabel('bank')],
            timeouts: { request: '5s' },
          },
        ],
      },
    ),
    metadata: { namespace: 'infra', name: 'api', annotations },
  });

  it('rule 20: parent filters and timeouts apply to every flattened child; the child wins by default', () => {
    const w = build([
      parentWith([header('x-from', 'parent')]),
      child(
        'banking',
        'b',
        [
          {
            matches: [prefix('/banking/own')],
            filters: [header('x-from', 'child')],
            backendRefs: [backend('accounts')],
          },
          { matches: [prefix('/banking/plain')], backendRefs: [backend('cards')] },
        ],
        'bank',
      ),
      ...services,
    ]);
    const own = w.send('/banking/own');
    const plain = w.send('/banking/plain');
    expect(own.kind === 'forward' && own.requestHeaders?.set).toEqual([
      { name: 'x-from', value: 'child' },
    ]);
    expect(plain.kind === 'forward' && plain.requestHeaders?.set).toEqual([
      { name: 'x-from', value: 'parent' },
    ]);
    expect(plain.kind === 'forward' && plain.timeouts).toEqual({ requestMs: 5000 });
  });

  it('rule 20: ShallowMergePreferParent makes the parent win; unknown values fall back and are reported', () => {
    // The parent and the child both set x-from; only the parent's priority annotation differs.
    const withPriority = (priority: string) =>
      build([
        parentWith([header('x-from', 'parent')], {
          'kgateway.dev/inherited-policy-priority': priority,
        }),
        child(
          'banking',
          'b',
          [
            {
              matches: [prefix('/banking/own')],
              filters: [header('x-from', 'child')],
              backendRefs: [backend('accounts')],
            },
          ],
          'bank',
        ),
        ...services,
      ]);
    const prefer = withPriority('ShallowMergePreferParent');
    const d = prefer.send('/banking/own');
    expect(d.kind === 'forward' && d.requestHeaders?.set).toEqual([
      { name: 'x-from', value: 'parent' },
    ]);

    const unknown = withPriority('Whatever');
    const u = unknown.send('/banking/own');
    expect(u.kind === 'forward' && u.requestHeaders?.set).toEqual([
      { name: 'x-from', value: 'child' },
    ]);
    expect(unknown.diagnostics.some((x) => x.code === 'invalid-policy-priority')).toBe(true);
  });

  it('rule 21: an inherited ReplacePrefixMatch applies to the prefix that actually matched', () => {
    const rewrite = {
      type: 'URLRewrite',
      urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } },
    };
    const w = build([
      parent(
        {},
        {
          rules: [
            { matches: [prefix('/banking')], filters: [rewrite], backendRefs: [byLabel('bank')] },
          ],
        },
      ),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/accounts')], backendRefs: [backend('accounts')] }],
        'bank',
        {},
        {
          annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'yes' },
        },
      ),
      ...services,
    ]);
    const d = w.send('/banking/accounts/7?x=1');
    expect(d.kind === 'forward' && d.upstream.path).toBe('/v2/7?x=1');
  });
});

describe('section 7: status', () => {
  it('rule 22: each child gets a status entry for its parent HTTPRoute with Accepted and ResolvedRefs', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      ...services,
    ]);
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.entry.parentRef).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'HTTPRoute',
      namespace: 'infra',
      name: 'api',
    });
    expect(s?.Accepted?.status).toBe('True');
    expect(s?.ResolvedRefs?.status).toBe('True');
    expect(s?.PartiallyInvalid).toBeUndefined();
  });

  it('rule 23: errors inside a child are its own: its match answers 500, nothing else changes', () => {
    const w = build([
      parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking')], backendRefs: [backend('missing')] }],
        'bank',
      ),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.ResolvedRefs?.reason).toBe(
      'BackendNotFound',
    );
    expect(w.status('infra/api', 'Gateway', 'infra/gw')?.ResolvedRefs?.status).toBe('True');
    expect(w.status('payments/p', 'HTTPRoute', 'infra/api')?.ResolvedRefs?.status).toBe('True');
  });
});
