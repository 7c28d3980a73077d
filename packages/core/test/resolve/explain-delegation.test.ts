// explain after a 404 inside a delegated prefix: which delegation covers the path (parent route,
// rule, prefix, what it selects), which children were tried and why each failed, and the
// nearest child paths, as data in the trace; formatTrace accepts an Explanation or its trace.
import { describe, expect, it } from 'vitest';
import { compile, explain, formatTrace } from '../../src/index.js';

const ns = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
});
const service = (namespace: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace, name },
  spec: { ports: [{ port: 8080 }] },
});
const route = (namespace: string, name: string, spec: object, labels?: object) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { namespace, name, ...(labels ? { labels } : {}) },
  spec,
});
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

const objects = [
  ns('infra'),
  ns('banking'),
  service('banking', 'accounts'),
  service('banking', 'cards'),
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { namespace: 'infra', name: 'http' },
    spec: {
      gatewayClassName: 'switchyard',
      listeners: [
        {
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    },
  },
  route('infra', 'api', {
    parentRefs: [{ name: 'http' }],
    hostnames: ['api.example.com'],
    rules: [
      {
        matches: [prefix('/banking')],
        backendRefs: [
          { group: 'delegation.kgateway.dev', kind: 'label', name: 'banking', namespace: 'all' },
        ],
      },
      { matches: [prefix('/elsewhere')], backendRefs: [{ name: 'ghost', port: 8080 }] },
    ],
  }),
  route(
    'banking',
    'accounts',
    {
      rules: [
        {
          matches: [{ ...prefix('/banking/accounts'), method: 'GET' }],
          backendRefs: [{ name: 'accounts', port: 8080 }],
        },
      ],
    },
    { 'delegation.kgateway.dev/label': 'banking' },
  ),
  route(
    'banking',
    'cards',
    {
      rules: [
        {
          matches: [
            { ...prefix('/banking/cards'), headers: [{ name: 'x-version', value: 'two' }] },
          ],
          backendRefs: [{ name: 'cards', port: 8080 }],
        },
      ],
    },
    { 'delegation.kgateway.dev/label': 'banking' },
  ),
];
const { table } = compile(objects);
const request = (method: string, path: string, host = 'api.example.com') => ({
  method,
  path,
  host,
  headers: {},
});

describe('explain: a 404 inside a delegated prefix', () => {
  it('names the covering delegation, each child tried with its first failure, and the nearest paths', () => {
    const { decision, trace } = explain(table, request('GET', '/banking/loans'));
    expect(decision).toMatchObject({ kind: 'respond', status: 404 });
    const delegation = trace.find((step) => step.step === 'delegation');
    expect(delegation).toEqual({
      step: 'delegation',
      parent: [{ namespace: 'infra', name: 'api', ruleIndex: 0, matchIndex: 0 }],
      match: { path: { type: 'PathPrefix', value: '/banking' }, headers: [], queryParams: [] },
      selects: [
        { group: 'delegation.kgateway.dev', kind: 'label', namespace: 'all', name: 'banking' },
      ],
      children: [
        expect.objectContaining({
          chain: [
            expect.objectContaining({ name: 'api' }),
            expect.objectContaining({ namespace: 'banking', name: 'accounts' }),
          ],
          reason: 'path',
        }),
        expect.objectContaining({
          chain: [
            expect.objectContaining({ name: 'api' }),
            expect.objectContaining({ namespace: 'banking', name: 'cards' }),
          ],
          reason: 'path',
        }),
      ],
      nearest: ['/banking/cards', '/banking/accounts'],
    });
  });

  it('says which condition failed when the path fits: method, header', () => {
    const post = explain(table, request('POST', '/banking/accounts/7')).trace;
    const reasons = (trace: typeof post) =>
      trace.flatMap((s) => (s.step === 'delegation' ? s.children.map((c) => c.reason) : []));
    expect(reasons(post)).toEqual(['method', 'path']);
    const cards = explain(table, request('GET', '/banking/cards')).trace;
    expect(reasons(cards)).toEqual(['path', 'header x-version']);
  });

  it('adds nothing outside the delegated prefix, on another host, or when a route matched', () => {
    const none = (method: string, path: string, host?: string) =>
      explain(table, request(method, path, host)).trace.filter((s) => s.step === 'delegation');
    expect(none('GET', '/bankingX')).toEqual([]);
    expect(none('GET', '/banking/loans', 'other.example.com')).toEqual([]);
    expect(none('GET', '/banking/accounts')).toEqual([]);
  });

  it('formatTrace renders the facts, from the Explanation or from its trace', () => {
    const explanation = explain(table, request('GET', '/banking/loans'));
    const text = formatTrace(explanation);
    expect(text).toBe(formatTrace(explanation.trace));
    expect(text).toContain(
      'delegation infra/api#0 (PathPrefix /banking) selects label banking in all',
    );
    expect(text).toContain(
      'tried banking/accounts#0 (PathPrefix /banking/accounts, method GET): path',
    );
    expect(text).toContain('nearest paths: /banking/cards, /banking/accounts');
  });

  it('rule 13: a nested delegation written relative to its parent is reported with its merged prefix', () => {
    const inherit = { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' };
    const nested = compile([
      ...objects.filter((o) => o.kind !== 'HTTPRoute'),
      route('infra', 'top', {
        parentRefs: [{ name: 'http' }],
        rules: [
          {
            matches: [prefix('/api')],
            backendRefs: [
              {
                group: 'gateway.networking.k8s.io',
                kind: 'HTTPRoute',
                name: 'mid',
                namespace: 'banking',
              },
            ],
          },
        ],
      }),
      {
        ...route('banking', 'mid', {
          rules: [
            {
              matches: [prefix('/v1')],
              backendRefs: [
                {
                  group: 'gateway.networking.k8s.io',
                  kind: 'HTTPRoute',
                  name: 'leaf',
                  namespace: 'banking',
                },
              ],
            },
          ],
        }),
        metadata: { namespace: 'banking', name: 'mid', annotations: inherit },
      },
      {
        ...route('banking', 'leaf', {
          rules: [{ matches: [prefix('/users')], backendRefs: [{ name: 'accounts', port: 8080 }] }],
        }),
        metadata: { namespace: 'banking', name: 'leaf', annotations: inherit },
      },
    ]).table;
    const steps = explain(
      nested,
      request('GET', '/api/v1/orders', 'any.example.com'),
    ).trace.flatMap((s) => (s.step === 'delegation' ? [s] : []));
    expect(steps.map((s) => s.match.path.value)).toEqual(['/api', '/api/v1']);
    expect(steps[1]!.children.map((c) => [c.match.path.value, c.reason])).toEqual([
      ['/api/v1/users', 'path'],
    ]);
  });
});
