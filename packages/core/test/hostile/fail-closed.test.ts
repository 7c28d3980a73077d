// Decision 24: filters a delegating rule cannot carry out fail closed; decision on an inherited
// ReplacePrefixMatch under a RegularExpression child (delegation rule 21).
import { describe, expect, it } from 'vitest';
import { backend, build, byLabel, child, parent, prefix, service } from '../delegation/fixtures.js';

const services = [service('banking', 'accounts'), service('payments', 'pay')];
const banking = child(
  'banking',
  'b',
  [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
  'bank',
);
const payments = child(
  'payments',
  'p',
  [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
  'pay',
);

function platform(bankingRule: object) {
  return parent(
    {},
    {
      rules: [
        { matches: [prefix('/banking')], backendRefs: [byLabel('bank')], ...bankingRule },
        { matches: [prefix('/payments')], backendRefs: [byLabel('pay')] },
      ],
    },
  );
}

describe('decision 24: fail closed on a delegating rule', () => {
  it('decision 24: an ExtensionRef on a delegating rule makes every route under it answer 500, InvalidKind on the owner', () => {
    const w = build([
      platform({
        filters: [
          {
            type: 'ExtensionRef',
            extensionRef: { group: 'gateway.kgateway.dev', kind: 'TrafficPolicy', name: 'auth' },
          },
        ],
      }),
      banking,
      payments,
      ...services,
    ]);
    expect(w.where('/banking')).toBe('status 500');
    expect(w.where('/banking/anything')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    const status = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(status?.ResolvedRefs).toMatchObject({ status: 'False', reason: 'InvalidKind' });
    expect(status?.ResolvedRefs?.message).toContain(
      'ExtensionRef gateway.kgateway.dev/TrafficPolicy/auth',
    );
    expect(status?.Accepted?.status).toBe('True');
  });

  it('decision 24: filters written on the delegation backendRef itself fail the delegation closed and are reported (pinned choice)', () => {
    const w = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [prefix('/banking')],
              backendRefs: [
                {
                  ...byLabel('bank'),
                  filters: [
                    {
                      type: 'RequestHeaderModifier',
                      requestHeaderModifier: { set: [{ name: 'x-auth', value: 'required' }] },
                    },
                  ],
                },
              ],
            },
            { matches: [prefix('/payments')], backendRefs: [byLabel('pay')] },
          ],
        },
      ),
      banking,
      payments,
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    const status = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(status?.ResolvedRefs?.reason).toBe('InvalidKind');
    expect(status?.ResolvedRefs?.message).toContain('spec.rules[0].backendRefs[0].filters');
  });

  it('decision 24: a RequestMirror to a missing Service on a delegating rule is reported like on an ordinary rule', () => {
    const w = build([
      platform({
        filters: [
          { type: 'RequestMirror', requestMirror: { backendRef: { name: 'ghost', port: 80 } } },
        ],
      }),
      banking,
      payments,
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('banking/accounts:8080');
    const status = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(status?.ResolvedRefs).toMatchObject({ status: 'False', reason: 'BackendNotFound' });
    expect(status?.ResolvedRefs?.message).toContain('mirror');
  });

  it('decision 24: an ExtensionRef on a nested delegating rule fails only that delegation', () => {
    const w = build([
      platform({}),
      child(
        'banking',
        'b',
        [
          {
            matches: [prefix('/banking/cards')],
            filters: [
              { type: 'ExtensionRef', extensionRef: { group: 'x.dev', kind: 'Auth', name: 'a' } },
            ],
            backendRefs: [byLabel('cards', 'banking')],
          },
          { matches: [prefix('/banking')], backendRefs: [backend('accounts')] },
        ],
        'bank',
      ),
      child(
        'banking',
        'c',
        [{ matches: [prefix('/banking/cards')], backendRefs: [backend('accounts')] }],
        'cards',
      ),
      payments,
      ...services,
    ]);
    expect(w.where('/banking/cards/1')).toBe('status 500');
    expect(w.where('/banking/other')).toBe('banking/accounts:8080');
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.ResolvedRefs?.reason).toBe(
      'InvalidKind',
    );
  });
});

describe('rule 21: inherited ReplacePrefixMatch on a RegularExpression child', () => {
  it('rule 21: the parent prefix (proved by the guard) is replaced, and the child is told', () => {
    const w = build([
      platform({
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } },
          },
        ],
      }),
      child(
        'banking',
        'b',
        [
          {
            matches: [{ path: { type: 'RegularExpression', value: '/banking/acc[0-9]+' } }],
            backendRefs: [backend('accounts')],
          },
        ],
        'bank',
      ),
      payments,
      ...services,
    ]);
    const decision = w.send('/banking/acc42');
    expect(decision.kind).toBe('forward');
    expect(decision.kind === 'forward' && decision.upstream.path).toBe('/v2/acc42');
    const status = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(status?.Accepted?.message).toContain('replaces the parent prefix /banking');
  });
});
