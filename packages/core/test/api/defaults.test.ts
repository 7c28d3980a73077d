/** D-1..D-8 and the other defaults `normalize` applies. */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/api/normalize.js';
import { GROUP, backend, gatewayOf, httpRoute, routeOf, ruleOf } from './_helpers.js';

const ROOT = { type: 'PathPrefix', value: '/' };

describe('HTTPRoute defaults', () => {
  it('D-1: a route carries parentRefs, hostnames and rules from its spec', () => {
    const route = routeOf({
      parentRefs: [{ name: 'gw' }],
      hostnames: ['a.example.com'],
      rules: [{}],
    });
    expect(route.parentRefs).toHaveLength(1);
    expect(route.hostnames).toEqual(['a.example.com']);
    expect(route.rules).toHaveLength(1);
  });

  it('D-2: omitted rules become one rule matching PathPrefix /', () => {
    const route = routeOf({ parentRefs: [{ name: 'gw' }] });
    expect(route.rules).toEqual([
      {
        index: 0,
        matches: [{ path: ROOT, headers: [], queryParams: [] }],
        filters: [],
        backendRefs: [],
      },
    ]);
    expect(route.specProblems).toEqual([]);
  });

  it('D-2: a route without spec is treated like an empty spec', () => {
    const { objects } = normalize([{ kind: 'HTTPRoute', metadata: { name: 'x' } }]);
    expect(objects.routes[0]!.rules).toHaveLength(1);
    expect(objects.routes[0]!.specProblems).toEqual([]);
  });

  it('D-3: omitted matches become one PathPrefix / match', () => {
    expect(ruleOf({ backendRefs: [backend] }).matches).toEqual([
      { path: ROOT, headers: [], queryParams: [] },
    ]);
  });

  it('D-3: a match without path gets PathPrefix /', () => {
    const rule = ruleOf({ matches: [{ method: 'GET' }] });
    expect(rule.matches).toEqual([{ path: ROOT, headers: [], queryParams: [], method: 'GET' }]);
  });

  it('D-3: path type defaults to PathPrefix and value to /', () => {
    expect(ruleOf({ matches: [{ path: { value: '/foo' } }] }).matches[0]!.path).toEqual({
      type: 'PathPrefix',
      value: '/foo',
    });
    expect(ruleOf({ matches: [{ path: { type: 'Exact' } }] }).matches[0]!.path).toEqual({
      type: 'Exact',
      value: '/',
    });
    expect(ruleOf({ matches: [{ path: {} }] }).matches[0]!.path).toEqual(ROOT);
  });

  it('D-4: header and query param match types default to Exact', () => {
    const match = ruleOf({
      matches: [{ headers: [{ name: 'v', value: '1' }], queryParams: [{ name: 'q', value: '2' }] }],
    }).matches[0]!;
    expect(match.headers).toEqual([{ type: 'Exact', name: 'v', value: '1' }]);
    expect(match.queryParams).toEqual([{ type: 'Exact', name: 'q', value: '2' }]);
  });

  it('D-5: backendRef group "", kind Service, the route namespace, weight 1', () => {
    expect(ruleOf({ backendRefs: [backend] }).backendRefs).toEqual([
      {
        group: '',
        kind: 'Service',
        namespace: 'apps',
        name: 'svc',
        port: 8080,
        weight: 1,
        filters: [],
      },
    ]);
  });

  it('D-5: explicit backendRef fields are kept', () => {
    const ref = { group: 'example.com', kind: 'Thing', namespace: 'other', name: 'x', weight: 0 };
    expect(ruleOf({ backendRefs: [ref] }).backendRefs).toEqual([{ ...ref, filters: [] }]);
  });

  it('D-6: parentRef group gateway.networking.k8s.io, kind Gateway, the route namespace', () => {
    expect(routeOf({ parentRefs: [{ name: 'gw' }] }).parentRefs).toEqual([
      { group: GROUP, kind: 'Gateway', namespace: 'apps', name: 'gw' },
    ]);
    const explicit = {
      group: GROUP,
      kind: 'HTTPRoute',
      namespace: 'p',
      name: 'parent',
      sectionName: 's',
      port: 80,
    };
    expect(routeOf({ parentRefs: [explicit] }).parentRefs).toEqual([explicit]);
  });

  it('D-7: redirect status code defaults to 302', () => {
    const rule = ruleOf({
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }],
    });
    expect(rule.filters).toEqual([
      { type: 'RequestRedirect', redirect: { scheme: 'https', statusCode: 302 } },
    ]);
  });

  it('D-7: CORS maxAge defaults to 5, lists to [] and credentials to false', () => {
    const rule = ruleOf({ filters: [{ type: 'CORS', cors: { allowOrigins: ['https://a.com'] } }] });
    expect(rule.filters).toEqual([
      {
        type: 'CORS',
        cors: {
          allowOrigins: ['https://a.com'],
          allowCredentials: false,
          allowMethods: [],
          allowHeaders: [],
          exposeHeaders: [],
          maxAge: 5,
        },
      },
    ]);
  });

  it('D-7: mirror fraction becomes a percent, denominator defaulting to 100', () => {
    const mirror = (config: object) =>
      ruleOf({
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend, ...config } }],
      }).filters[0];
    const ref = { group: '', kind: 'Service', namespace: 'apps', name: 'svc', port: 8080 };
    expect(mirror({})).toEqual({
      type: 'RequestMirror',
      mirror: { backendRef: ref, percent: 100 },
    });
    expect(mirror({ percent: 0 })).toEqual({
      type: 'RequestMirror',
      mirror: { backendRef: ref, percent: 0 },
    });
    expect(mirror({ fraction: { numerator: 25 } })).toMatchObject({ mirror: { percent: 25 } });
    expect(mirror({ fraction: { numerator: 1, denominator: 4 } })).toMatchObject({
      mirror: { percent: 25 },
    });
  });

  it('lower-cases hostnames and header match names; keeps query names', () => {
    const route = routeOf({
      hostnames: ['Foo.Example.COM', '*.Bar.com'],
      rules: [
        {
          matches: [
            {
              headers: [{ name: 'X-Version', value: 'V1' }],
              queryParams: [{ name: 'Q', value: 'V' }],
            },
          ],
        },
      ],
    });
    expect(route.hostnames).toEqual(['foo.example.com', '*.bar.com']);
    expect(route.rules[0]!.matches[0]!.headers).toEqual([
      { type: 'Exact', name: 'x-version', value: 'V1' },
    ]);
    expect(route.rules[0]!.matches[0]!.queryParams).toEqual([
      { type: 'Exact', name: 'Q', value: 'V' },
    ]);
  });

  it('HM-4 / QM-4: repeated header (case-insensitive) and query names keep the first', () => {
    const match = ruleOf({
      matches: [
        {
          headers: [
            { name: 'Foo', value: '1' },
            { name: 'foo', value: '2' },
          ],
          queryParams: [
            { name: 'q', value: '1' },
            { name: 'q', value: '2' },
            { name: 'Q', value: '3' },
          ],
        },
      ],
    }).matches[0]!;
    expect(match.headers).toEqual([{ type: 'Exact', name: 'foo', value: '1' }]);
    expect(match.queryParams).toEqual([
      { type: 'Exact', name: 'q', value: '1' },
      { type: 'Exact', name: 'Q', value: '3' },
    ]);
  });

  it('metadata: key, labels, annotations, generation (default 1) and createdAt', () => {
    const route = routeOf(
      {},
      {
        labels: { team: 'a' },
        annotations: { note: 'x' },
        generation: 7,
        creationTimestamp: '2024-01-02T03:04:05Z',
      },
    );
    expect(route).toMatchObject({
      key: 'apps/web',
      namespace: 'apps',
      name: 'web',
      labels: { team: 'a' },
    });
    expect(route.annotations).toEqual({ note: 'x' });
    expect(route.generation).toBe(7);
    expect(route.createdAt).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    const bare = routeOf({});
    expect(bare.generation).toBe(1);
    expect(bare.createdAt).toBe(Number.POSITIVE_INFINITY);
    expect(routeOf({}, { creationTimestamp: 'yesterday' }).createdAt).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(routeOf({}, { creationTimestamp: new Date(5) }).createdAt).toBe(5);
  });

  it('a namespaced object without namespace lands in default', () => {
    const { objects } = normalize([
      { kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { parentRefs: [{ name: 'g' }] } },
    ]);
    expect(objects.routes[0]!.key).toBe('default/x');
    expect(objects.routes[0]!.parentRefs[0]!.namespace).toBe('default');
  });

  it('retry: attempts 1, backoff 0 and no codes when the stanza is empty', () => {
    expect(ruleOf({ retry: {} }).retry).toEqual({ codes: [], attempts: 1, backoffMs: 0 });
    expect(ruleOf({ retry: { codes: [503, 500], attempts: 3, backoff: '100ms' } }).retry).toEqual({
      codes: [503, 500],
      attempts: 3,
      backoffMs: 100,
    });
    expect(ruleOf({}).retry).toBeUndefined();
  });

  it('keeps rule names, authored indexes and ExtensionRef filters', () => {
    const route = routeOf({
      rules: [
        { name: 'first', matches: [{ path: { type: 'Exact', value: '//' } }] },
        {
          name: 'second',
          filters: [
            { type: 'ExtensionRef', extensionRef: { group: 'g.io', kind: 'K', name: 'n' } },
          ],
        },
      ],
    });
    expect(route.rules).toHaveLength(1);
    expect(route.rules[0]).toMatchObject({ index: 1, name: 'second' });
    expect(route.rules[0]!.filters).toEqual([
      { type: 'ExtensionRef', ref: { group: 'g.io', kind: 'K', name: 'n' } },
    ]);
    expect(route.droppedRules.map((d) => d.index)).toEqual([0]);
  });

  it('path modifiers become { type, value }, an empty replacePrefixMatch included', () => {
    const rule = ruleOf({
      matches: [{ path: { value: '/foo' } }],
      filters: [
        {
          type: 'URLRewrite',
          urlRewrite: {
            hostname: 'A.example.com',
            path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '' },
          },
        },
      ],
    });
    expect(rule.filters).toEqual([
      {
        type: 'URLRewrite',
        rewrite: { hostname: 'a.example.com', path: { type: 'ReplacePrefixMatch', value: '' } },
      },
    ]);
  });
});

