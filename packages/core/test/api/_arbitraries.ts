/**
 * fast-check arbitraries for normalise: objects shaped like the Kubernetes objects Switchyard
 * reads. Values are mostly valid, so that generated rules survive to reach the deeper checks,
 * and now and then subtly wrong or garbage.
 */
import fc from 'fast-check';

/** Mostly `valid`, sometimes `wrong`. */
const usually = <T, U>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: wrong });
/** Mostly `arb`, now and then anything at all. */
const messy = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => usually(arb, fc.anything());
/** Optional fields appear half of the time; `required` ones always. */
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(
  model: T,
  required: Extract<keyof T, string>[] = [],
) => fc.record(model, { requiredKeys: required });
const list = <T>(arb: fc.Arbitrary<T>, maxLength = 3) => messy(fc.array(arb, { maxLength }));
const pick = <T>(valid: readonly T[], wrong: readonly unknown[]) =>
  usually(fc.constantFrom(...valid), fc.oneof(fc.constantFrom(...wrong), fc.anything()));

const pathValue = usually(
  fc.constantFrom('/', '/a', '/a/', '/v2/x', '/%20'),
  fc.oneof(fc.constantFrom('a', '/a//b', '/x/.', '/#', '%2f', ''), fc.string()),
);
const regexValue = usually(
  fc.constantFrom('/a.*', '^/v[0-9]+$', '/x|/y'),
  fc.constantFrom('(', '/(?=a)', '[z-a]'),
);
const headerName = pick(['a', 'A', 'version', 'x-y'], [':p', 'x y', '']);
const duration = pick(['0s', '1s', '200ms', '1h30m', '500ms'], ['1d', '1.5s', '', '1']);
const port = usually(fc.constantFrom(80, 443, 8080, 9090), fc.constantFrom(0, 70_000, '80'));

const valueMatch = usually(
  fc.oneof(
    record({ type: fc.constant('Exact'), name: headerName, value: pick(['v1', 'x'], ['']) }, [
      'name',
      'value',
    ]),
    record({ type: fc.constant('RegularExpression'), name: headerName, value: regexValue }, [
      'type',
      'name',
      'value',
    ]),
  ),
  record({ type: fc.constantFrom('Prefix'), name: headerName, value: fc.string() }),
);
const pathMatch = usually(
  fc.oneof(
    record({ type: fc.constantFrom('Exact', 'PathPrefix'), value: pathValue }),
    record({ type: fc.constant('RegularExpression'), value: regexValue }, ['type']),
  ),
  record({ type: fc.constant('Bogus'), value: fc.string() }, ['type']),
);
const match = messy(
  record({
    path: pathMatch,
    headers: list(valueMatch),
    queryParams: list(valueMatch),
    method: pick(['GET', 'PATCH'], ['get']),
  }),
);

const serviceRef = record(
  {
    group: fc.constant(''),
    kind: fc.constant('Service'),
    name: pick(['svc', 'web'], ['']),
    namespace: pick(['apps'], ['Bad_NS']),
    port,
  },
  ['name', 'port'],
);
const otherRef = fc.oneof(
  record(
    {
      group: fc.constant('gateway.networking.k8s.io'),
      kind: fc.constant('HTTPRoute'),
      name: fc.constantFrom('*', 'child'),
    },
    ['group', 'kind', 'name'],
  ),
  record(
    {
      group: fc.constant('delegation.kgateway.dev'),
      kind: fc.constant('label'),
      name: fc.constant('team'),
      namespace: fc.constantFrom('all', 'apps'),
    },
    ['group', 'kind', 'name'],
  ),
  record(
    {
      group: pick(['gateway.kgateway.dev'], ['Bad_']),
      kind: pick(['Backend'], ['1x']),
      name: fc.constant('b'),
      port,
    },
    ['group', 'kind', 'name'],
  ),
);
const objectRef = messy(
  fc.oneof({ weight: 3, arbitrary: serviceRef }, { weight: 1, arbitrary: otherRef }),
);

