// Delegation contract section 1: how a parent selects children (rules 1-5).
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
  service('payments', 'pay'),
];

describe('section 1: selection', () => {
  it('rule 1: a parent selects one child by name', () => {
    const w = build([
      parent({ '/banking': byName('banking-routes', 'banking') }),
      child('banking', 'banking-routes', [
        { matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/accounts/1')).toBe('banking/accounts:8080');
  });

  it('rule 1: name "*" selects every HTTPRoute of the namespace', () => {
    const w = build([
      parent({ '/banking': byName('*', 'banking') }),
      child('banking', 'a', [
        { matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] },
      ]),
      child('banking', 'c', [
        { matches: [prefix('/banking/cards')], backendRefs: [backend('cards')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/accounts')).toBe('banking/accounts:8080');
    expect(w.where('/banking/cards')).toBe('banking/cards:8080');
  });

  it('rule 1: a label selects every route carrying delegation.kgateway.dev/label', () => {
    const w = build([
      parent({ '/banking': byLabel('banking-bff') }),
      child(
        'banking',
        'a',
        [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
        'banking-bff',
      ),
      child('banking', 'unlabelled', [
        { matches: [prefix('/banking/cards')], backendRefs: [backend('cards')] },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/accounts')).toBe('banking/accounts:8080');
    expect(w.where('/banking/cards')).toBe('status 404');
  });

  it('rule 1: any other group/kind is an ordinary backend', () => {
    const w = build([
      route('infra', 'api', {
        ...toGateway,
        rules: [{ backendRefs: [{ group: 'example.com', kind: 'HTTPRoute', name: 'x' }] }],
      }),
    ]);
    expect(w.where('/')).toBe('status 500');
    expect(w.status('infra/api', 'Gateway', 'infra/gw')?.ResolvedRefs?.reason).toBe('InvalidKind');
  });

  it('rule 2: namespace omitted means the parent namespace; namespace all means every namespace', () => {
    const w = build([
      parent({ '/banking': byName('local'), '/payments': byLabel('pay') }),
      child('infra', 'local', [
        { matches: [prefix('/banking')], backendRefs: [backend('accounts', 8080, 'banking')] },
      ]),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      {
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { namespace: 'banking', name: 'g' },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
          to: [{ group: '', kind: 'Service' }],
        },
      },
      ...services,
    ]);
    expect(w.where('/banking')).toBe('banking/accounts:8080');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
  });

  it('rule 2: a label in a named namespace selects only there', () => {
    const w = build([
      parent({ '/payments': byLabel('pay', 'payments') }),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments/a')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      child(
        'banking',
        'intruder',
        [{ matches: [prefix('/payments/b')], backendRefs: [backend('accounts')] }],
        'pay',
      ),
      ...services,
    ]);
    expect(w.where('/payments/a')).toBe('payments/pay:8080');
    expect(w.where('/payments/b')).toBe('status 404');
  });

  it('rule 3: a child with parentRefs accepts only the parents it lists; others skip it silently', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'consents',
        [{ matches: [prefix('/banking/a')], backendRefs: [backend('accounts')] }],
        'bank',
        {
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              name: 'api',
              namespace: 'infra',
            },
          ],
        },
      ),
      child(
        'banking',
        'refuses',
        [{ matches: [prefix('/banking/c')], backendRefs: [backend('cards')] }],
        'bank',
        {
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              name: 'other',
              namespace: 'infra',
            },
          ],
        },
      ),
      ...services,
    ]);
    expect(w.where('/banking/a')).toBe('banking/accounts:8080');
    expect(w.where('/banking/c')).toBe('status 404');
    expect(w.status('banking/refuses', 'HTTPRoute', 'infra/api')).toBeUndefined();
    expect(w.status('banking/consents', 'HTTPRoute', 'infra/api')?.Accepted?.status).toBe('True');
  });

  it('rule 3: a route whose parentRefs list only Gateways is not a child', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'gw-only',
        [{ matches: [prefix('/banking/a')], backendRefs: [backend('accounts')] }],
        'bank',
        {
          parentRefs: [{ name: 'elsewhere', namespace: 'infra' }],
        },
      ),
      ...services,
    ]);
    expect(w.where('/banking/a')).toBe('status 500');
    expect(w.status('banking/gw-only', 'HTTPRoute', 'infra/api')).toBeUndefined();
  });

  it('rule 4: a route with a Gateway and a parent route is attached on its own and evaluated as a child', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'both',
        [{ matches: [prefix('/banking/a')], backendRefs: [backend('accounts')] }],
        'bank',
        {
          parentRefs: [
            { name: 'gw', namespace: 'infra' },
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              name: 'api',
              namespace: 'infra',
            },
          ],
          hostnames: ['own.example.com'],
        },
      ),
      ...services,
    ]);
    // As a child it sets hostnames, so it is rejected under the parent (rule 12) ...
    expect(w.status('banking/both', 'HTTPRoute', 'infra/api')?.Accepted?.reason).toBe(
      'UnsupportedValue',
    );
    expect(w.where('/banking/a')).toBe('status 500');
    // ... while its own Gateway attachment serves its own hostname.
    expect(w.status('banking/both', 'Gateway', 'infra/gw')?.Accepted?.status).toBe('True');
    expect(w.where('/banking/a', { host: 'own.example.com' })).toBe('banking/accounts:8080');
  });

  it('rule 5: a rule mixing delegation and ordinary backends is dropped and reported', () => {
    const w = build([
      route('infra', 'api', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [prefix('/banking')],
            backendRefs: [byLabel('bank'), backend('accounts', 8080, 'banking')],
          },
          { matches: [prefix('/payments')], backendRefs: [byLabel('pay')] },
        ],
      }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
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
    expect(w.where('/banking/x')).toBe('status 404');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    const s = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(s?.PartiallyInvalid?.message).toMatch(/^Dropped Rule 0/);
  });

  it('rule 5: two delegation refs in one rule select the union, each child once', () => {
    const w = build([
      route('infra', 'api', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          { matches: [prefix('/banking')], backendRefs: [byLabel('bank'), byName('*', 'banking')] },
        ],
      }),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('banking/accounts:8080');
    expect(w.table.listeners[0]!.routes).toHaveLength(1);
  });
});