describe('Gateway defaults', () => {
  it('D-8: allowedRoutes from Same, kinds undefined', () => {
    const gw = gatewayOf({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] });
    expect(gw.listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { from: 'Same' } },
    ]);
    expect(gw.problems).toEqual([]);
    expect(gw).toMatchObject({ key: 'infra/gw', generation: 1 });
  });

  it('D-8: route kinds default their group; namespaces.from defaults to Same inside namespaces too', () => {
    const gw = gatewayOf({
      listeners: [
        {
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: {}, kinds: [{ kind: 'HTTPRoute' }] },
        },
      ],
    });
    expect(gw.listeners[0]!.allowedRoutes).toEqual({
      from: 'Same',
      kinds: [{ group: GROUP, kind: 'HTTPRoute' }],
    });
  });

  it('TLS mode defaults to Terminate; certificateRefs to group "", kind Secret, the gateway namespace', () => {
    const gw = gatewayOf({
      listeners: [
        {
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: 'A.example.com',
          tls: { certificateRefs: [{ name: 'cert' }] },
        },
      ],
    });
    expect(gw.listeners[0]).toEqual({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      hostname: 'a.example.com',
      tls: {
        mode: 'Terminate',
        certificateRefs: [{ group: '', kind: 'Secret', namespace: 'infra', name: 'cert' }],
      },
      allowedRoutes: { from: 'Same' },
    });
    expect(gw.problems).toEqual([]);
  });

  it('keeps a namespace selector', () => {
    const selector = {
      matchLabels: { env: 'prod' },
      matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }],
    };
    const gw = gatewayOf({
      listeners: [
        {
          name: 'h',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'Selector', selector } },
        },
      ],
    });
    expect(gw.listeners[0]!.allowedRoutes).toEqual({ from: 'Selector', selector });
  });
});

it('normalize reads routes given with apiVersion v1beta1 too', () => {
  const { objects, diagnostics } = normalize([
    { ...httpRoute({}), apiVersion: `${GROUP}/v1beta1` },
  ]);
  expect(objects.routes).toHaveLength(1);
  expect(diagnostics).toEqual([]);
});