const header = record({ name: headerName, value: pick(['1', 'v'], ['']) }, ['name', 'value']);
const headerModifier = record({
  set: list(header, 2),
  add: list(header, 2),
  remove: list(headerName, 2),
});
const pathModifier = fc.oneof(
  record({ type: fc.constant('ReplaceFullPath'), replaceFullPath: fc.constantFrom('/x', '') }, [
    'type',
    'replaceFullPath',
  ]),
  record(
    { type: fc.constant('ReplacePrefixMatch'), replacePrefixMatch: fc.constantFrom('/y', '') },
    ['type', 'replacePrefixMatch'],
  ),
  record({
    type: fc.constantFrom('ReplaceFullPath', 'ReplacePrefixMatch', 'X'),
    replaceFullPath: fc.constant('/x'),
    replacePrefixMatch: fc.constant('/y'),
  }),
);
const hostname = pick(['a.com', 'Example.COM'], ['*.a.com', 'a_b']);
const configs = {
  requestHeaderModifier: headerModifier,
  responseHeaderModifier: headerModifier,
  requestRedirect: record({
    scheme: pick(['http', 'https'], ['ftp']),
    hostname,
    path: pathModifier,
    port,
    statusCode: pick([301, 302, 303, 307, 308], [304]),
  }),
  urlRewrite: record({ hostname, path: pathModifier }),
  requestMirror: fc.oneof(
    record(
      {
        backendRef: objectRef,
        percent: usually(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101)),
      },
      ['backendRef'],
    ),
    record(
      {
        backendRef: objectRef,
        fraction: record(
          {
            numerator: fc.integer({ min: -1, max: 200 }),
            denominator: fc.integer({ min: 0, max: 200 }),
          },
          ['numerator'],
        ),
        percent: fc.constant(5),
      },
      ['backendRef', 'fraction'],
    ),
  ),
  cors: record({
    allowOrigins: list(pick(['https://a.com', 'http://*.b.com:8080'], ['*', 'a.com'])),
    allowMethods: list(pick(['GET', 'POST'], ['*', 'get'])),
    allowHeaders: list(pick(['x-a'], ['*', 'x a'])),
    exposeHeaders: list(fc.constantFrom('x-a')),
    allowCredentials: pick([true, false], ['yes']),
    maxAge: usually(fc.integer({ min: 1, max: 100 }), fc.constant(0)),
  }),
  extensionRef: record(
    { group: pick(['', 'x.io'], ['Bad_']), kind: pick(['Policy'], ['1']), name: pick(['n'], ['']) },
    ['group', 'kind', 'name'],
  ),
} as const;
type ConfigField = keyof typeof configs;
const TYPES: Readonly<Record<string, ConfigField>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
  CORS: 'cors',
  ExtensionRef: 'extensionRef',
};
const wellShapedFilter = fc.constantFrom(...Object.keys(TYPES)).chain((type) => {
  const field = TYPES[type]!;
  return fc.record({ type: fc.constant(type), [field]: configs[field] as fc.Arbitrary<unknown> });
});
const filter = usually(
  wellShapedFilter,
  record({
    type: fc.constantFrom('CORS', 'ExternalAuth', 'RequestMirror'),
    cors: configs.cors,
    requestMirror: configs.requestMirror,
  }),
);

const backendRef = fc
  .tuple(
    objectRef,
    record({
      weight: usually(fc.integer({ min: 0, max: 3 }), fc.constant(-1)),
      filters: list(filter, 2),
    }),
  )
  .map(([ref, extra]) =>
    typeof ref === 'object' && ref !== null && !Array.isArray(ref) ? { ...ref, ...extra } : ref,
  );
