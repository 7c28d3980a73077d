// The pull-request check on the delegation example and on a small world of its own: an unchanged
// configuration passes; a child route outside its prefix, a missing Service, an unselected route
// and a route that takes another team's requests each fail, naming the route and why.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkChange } from '../src/check-change.js';

const DELEGATION = new URL('../../delegation/', import.meta.url);
const FILES = [
  'platform/gateway.yaml',
  'platform/parent-route.yaml',
  'banking/routes.yaml',
  'insurance/routes.yaml',
  'payments/routes.yaml',
];
const example = FILES.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, DELEGATION), 'utf8'))
    .map((document) => document.toJS() as unknown)
    .filter((object) => object !== null),
);

const gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'http', namespace: 'infra' },
  spec: {
    gatewayClassName: 'switchyard',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ],
  },
};
const parent = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'api', namespace: 'infra' },
  spec: {
    parentRefs: [{ name: 'http' }],
    hostnames: ['api.example.com'],
    rules: ['banking', 'insurance'].map((team) => ({
      matches: [{ path: { type: 'PathPrefix', value: `/${team}` } }],
      backendRefs: [
        { group: 'delegation.kgateway.dev', kind: 'label', name: team, namespace: team },
      ],
    })),
  },
};
function service(namespace: string, name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ports: [{ port: 8080 }] },
  };
}
function teamRoute(
  namespace: string,
  name: string,
  path: string,
  extra: object = {},
  backend = 'app',
): unknown {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace, labels: { 'delegation.kgateway.dev/label': namespace } },
    spec: {
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: path } }],
          backendRefs: [{ name: backend, port: 8080 }],
        },
      ],
      ...extra,
    },
  };
}
const base = [
  gateway,
  parent,
  service('banking', 'app'),
  service('insurance', 'app'),
  teamRoute('banking', 'accounts', '/banking/accounts'),
  teamRoute('insurance', 'quotes', '/insurance/quotes'),
];

describe('the pull-request check', () => {
  it('passes an unchanged configuration (the delegation example, every team)', () => {
    for (const team of ['banking', 'insurance', 'payments']) {
      expect(checkChange({ team, base: example, head: example })).toEqual([]);
    }
  });

  it('passes a new route inside the team prefix', () => {
    const head = [...base, teamRoute('banking', 'cards', '/banking/cards')];
    expect(checkChange({ team: 'banking', base, head })).toEqual([]);
  });

  it('fails a child route outside its delegated prefix (rule 7): it would not attach', () => {
    const head = [...base, teamRoute('banking', 'stray', '/insurance/quotes')];
    expect(checkChange({ team: 'banking', base, head })).toEqual([
      expect.objectContaining({
        kind: 'not-attached',
        route: 'banking/stray',
        parent: 'HTTPRoute infra/api',
        reason: expect.stringContaining('Accepted=False') as unknown,
      }),
    ]);
  });

  it('fails a route whose Service does not exist (rule 23): ResolvedRefs=False', () => {
    const head = [...base, teamRoute('banking', 'loans', '/banking/loans', {}, 'loans')];
    expect(checkChange({ team: 'banking', base, head })).toEqual([
      expect.objectContaining({
        kind: 'not-attached',
        route: 'banking/loans',
        reason: 'ResolvedRefs=False BackendNotFound',
      }),
    ]);
  });

  it('fails a route nothing selects (a typo in the delegation label)', () => {
    const typo = teamRoute('banking', 'cards', '/banking/cards') as {
      metadata: { labels: object };
    };
    typo.metadata.labels = { 'delegation.kgateway.dev/label': 'bankng' };
    expect(checkChange({ team: 'banking', base, head: [...base, typo] })).toEqual([
      expect.objectContaining({ kind: 'not-attached', route: 'banking/cards', reason: 'NoParent' }),
    ]);
  });

  it("fails a route that takes another team's requests, with explain's trace", () => {
    // Attached to the Gateway directly, an Exact match outranks insurance's delegated prefix.
    const grab = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'grab', namespace: 'banking' },
      spec: {
        parentRefs: [{ name: 'http', namespace: 'infra' }],
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/insurance/quotes' } }],
            backendRefs: [{ name: 'app', port: 8080 }],
          },
        ],
      },
    };
    const problems = checkChange({ team: 'banking', base, head: [...base, grab] });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'shadows',
        route: 'banking/grab',
        shadowed: 'insurance/quotes',
        request: expect.objectContaining({
          host: 'api.example.com',
          path: '/insurance/quotes',
        }) as unknown,
      }),
    ]);
    expect(problems[0]!.kind === 'shadows' && problems[0]!.explanation).toContain('banking/grab');
  });
});
