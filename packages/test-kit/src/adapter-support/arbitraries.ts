/**
 * Generated worlds and requests for the decision property, after the core's property tests: small
 * alphabets so that routes and requests collide often. A world is a Gateway, a platform route that
 * delegates three prefixes by label (plus redirect and rewrite rules of its own), and team
 * children whose rules claim paths inside and outside their prefix with header, query and method
 * conditions, missing Services, weighted splits and inherited parent matchers. Requests vary the
 * things an adapter could get wrong on the way to `resolve`: percent-encoding, dot segments,
 * repeated slashes, queries, Host with a port, header case.
 */
import fc from 'fast-check';

type Json = Record<string, unknown>;

const TEAMS = ['bank', 'pay', 'ins'] as const;
type Team = (typeof TEAMS)[number];
const SEGMENTS = ['bank', 'pay', 'ins', 'a', 'b', 'v1'] as const;

const gateway: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { namespace: 'infra', name: 'gw' },
  spec: {
    gatewayClassName: 'switchyard',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ],
  },
};

const services: Json[] = [...TEAMS, 'infra'].flatMap((namespace) =>
  ['svc-a', 'svc-b'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { ports: [{ port: 8080 }] },
  })),
);

const segmentPath = fc
  .array(fc.constantFrom(...SEGMENTS), { maxLength: 3 })
  .map((segments) => `/${segments.join('/')}`);

function claimedPath(team: Team): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: segmentPath.map((p) => (p === '/' ? `/${team}` : `/${team}${p}`)) },
    { weight: 1, arbitrary: segmentPath },
  );
}

function childMatch(team: Team): fc.Arbitrary<Json> {
  return fc
    .record({
      path: fc.oneof(
        claimedPath(team).map((value) => ({ type: 'PathPrefix', value })),
        claimedPath(team).map((value) => ({ type: 'Exact', value })),
        claimedPath(team).map((value) => ({ type: 'RegularExpression', value: `${value}(/.*)?` })),
      ),
      headers: fc.uniqueArray(
        fc.record({ name: fc.constantFrom('x-a', 'X-B'), value: fc.constantFrom('1', '2') }),
        {
          maxLength: 2,
          selector: (h) => h.name.toLowerCase(),
        },
      ),
      queryParams: fc.array(
        fc.record({ name: fc.constant('q'), value: fc.constantFrom('1', 'x') }),
        { maxLength: 1 },
      ),
      method: fc.constantFrom(undefined, 'GET', 'POST'),
    })
    .map(({ method, ...match }) => (method === undefined ? match : { ...match, method }));
}

const backendRefs = fc.constantFrom<Json[]>(
  [{ name: 'svc-a', port: 8080 }],
  [{ name: 'svc-b', port: 8080 }],
  [{ name: 'missing', port: 8080 }],
  [
    { name: 'svc-a', port: 8080, weight: 1 },
    { name: 'svc-b', port: 8080, weight: 3 },
  ],
);

function childRoute(team: Team, name: string): fc.Arbitrary<Json> {
  return fc
    .record({
      rules: fc.array(
        fc.record({
          matches: fc.array(childMatch(team), { minLength: 1, maxLength: 2 }),
          backendRefs,
        }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      inherit: fc.boolean(),
    })
    .map(({ rules, inherit }) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        namespace: team,
        name,
        labels: { 'delegation.kgateway.dev/label': team },
        ...(inherit
          ? { annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' } }
          : {}),
      },
      spec: { rules },
    }));
}

/** The platform route: the three delegations, plus a redirect and a rewrite of its own. */
const parent: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { namespace: 'infra', name: 'api' },
  spec: {
    parentRefs: [{ name: 'gw' }],
    hostnames: ['api.example.com', '*.internal.example.com'],
    rules: [
      ...TEAMS.map((team) => ({
        matches: [{ path: { type: 'PathPrefix', value: `/${team}` } }],
        backendRefs: [
          { group: 'delegation.kgateway.dev', kind: 'label', name: team, namespace: 'all' },
        ],
      })),
      {
        matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/a' } },
          },
        ],
      },
      {
        matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
          },
        ],
        backendRefs: [{ name: 'svc-a', port: 8080 }],
      },
    ],
  },
};

/** A world: the platform objects plus 0-2 children per team. */
export const worldArb: fc.Arbitrary<Json[]> = fc
  .tuple(
    ...TEAMS.map((team) =>
      fc
        .array(fc.nat(999), { maxLength: 2 })
        .chain((ids) => fc.tuple(...ids.map((id, i) => childRoute(team, `${team}-${i}-${id}`)))),
    ),
  )
  .map((children) => [gateway, ...services, parent, ...children.flat()]);

/** One path segment as a client might spell it; a few are malformed (`%zz`, NUL). */
const segmentSpelling = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...SEGMENTS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%62ank', 'p%61y', '.', '..', '', 'A', '%2F', 'caf%C3%A9'),
  },
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%00') },
);

/** The first segment: mostly one of the world's prefixes. */
const firstSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TEAMS) },
  { weight: 1, arbitrary: fc.constantFrom('old', 'v1') },
  { weight: 1, arbitrary: segmentSpelling },
);

export interface GeneratedRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Requests aimed at the world, most of them at its prefixes. */
export const requestArb: fc.Arbitrary<GeneratedRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc
    .tuple(
      fc.option(firstSegment, { nil: undefined, freq: 8 }),
      fc.array(segmentSpelling, { maxLength: 3 }),
      fc.boolean(),
      fc.constantFrom('', '?q=1', '?q=x', '?Q=1&q=1', '?q=1&q=x'),
    )
    .map(([first, rest, slash, query]) => {
      const segments = first === undefined ? rest : [first, ...rest];
      return `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}${query}`;
    }),
  host: fc.constantFrom(
    'api.example.com',
    'API.example.com',
    'api.example.com:80',
    'x.internal.example.com',
    'other.example.com',
  ),
  headers: fc.record(
    { 'x-a': fc.constantFrom('1', '2'), 'X-b': fc.constantFrom('1', '2', 'x') },
    { requiredKeys: [] },
  ),
});

/** fast-check settings from the environment; the seed is printed so a run can be replayed. */
export function propertyParameters<T>(name: string): fc.Parameters<T> {
  const seed = process.env.FC_SEED
    ? Number(process.env.FC_SEED)
    : Date.now() ^ (Math.random() * 0x7fffffff);
  console.log(`[fast-check] ${name}: seed ${seed} (replay with FC_SEED=${seed})`);
  return {
    seed,
    numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
    interruptAfterTimeLimit: Number(process.env.FC_TIME_BUDGET_MS ?? 4000),
    markInterruptAsFailure: false,
  };
}