const rule = messy(
  record({
    name: pick(['a', 'b', 'c'], ['Bad Name']),
    matches: list(match),
    filters: list(filter, 2),
    backendRefs: list(backendRef),
    timeouts: record({ request: duration, backendRequest: duration }),
    retry: record({
      codes: list(usually(fc.integer({ min: 400, max: 599 }), fc.constantFrom(399, 600))),
      attempts: usually(fc.integer({ min: 1, max: 4 }), fc.constant(0)),
      backoff: duration,
    }),
  }),
);
const parentRef = messy(
  record(
    {
      group: fc.constant('gateway.networking.k8s.io'),
      kind: fc.constantFrom('Gateway', 'HTTPRoute'),
      name: pick(['gw', 'parent'], ['']),
      namespace: fc.constantFrom('apps', 'infra'),
      sectionName: pick(['http', 'https'], ['Bad']),
      port,
    },
    ['name'],
  ),
);
export const routeSpec = record({
  parentRefs: list(parentRef),
  hostnames: list(
    usually(
      fc.constantFrom('a.com', '*.a.com', 'A.com'),
      fc.oneof(fc.constantFrom('bad_', '*'), fc.string()),
    ),
  ),
  rules: list(rule, 4),
});

const listener = messy(
  record(
    {
      name: pick(['http', 'https', 'a'], ['Bad']),
      port,
      protocol: pick(['HTTP', 'HTTPS', 'TLS', 'TCP', 'x.io/y'], ['H T']),
      hostname,
      tls: record({
        mode: pick(['Terminate', 'Passthrough'], ['X']),
        certificateRefs: list(
          record({ name: fc.constant('cert'), namespace: fc.constantFrom('infra', 'other') }, [
            'name',
          ]),
        ),
        options: fc.dictionary(fc.string(), fc.string()),
      }),
      allowedRoutes: record({
        namespaces: record({
          from: pick(['All', 'Same', 'Selector'], ['None']),
          selector: messy(
            record({
              matchLabels: fc.dictionary(fc.constantFrom('env', 'team'), fc.string()),
              matchExpressions: list(
                record({
                  key: fc.constant('team'),
                  operator: pick(['In', 'Exists'], ['Is']),
                  values: list(fc.string()),
                }),
              ),
            }),
          ),
        }),
        kinds: list(
          record(
            {
              group: fc.constantFrom('', 'gateway.networking.k8s.io'),
              kind: fc.constantFrom('HTTPRoute', 'TLSRoute'),
            },
            ['kind'],
          ),
        ),
      }),
    },
    ['name', 'port', 'protocol'],
  ),
);
export const gatewaySpec = record(
  { gatewayClassName: fc.constant('gc'), listeners: list(listener, 4) },
  ['listeners'],
);

const KINDS = [
  'HTTPRoute',
  'Gateway',
  'ReferenceGrant',
  'Service',
  'Namespace',
  'Secret',
  'Backend',
  'GatewayClass',
] as const;
export const metadata = record(
  {
    name: pick(['a', 'b', 'web'], ['']),
    namespace: fc.constantFrom('apps', 'infra', 'default', ''),
    labels: fc.dictionary(
      fc.constantFrom('team', '__proto__', 'constructor', 'x'),
      usually(fc.string(), fc.integer()),
    ),
    annotations: fc.dictionary(fc.string(), fc.string()),
    creationTimestamp: fc.constantFrom('2024-01-01T00:00:00Z', '2023-05-05T10:00:00Z', 'yesterday'),
    generation: fc.integer({ min: -1, max: 5 }),
  },
  ['name'],
);

/** Objects with a known (or nearly known) kind, metadata and any spec. */
export const kubernetesLike = fc.record(
  {
    apiVersion: fc.constantFrom(
      'gateway.networking.k8s.io/v1',
      'v1',
      'gateway.kgateway.dev/v1alpha1',
      'x/v1',
    ),
    kind: fc.constantFrom(...KINDS),
    metadata: messy(metadata),
    spec: fc.anything(),
  },
  { requiredKeys: ['kind', 'metadata'] },
);

/** Routes and Gateways whose specs follow the schema closely enough to reach every check. */
export const wellShaped = fc.oneof(
  fc.record({ kind: fc.constant('HTTPRoute'), metadata, spec: messy(routeSpec) }),
  fc.record({ kind: fc.constant('Gateway'), metadata, spec: messy(gatewaySpec) }),
);
