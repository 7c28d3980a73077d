/**
 * Generated delegation worlds: one Gateway, a platform parent delegating a few prefixes by label,
 * and team children whose rules claim paths inside and outside their scope, with header and method
 * matches, regexes, missing Services and the occasional nested delegation.
 */
import fc from 'fast-check';

type Json = Record<string, unknown>;

export const TEAMS = ['bank', 'pay', 'ins'] as const;
export const SEGMENTS = ['bank', 'pay', 'ins', 'a', 'b', 'v1'] as const;
export const PREFIXES: Record<(typeof TEAMS)[number], string> = {
  bank: '/bank',
  pay: '/pay',
  ins: '/ins',
};

export const gatewayObject: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { namespace: 'infra', name: 'gw' },
  spec: {
    gatewayClassName: 'x',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ],
  },
};

export function services(): Json[] {
  return TEAMS.flatMap((team) =>
    ['svc-a', 'svc-b'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: team, name },
      spec: { ports: [{ port: 8080 }] },
    })),
  );
}

const segmentPath = fc
  .array(fc.constantFrom(...SEGMENTS), { minLength: 0, maxLength: 3 })
  .map((s) => `/${s.join('/')}`);

/** A path a child might claim: usually inside its team prefix, sometimes anywhere. */
function claimedPath(team: (typeof TEAMS)[number]) {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: segmentPath.map((p) => (p === '/' ? PREFIXES[team] : `${PREFIXES[team]}${p}`)),
    },
    { weight: 1, arbitrary: segmentPath },
  );
}

function childMatch(team: (typeof TEAMS)[number]) {
  return fc
    .record(
      {
        path: fc.oneof(
          claimedPath(team).map((value) => ({ type: 'PathPrefix', value })),
          claimedPath(team).map((value) => ({ type: 'Exact', value })),
          claimedPath(team).map((value) => ({
            type: 'RegularExpression',
            value: `${value}(/.*)?`,
          })),
          fc.constant({ type: 'RegularExpression', value: `${PREFIXES[team]}/.*|/pay/.*` }),
        ),
        headers: fc.array(
          fc.record({ name: fc.constantFrom('x-a', 'x-b'), value: fc.constantFrom('1', '2') }),
          { maxLength: 2 },
        ),
        method: fc.constantFrom(undefined, 'GET', 'POST'),
      },
      { requiredKeys: ['path'] },
    )
    .map((m) => (m.method === undefined ? { path: m.path, headers: m.headers } : m));
}

function childRule(team: (typeof TEAMS)[number]) {
  return fc.record({
    matches: fc.array(childMatch(team), { minLength: 1, maxLength: 2 }),
    backendRefs: fc.constantFrom(
      [{ name: 'svc-a', port: 8080 }],
      [{ name: 'svc-b', port: 8080 }],
      [{ name: 'missing', port: 8080 }],
      [
        { name: 'svc-a', port: 8080, weight: 1 },
        { name: 'svc-b', port: 8080, weight: 3 },
      ],
      [{ group: 'delegation.kgateway.dev', kind: 'label', name: `${team}-inner`, namespace: team }],
    ),
  });
}

export function childRoute(team: (typeof TEAMS)[number], name: string) {
  return fc
    .record({
      rules: fc.array(childRule(team), { minLength: 1, maxLength: 3 }),
      label: fc.constantFrom(team, team, `${team}-inner`),
      inherit: fc.boolean(),
    })
    .map(({ rules, label, inherit }) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        namespace: team,
        name,
        labels: { 'delegation.kgateway.dev/label': label },
        ...(inherit
          ? { annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' } }
          : {}),
      },
      spec: { rules },
    }));
}

export const parentObject: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { namespace: 'infra', name: 'api' },
  spec: {
    parentRefs: [{ name: 'gw' }],
    hostnames: ['api.example.com'],
    rules: [
      ...TEAMS.map((team) => ({
        matches: [{ path: { type: 'PathPrefix', value: PREFIXES[team] } }],
        backendRefs: [
          { group: 'delegation.kgateway.dev', kind: 'label', name: team, namespace: 'all' },
        ],
      })),
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'svc-a', port: 8080, namespace: 'bank' }],
      },
    ],
  },
};

export const grantObject: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { namespace: 'bank', name: 'from-infra' },
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
    to: [{ group: '', kind: 'Service' }],
  },
};

/** A world: the fixed platform objects plus 1-2 children per team. */
export const world = fc
  .tuple(
    ...TEAMS.map((team) =>
      fc
        .array(fc.nat(1000), { minLength: 1, maxLength: 2 })
        .chain((ids) => fc.tuple(...ids.map((id, i) => childRoute(team, `${team}-${i}-${id}`)))),
    ),
  )
  .map((perTeam) => perTeam.flat() as Json[]);

export const request = fc.record({
  path: fc.tuple(segmentPath, fc.constantFrom('', '?q=1')).map(([p, q]) => p + q),
  host: fc.constantFrom('api.example.com', 'other.example.com'),
  method: fc.constantFrom('GET', 'POST'),
  headers: fc.record(
    { 'x-a': fc.constantFrom('1', '2'), 'x-b': fc.constantFrom('1', '2') },
    { requiredKeys: [] },
  ),
});
