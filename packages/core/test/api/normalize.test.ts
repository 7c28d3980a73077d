/** The entry point: unreadable objects, duplicates, and independence from input order. */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/api/normalize.js';
import { gateway, httpRoute } from './_helpers.js';

describe('objects that cannot be read', () => {
  it('reports each with its index and code, and keeps the rest', () => {
    const { objects, diagnostics } = normalize([
      42,
      null,
      [],
      { metadata: { name: 'x' } },
      { kind: 'HTTPRoute', metadata: {} },
      { kind: 'GatewayClass', metadata: { name: 'gc' } },
      { apiVersion: 'example.com/v1', kind: 'HTTPRoute', metadata: { name: 'other-group' } },
      { kind: 'HTTPRoute', metadata: { name: 'x', namespace: 5 } },
      httpRoute({}),
    ]);
    expect(diagnostics.map((d) => [d.index, d.code, d.severity])).toEqual([
      [0, 'not-an-object', 'error'],
      [1, 'not-an-object', 'error'],
      [2, 'not-an-object', 'error'],
      [3, 'missing-kind', 'error'],
      [4, 'missing-name', 'error'],
      [5, 'unknown-kind', 'warning'],
      [6, 'unknown-kind', 'warning'],
      [7, 'invalid-metadata', 'error'],
    ]);
    expect(diagnostics[5]!.object).toEqual({ kind: 'GatewayClass', name: 'gc' });
    expect(objects.routes.map((r) => r.key)).toEqual(['apps/web']);
  });

  it('does not throw on a non-list input', () => {
    const { objects, diagnostics } = normalize('nope' as unknown as unknown[]);
    expect(objects.routes).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['not-a-list']);
  });

  it('route problems stay on the route, not in diagnostics', () => {
    const { diagnostics } = normalize([httpRoute({ hostnames: ['bad_host'] })]);
    expect(diagnostics).toEqual([]);
  });
});

describe('duplicates', () => {
  const a = httpRoute({ hostnames: ['a.example.com'] });
  const b = httpRoute({ hostnames: ['b.example.com'] });

  it('keeps the same one whatever the order, and reports the other', () => {
    const first = normalize([a, b]);
    const second = normalize([b, a]);
    expect(first.objects).toEqual(second.objects);
    expect(first.objects.routes).toHaveLength(1);
    expect(first.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'duplicate-object',
        message:
          'HTTPRoute apps/web appears more than once; object 1 ignored, object 0 kept (its content sorts first)',
        index: 1,
        object: { kind: 'HTTPRoute', namespace: 'apps', name: 'web' },
      },
    ]);
    expect(second.diagnostics.map((d) => d.index)).toEqual([0]);
  });

  it('the same name in another kind or namespace is no duplicate; no namespace means default', () => {
    const { objects, diagnostics } = normalize([
      httpRoute({}),
      httpRoute({}, { namespace: 'other' }),
      gateway({ listeners: [] }, { name: 'web', namespace: 'apps' }),
      httpRoute({}, { namespace: undefined }),
      { ...httpRoute({}), metadata: { name: 'web', namespace: 'default' } },
    ]);
    expect(objects.routes.map((r) => r.key)).toEqual(['apps/web', 'default/web', 'other/web']);
    expect(objects.gateways).toHaveLength(1);
    expect(diagnostics.map((d) => d.code)).toEqual(['duplicate-object']);
  });
});

describe('order independence', () => {
  const input = [
    httpRoute({}, { name: 'b' }),
    httpRoute({}, { name: 'a', namespace: 'z' }),
    httpRoute({}, { name: 'a' }),
    gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] }, { name: 'g2' }),
    gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] }, { name: 'g1' }),
    {
      kind: 'Service',
      metadata: { name: 's2', namespace: 'apps' },
      spec: { ports: [{ port: 80 }] },
    },
    {
      kind: 'Service',
      metadata: { name: 's1', namespace: 'apps' },
      spec: { ports: [{ port: 80 }] },
    },
    { kind: 'Namespace', metadata: { name: 'b' } },
    { kind: 'Namespace', metadata: { name: 'a' } },
    {
      kind: 'ReferenceGrant',
      metadata: { name: 'r2', namespace: 'x' },
      spec: { from: [], to: [] },
    },
    {
      kind: 'ReferenceGrant',
      metadata: { name: 'r1', namespace: 'x' },
      spec: { from: [], to: [] },
    },
  ];

  it('sorts routes, gateways and grants by namespace/name', () => {
    const { objects } = normalize(input);
    expect(objects.routes.map((r) => r.key)).toEqual(['apps/a', 'apps/b', 'z/a']);
    expect(objects.gateways.map((g) => g.key)).toEqual(['infra/g1', 'infra/g2']);
    expect(objects.referenceGrants.map((g) => g.name)).toEqual(['r1', 'r2']);
    expect([...objects.services.keys()]).toEqual(['apps/s1', 'apps/s2']);
    expect([...objects.namespaces.keys()]).toEqual(['a', 'b']);
  });

  it('gives deep-equal objects for reversed input', () => {
    expect(normalize([...input].reverse()).objects).toEqual(normalize(input).objects);
  });
});
