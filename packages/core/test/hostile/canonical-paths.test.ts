// Delegation contract rule 24: match values are judged as they match (canonical form, decision 4).
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
} from '../delegation/fixtures.js';

const services = [service('banking', 'accounts'), service('payments', 'pay')];
const platform = parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') });
const payments = child(
  'payments',
  'p',
  [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
  'pay',
);
const hostile = (path: object, annotations: Record<string, string> = {}) =>
  child(
    'banking',
    'evil',
    [{ matches: [{ path }], backendRefs: [backend('accounts')] }],
    'bank',
    {},
    { annotations },
  );

const DOT_SPELLINGS = ['%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.'];

describe('rule 24: canonical path values', () => {
  for (const dots of DOT_SPELLINGS) {
    it(`rule 24: a child PathPrefix /banking/${dots}/payments never takes /payments traffic`, () => {
      const w = build([
        platform,
        payments,
        hostile({ type: 'PathPrefix', value: `/banking/${dots}/payments` }),
        ...services,
      ]);
      expect(w.where('/payments/x')).toBe('payments/pay:8080');
      expect(w.where('/payments')).toBe('payments/pay:8080');
      const status = w.status('banking/evil', 'HTTPRoute', 'infra/api');
      expect(status?.Accepted?.status).toBe('False');
      expect(status?.Accepted?.message).toContain('canonical form /payments');
      expect(status?.Accepted?.message).toContain('outside the delegated prefix /banking');
    });
  }

  it('rule 24: an Exact child value that climbs out of the prefix is dropped', () => {
    const w = build([
      platform,
      payments,
      hostile({ type: 'Exact', value: '/banking/%2e%2e/payments/x' }),
      ...services,
    ]);
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    expect(w.status('banking/evil', 'HTTPRoute', 'infra/api')?.Accepted?.status).toBe('False');
  });

  it('rule 24: an inheriting child cannot climb out of the parent prefix with an encoded ..', () => {
    const inherit = { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' };
    const w = build([
      platform,
      payments,
      hostile({ type: 'PathPrefix', value: '/%2e%2e/payments' }, inherit),
      ...services,
    ]);
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    const status = w.status('banking/evil', 'HTTPRoute', 'infra/api');
    expect(status?.Accepted?.status).toBe('False');
    expect(status?.Accepted?.message).toContain('matches as /payments');
  });

  it('rule 24: a regex whose literal prefix climbs out is refused, and guarded at run time anyway', () => {
    const w = build([
      platform,
      payments,
      hostile({ type: 'RegularExpression', value: '/banking/%2e%2e/payments.*' }),
      ...services,
    ]);
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    expect(w.status('banking/evil', 'HTTPRoute', 'infra/api')?.Accepted?.status).toBe('False');
  });

  it('rule 24: a value inside the prefix whose text differs is accepted, reported with its canonical form, and matches', () => {
    const w = build([
      platform,
      payments,
      hostile({ type: 'PathPrefix', value: '/banking/%7Eadmin/%2e%2e/accounts' }),
      ...services,
    ]);
    expect(w.where('/banking/accounts/1')).toBe('banking/accounts:8080');
    expect(w.where('/banking/~admin/x')).toBe('status 404');
    const status = w.status('banking/evil', 'HTTPRoute', 'infra/api');
    expect(status?.Accepted?.status).toBe('True');
    expect(status?.Accepted?.message).toContain('matches as /banking/accounts');
    const finding = w.findings.find((f) => f.code === 'canonical-form-differs');
    expect(finding).toMatchObject({
      severity: 'warning',
      object: { kind: 'HTTPRoute', namespace: 'banking', name: 'evil' },
      path: 'spec.rules[0].matches[0].path.value',
    });
    expect(finding?.message).toContain('/banking/accounts');
  });

  it('rule 24 / rule 18: precedence uses the canonical length, not the text length', () => {
    // `/a/%2e%2e/b/c/d/e` is longer as text than `/b/c/d/e/f` but shorter as it matches (`/b/c/d/e`).
    const w = build([
      route('infra', 'long-text', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [prefix('/a/%2e%2e/b/c/d/e')],
            backendRefs: [backend('accounts', 8080, 'banking')],
          },
        ],
      }),
      route('infra', 'long-match', {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [
          { matches: [prefix('/b/c/d/e/f')], backendRefs: [backend('pay', 8080, 'payments')] },
        ],
      }),
      {
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { namespace: 'banking', name: 'g' },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
          to: [{ group: '', kind: 'Service' }],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1beta1',
        kind: 'ReferenceGrant',
        metadata: { namespace: 'payments', name: 'g' },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
          to: [{ group: '', kind: 'Service' }],
        },
      },
      ...services,
    ]);
    expect(w.where('/b/c/d/e/f/g')).toBe('payments/pay:8080');
    expect(w.where('/b/c/d/e/x')).toBe('banking/accounts:8080');
    const ranks = w.table.listeners[0]!.routes.map((r) => r.chain[0]!.name);
    expect(ranks).toEqual(['long-match', 'long-text']);
  });
});
