// Delegation contract rule 27: cross-namespace effects are visible and attributed (findings as data).
import { ALLOWED_NAMESPACES_ANNOTATION, type Finding } from '@switchyard/core';
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
} from '../delegation/fixtures.js';

const services = [
  service('banking', 'accounts'),
  service('payments', 'pay'),
  service('mallory', 'm'),
];
const codes = (findings: readonly Finding[], code: string) =>
  findings.filter((f) => f.code === code);
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

describe('rule 27: findings', () => {
  it('rule 27: label-delegation-spans-namespaces, on the parent and on each selected route', () => {
    const squatter = child(
      'mallory',
      'm',
      [{ matches: [prefix('/banking/x')], backendRefs: [backend('m')] }],
      'bank',
    );
    const w = build([
      parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') }),
      banking,
      payments,
      squatter,
      ...services,
    ]);
    const found = codes(w.findings, 'label-delegation-spans-namespaces');
    const onParent = found.find((f) => f.object.name === 'api');
    expect(onParent).toMatchObject({
      severity: 'warning',
      object: { namespace: 'infra' },
      path: 'spec.rules[0].backendRefs[0]',
    });
    expect(onParent?.affects).toEqual(['banking', 'mallory']);
    expect(found.find((f) => f.object.namespace === 'banking')?.affects).toEqual(['mallory']);
    expect(found.find((f) => f.object.namespace === 'mallory')?.affects).toEqual(['banking']);
    expect(found).toHaveLength(3);
  });

  it('rule 27: label-delegation-spans-namespaces follows delegationAllNamespaces', () => {
    const squatter = child(
      'mallory',
      'm',
      [{ matches: [prefix('/banking/x')], backendRefs: [backend('m')] }],
      'bank',
    );
    const objects = [
      parent({ '/banking': byLabel('bank', 'everywhere') }),
      banking,
      squatter,
      ...services,
    ];
    const starred = build(objects, { delegationAllNamespaces: 'everywhere' });
    const onParent = codes(starred.findings, 'label-delegation-spans-namespaces').find(
      (f) => f.object.name === 'api',
    );
    expect(onParent?.affects).toEqual(['banking', 'mallory']);
    expect(onParent?.message).toContain('(namespace: everywhere)');
    // With the default, `everywhere` is one namespace (there is none): nothing is selected, nothing spans.
    expect(codes(build(objects).findings, 'label-delegation-spans-namespaces')).toHaveLength(0);
  });

  it(`rule 27: the ${ALLOWED_NAMESPACES_ANNOTATION} annotation keeps other namespaces out, each told`, () => {
    const squatter = child(
      'mallory',
      'm',
      [{ matches: [prefix('/banking/x')], backendRefs: [backend('m')] }],
      'bank',
    );
    const platform = route(
      'infra',
      'api',
      {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [{ matches: [prefix('/banking')], backendRefs: [byLabel('bank')] }],
      },
      { annotations: { [ALLOWED_NAMESPACES_ANNOTATION]: 'banking, payments' } },
    );
    const w = build([platform, banking, squatter, ...services]);
    expect(w.where('/banking/x')).toBe('banking/accounts:8080');
    const status = w.status('mallory/m', 'HTTPRoute', 'infra/api');
    expect(status?.Accepted).toMatchObject({ status: 'False', reason: 'NotAllowedByParent' });
    expect(codes(w.findings, 'namespace-not-allowed')).toMatchObject([
      { object: { namespace: 'mallory', name: 'm' } },
    ]);
    expect(codes(w.findings, 'label-delegation-spans-namespaces')).toHaveLength(0);
  });

  for (const how of ['label', 'name', 'wildcard'] as const) {
    it(`rule 27: grafts-foreign-routes, a delegated child selecting another namespace's routes by ${how}`, () => {
      const ref = how === 'label' ? byLabel('pay') : byName(how === 'name' ? 'p' : '*', 'payments');
      const grafter = child(
        'banking',
        'b',
        [
          { matches: [prefix('/banking/pay')], backendRefs: [ref] },
          { matches: [prefix('/banking')], backendRefs: [backend('accounts')] },
        ],
        'bank',
      );
      const w = build([
        parent({ '/banking': byLabel('bank', 'banking') }),
        grafter,
        child(
          'payments',
          'p',
          [{ matches: [prefix('/banking/pay')], backendRefs: [backend('pay')] }],
          'pay',
        ),
        ...services,
      ]);
      const graft = codes(w.findings, 'grafts-foreign-routes');
      expect(graft).toHaveLength(1);
      expect(graft[0]).toMatchObject({
        severity: 'error',
        object: { kind: 'HTTPRoute', namespace: 'banking', name: 'b' },
        path: 'spec.rules[0].backendRefs[0]',
        affects: ['payments'],
        reached: [{ kind: 'HTTPRoute', namespace: 'payments', name: 'p' }],
      });
    });
  }

  it('rule 27: selects-without-consent, by name or wildcard, only when the route does not list the parent', () => {
    const silent = child('payments', 'p', [
      { matches: [prefix('/payments')], backendRefs: [backend('pay')] },
    ]);
    const consenting = child(
      'payments',
      'q',
      [{ matches: [prefix('/payments/q')], backendRefs: [backend('pay')] }],
      undefined,
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
    );
    const w = build([
      parent({ '/payments': byName('*', 'payments') }),
      silent,
      consenting,
      ...services,
    ]);
    const found = codes(w.findings, 'selects-without-consent');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      object: { namespace: 'infra', name: 'api' },
      reached: [{ namespace: 'payments', name: 'p' }],
    });
  });

  it("rule 27: shadows-delegated-prefix, a route attached to the Gateway claiming inside another namespace's prefix", () => {
    const direct = (name: string, match: object) =>
      route('mallory', name, {
        ...toGateway,
        hostnames: ['api.example.com'],
        rules: [{ matches: [match], backendRefs: [backend('m')] }],
      });
    const w = build([
      parent({ '/banking': byLabel('bank') }),
      banking,
      direct('prefix', prefix('/banking/accounts')),
      direct('exact', { path: { type: 'Exact', value: '/banking' } }),
      direct('regex', { path: { type: 'RegularExpression', value: '/.*' } }),
      direct('elsewhere', prefix('/mallory')),
      route('mallory', 'other-host', {
        ...toGateway,
        hostnames: ['other.example.com'],
        rules: [{ matches: [prefix('/banking')], backendRefs: [backend('m')] }],
      }),
      ...services,
    ]);
    const found = codes(w.findings, 'shadows-delegated-prefix');
    expect(found.map((f) => f.object.name).sort()).toEqual(['exact', 'prefix', 'regex']);
    expect(found.every((f) => f.severity === 'error' && f.affects[0] === 'banking')).toBe(true);
  });

  const backendObject = (host: string, port: number) => ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { namespace: 'mallory', name: 'be' },
    spec: { type: 'Static', static: { hosts: [{ host, port }] } },
  });

  it("rule 27: backend-address-of-foreign-service, a static Backend at another namespace's Service address", () => {
    const serviceAddresses = [
      { namespace: 'banking', name: 'accounts', port: 8080, host: '10.0.0.7' },
      { namespace: 'mallory', name: 'm', host: '10.0.0.9' },
    ];
    const w = build([backendObject('10.0.0.7', 8080), ...services], { serviceAddresses });
    expect(codes(w.findings, 'backend-address-of-foreign-service')).toMatchObject([
      {
        severity: 'error',
        object: { kind: 'Backend', namespace: 'mallory', name: 'be' },
        path: 'spec.static.hosts[0]',
        affects: ['banking'],
        reached: [{ kind: 'Service', namespace: 'banking', name: 'accounts' }],
      },
    ]);
    expect(
      codes(
        build([backendObject('10.0.0.7', 9090), ...services], { serviceAddresses }).findings,
        'backend-address-of-foreign-service',
      ),
    ).toHaveLength(0);
    expect(
      codes(
        build([backendObject('10.0.0.9', 1), ...services], { serviceAddresses }).findings,
        'backend-address-of-foreign-service',
      ),
    ).toHaveLength(0);
  });

  it("decision 21: self-target, a Backend or a mirrored Service at one of the gateway's own addresses", () => {
    const ownAddresses = [{ host: '127.0.0.1', port: 8080 }, { host: 'gateway.local' }];
    const w = build(
      [
        backendObject('GATEWAY.local', 9000),
        route('banking', 'r', {
          ...toGateway,
          rules: [
            {
              matches: [prefix('/x')],
              filters: [
                {
                  type: 'RequestMirror',
                  requestMirror: { backendRef: { name: 'accounts', port: 8080 } },
                },
              ],
              backendRefs: [backend('accounts')],
            },
          ],
        }),
        ...services,
      ],
      {
        ownAddresses,
        serviceAddresses: [
          { namespace: 'banking', name: 'accounts', port: 8080, host: '127.0.0.1' },
        ],
      },
    );
    const found = codes(w.findings, 'self-target');
    expect(found.map((f) => `${f.object.kind} ${f.object.name} ${f.path}`).sort()).toEqual([
      'Backend be spec.static.hosts[0]',
      'HTTPRoute r spec.rules[0].backendRefs[0]',
      'HTTPRoute r spec.rules[0].filters[0]',
    ]);
  });

  it('rule 27: a single-namespace delegation produces no finding', () => {
    const w = build([
      parent({ '/banking': byLabel('bank', 'banking'), '/payments': byLabel('pay', 'payments') }),
      banking,
      payments,
      ...services,
    ]);
    expect(w.findings).toEqual([]);
  });
});
