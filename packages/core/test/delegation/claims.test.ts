// Delegation contract section 2: what a child may claim (rules 6-12).
import { describe, expect, it } from 'vitest';
import {
  backend,
  build,
  byLabel,
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
const bankingChild = (rules: object[], extra: object = {}) =>
  child('banking', 'b', rules as never, 'bank', extra as never);

describe('section 2: claims', () => {
  it('rule 6: under an Exact or RegularExpression parent no child match is valid', () => {
    const w = build([
      route('infra', 'api', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/banking' } }],
            backendRefs: [byLabel('bank')],
          },
          {
            matches: [{ path: { type: 'RegularExpression', value: '/pay.*' } }],
            backendRefs: [byLabel('pay')],
          },
        ],
      }),
      bankingChild([
        {
          matches: [{ path: { type: 'Exact', value: '/banking' } }],
          backendRefs: [backend('accounts')],
        },
      ]),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      ...services,
    ]);
    expect(w.where('/banking')).toBe('status 500');
    expect(w.where('/payments')).toBe('status 500');
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.Accepted?.status).toBe('False');
  });

  it('rule 7: containment is segment-aware: /banking does not contain /bankingx', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      bankingChild([
        { matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] },
        { matches: [prefix('/bankingx')], backendRefs: [backend('cards')] },
        {
          matches: [{ path: { type: 'Exact', value: '/banking' } }],
          backendRefs: [backend('cards')],
        },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/accounts/7')).toBe('banking/accounts:8080');
    expect(w.where('/bankingx')).toBe('status 404');
    expect(w.where('/banking')).toBe('banking/cards:8080');
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.Accepted?.status).toBe('True');
    expect(s?.PartiallyInvalid?.message).toMatch(
      /^Dropped Rule 1 match 0 .*\/bankingx.*outside the delegated prefix \/banking/,
    );
  });

  it('rule 7: a trailing slash on the parent is ignored, and parent / contains everything', () => {
    const w = build([
      parent({ '/banking/': byLabel('bank'), '/': byLabel('root') }),
      bankingChild([{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }]),
      child(
        'payments',
        'anything',
        [{ matches: [prefix('/anything')], backendRefs: [backend('pay')] }],
        'root',
      ),
      ...services,
    ]);
    expect(w.where('/banking')).toBe('banking/accounts:8080');
    expect(w.where('/anything/x')).toBe('payments/pay:8080');
  });

  it('rule 7: a child regex is checked on its literal prefix', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      bankingChild([
        {
          matches: [{ path: { type: 'RegularExpression', value: '/banking/.*' } }],
          backendRefs: [backend('accounts')],
        },
        {
          matches: [{ path: { type: 'RegularExpression', value: '^/banking/v[0-9]+' } }],
          backendRefs: [backend('cards')],
        },
        {
          matches: [{ path: { type: 'RegularExpression', value: '/bank.*' } }],
          backendRefs: [backend('cards')],
        },
        {
          matches: [{ path: { type: 'RegularExpression', value: '(/banking|/payments)/.*' } }],
          backendRefs: [backend('cards')],
        },
      ]),
      ...services,
    ]);
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.PartiallyInvalid?.message).toContain('Dropped Rule 2 match 0');
    expect(s?.PartiallyInvalid?.message).toContain('Dropped Rule 3 match 0');
    expect(s?.PartiallyInvalid?.message).not.toContain('Dropped Rule 0');
    expect(s?.PartiallyInvalid?.message).not.toContain('Dropped Rule 1');
    expect(w.where('/banking/v2')).toBe('banking/accounts:8080');
  });

  it('rule 8: child headers and query must include the parent ones; extras are allowed', () => {
    const w = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [
                {
                  path: { type: 'PathPrefix', value: '/banking' },
                  headers: [{ name: 'X-Tenant', value: 'eu' }],
                  queryParams: [{ name: 'v', value: '2' }],
                },
              ],
              backendRefs: [byLabel('bank')],
            },
          ],
        },
      ),
      bankingChild([
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/banking/a' },
              headers: [
                { name: 'x-tenant', value: 'eu' },
                { name: 'x-extra', value: '1' },
              ],
              queryParams: [{ name: 'v', value: '2' }],
            },
          ],
          backendRefs: [backend('accounts')],
        },
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/banking/b' },
              queryParams: [{ name: 'v', value: '2' }],
            },
          ],
          backendRefs: [backend('cards')],
        },
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/banking/c' },
              headers: [{ name: 'x-tenant', value: 'us' }],
              queryParams: [{ name: 'v', value: '2' }],
            },
          ],
          backendRefs: [backend('cards')],
        },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/a?v=2', { headers: { 'x-tenant': 'eu', 'x-extra': '1' } })).toBe(
      'banking/accounts:8080',
    );
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.PartiallyInvalid?.message).toContain('Dropped Rule 1 match 0');
    expect(s?.PartiallyInvalid?.message).toContain('Dropped Rule 2 match 0');
  });

  it('rule 9: if the parent has a method the child must have the same method', () => {
    const w = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/banking' }, method: 'POST' }],
              backendRefs: [byLabel('bank')],
            },
          ],
        },
      ),
      bankingChild([
        {
          matches: [{ path: { type: 'PathPrefix', value: '/banking/a' }, method: 'POST' }],
          backendRefs: [backend('accounts')],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/banking/b' } }],
          backendRefs: [backend('cards')],
        },
      ]),
      ...services,
    ]);
    expect(w.where('/banking/a', { method: 'POST' })).toBe('banking/accounts:8080');
    expect(w.where('/banking/b', { method: 'POST' })).toBe('status 404');
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.PartiallyInvalid?.message).toContain(
      'method must be POST',
    );
  });

  it('rule 10: a flattened child route matches only when every ancestor match matches', () => {
    const w = build([
      parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') }),
      bankingChild([
        {
          matches: [{ path: { type: 'RegularExpression', value: '/banking/.*|/payments/.*' } }],
          backendRefs: [backend('accounts')],
        },
      ]),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments/charge')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('banking/accounts:8080');
    // The regex text reaches into /payments; the guard of its parent match keeps it out.
    expect(w.where('/payments/other')).toBe('status 404');
    expect(w.where('/payments/charge')).toBe('payments/pay:8080');
  });

  it('rule 11: a child left with no rules is not attached and says why', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      bankingChild([{ matches: [prefix('/payments')], backendRefs: [backend('accounts')] }]),
      ...services,
    ]);
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.Accepted?.status).toBe('False');
    expect(s?.Accepted?.message).toMatch(
      /^Dropped Rule 0 match 0 .*\/payments.*delegated scope is PathPrefix \/banking/,
    );
    expect(w.where('/banking/x')).toBe('status 500');
  });

  it('rule 12: a child that sets hostnames is not attached under that parent', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      bankingChild([{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }], {
        hostnames: ['evil.example.com'],
      }),
      ...services,
    ]);
    const s = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(s?.Accepted).toMatchObject({ status: 'False', reason: 'UnsupportedValue' });
    expect(s?.Accepted?.message).toContain('hostnames');
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/banking/x', { host: 'evil.example.com' })).toBe('status 404');
  });
});
