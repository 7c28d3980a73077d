/**
 * Generators of route tables and of requests aimed at them, over small alphabets so that routes
 * collide often: shared prefixes, exact paths under prefixes, regexes over the same segments,
 * overlapping hostnames and wildcards, header/query/method conditions and delegation guards.
 */
import fc from 'fast-check';
import type { NormalizedValueMatch } from '../../src/api/normalized.js';
import type { HTTPMethod } from '../../src/api/objects.js';
import type { ResolveRequest } from '../../src/decision.js';
import { makeRouteTable, makeTableListener, type ListenerInit } from '../../src/match/freeze.js';
import { hostnameMatches } from '../../src/match/hostname.js';
import type { FlatRoute, RouteTable } from '../../src/table.js';
import { flatRoute, ref, type MatchInit } from './build.js';

export const SEGMENTS = ['a', 'b', 'ab', 'c'] as const;
const HOSTNAMES = [
  'a.example.com',
  'b.example.com',
  '*.example.com',
  '*.a.example.com',
  'x.a.example.com',
  'example.com',
  '*.com',
];
const REQUEST_HOSTS = [
  'a.example.com',
  'b.example.com',
  'x.a.example.com',
  'y.x.a.example.com',
  'example.com',
  'other.com',
  'c.example.com',
];
const METHODS: HTTPMethod[] = ['GET', 'POST'];
const VALUES = ['1', '2', 'x'];

const segments = (max: number) => fc.array(fc.constantFrom(...SEGMENTS), { maxLength: max });
export const pathValue = segments(3).map((s) => `/${s.join('/')}`);
const prefixValue = fc
  .tuple(pathValue, fc.boolean())
  .map(([p, slash]) => (slash && p !== '/' ? `${p}/` : p));
const regexValue = fc.oneof(
  fc
    .tuple(pathValue, fc.constantFrom('/.*', '.*', '/[a-c]+', '/(a|b)', 'b?', ''))
    .map(([p, tail]) => `${p === '/' ? '' : p}${tail}` || '/'),
  fc.constantFrom('.*', '/(a|b)/.*', '/a/b|/c.*', '^/ab/.*', '/a+/b', '/[ab]*'),
);

const pathMatch = fc.oneof(
  { weight: 3, arbitrary: prefixValue.map((value) => ({ type: 'PathPrefix' as const, value })) },
  { weight: 2, arbitrary: pathValue.map((value) => ({ type: 'Exact' as const, value })) },
  {
    weight: 1,
    arbitrary: regexValue.map((value) => ({ type: 'RegularExpression' as const, value })),
  },
);

const valueMatch = (names: readonly string[]) =>
  fc.oneof(
    fc.record({
      type: fc.constant('Exact' as const),
      name: fc.constantFrom(...names),
      value: fc.constantFrom(...VALUES),
    }),
    fc.record({
      type: fc.constant('RegularExpression' as const),
      name: fc.constantFrom(...names),
      value: fc.constantFrom('[12]', '1|x', '.*'),
    }),
  );

/** Distinct names, as normalisation guarantees (HM-4, QM-4). */
const uniqueValues = (names: readonly string[]) =>
  fc.uniqueArray(valueMatch(names), { maxLength: 2, selector: (m) => m.name.toLowerCase() });

const matchInit: fc.Arbitrary<MatchInit> = fc.record(
  {
    path: pathMatch,
    headers: uniqueValues(['x-a', 'x-b']),
    query: uniqueValues(['q', 'Q']),
    method: fc.constantFrom(...METHODS),
  },
  { requiredKeys: ['path'] },
);

/**
 * Guards as delegation produces them most of the time: prefixes of the route's own path (a
 * parent's prefix contains its children), with the odd header or method; sometimes unrelated.
 */
function guardsFor(match: MatchInit): fc.Arbitrary<MatchInit[]> {
  const path = typeof match.path === 'object' ? match.path : undefined;
  const own =
    path !== undefined && path.type !== 'RegularExpression'
      ? path.value.split('/').filter((s) => s !== '')
      : [];
  const guardPath = fc.oneof(
    { weight: 3, arbitrary: fc.nat(own.length).map((n) => `/${own.slice(0, n).join('/')}`) },
    { weight: 1, arbitrary: prefixValue },
  );
  const guard = fc.record(
    {
      path: guardPath,
      headers: uniqueValues(['x-a']),
      method: fc.constantFrom(...METHODS),
    },
    { requiredKeys: ['path'] },
  );
  const none = fc.constant<MatchInit[]>([]);
  return fc.oneof(
    { weight: 2, arbitrary: none },
    { weight: 1, arbitrary: fc.array(guard, { minLength: 1, maxLength: 2 }) },
  );
}

const routeInit = matchInit.chain((match) =>
  fc.record({
    match: fc.constant(match),
    hostnames: fc.subarray(HOSTNAMES, { maxLength: 2 }),
    guards: guardsFor(match),
  }),
);

/**
 * Routes of one listener; array order is the rank, so every precedence order gets tried. Route
 * hostnames are kept within the listener's, roughly as compile's intersection (H-4) would.
 */
const listenerRoutes = (listener: string, listenerHostname: string | undefined) =>
  fc.array(routeInit, { minLength: 1, maxLength: 25 }).map((inits) =>
    inits.map((init, rank): FlatRoute => {
      const owner = ref(`${listener}-r${rank}`);
      const chain =
        init.guards.length === 0
          ? [owner]
          : [...init.guards.map((_, i) => ref(`${listener}-r${rank}-g${i}`)), owner];
      const hostnames = init.hostnames.filter(
        (h) =>
          listenerHostname === undefined ||
          h === listenerHostname ||
          hostnameMatches(listenerHostname, concreteHost(h)),
      );
      return flatRoute({ ...init.match, rank, hostnames, guards: init.guards, chain });
    }),
  );

/** A host a hostname pattern matches: `*.example.com` → `w.example.com`. */
function concreteHost(hostname: string): string {
  return hostname.startsWith('*.') ? `w.${hostname.slice(2)}` : hostname;
}

const LISTENER_HOSTNAMES = [undefined, 'a.example.com', '*.example.com', 'example.com'];

/**
 * One to three HTTP listeners on port 80 with distinct hostnames, sometimes an HTTPS one on 443.
 * Plain specs rather than tables, so that a counterexample prints without the index; build the
 * table with {@link buildTable}.
 */
export const tableSpecArb: fc.Arbitrary<ListenerInit[]> = fc
  .tuple(fc.subarray(LISTENER_HOSTNAMES, { minLength: 1, maxLength: 3 }), fc.boolean())
  .chain(([hostnames, https]) => {
    const specs = hostnames.map((hostname, i) => ({
      name: `l${i}`,
      hostname,
      protocol: 'HTTP' as const,
      port: 80,
    }));
    if (https)
      specs.push({ name: 'tls', hostname: '*.example.com', protocol: 'HTTP' as const, port: 443 });
    return fc
      .tuple(...specs.map((spec) => listenerRoutes(spec.name, spec.hostname)))
      .map((routeSets) =>
        specs.map((spec, i): ListenerInit => ({
          name: spec.name,
          port: spec.port,
          protocol: spec.port === 443 ? 'HTTPS' : 'HTTP',
          ...(spec.hostname === undefined ? {} : { hostname: spec.hostname }),
          routes: routeSets[i]!,
        })),
      );
  });

export function buildTable(specs: readonly ListenerInit[]): RouteTable {
  return makeRouteTable(specs.map(makeTableListener));
}

/** A path that the given path match accepts (when it can), or a near miss. */
function pathFor(match: MatchInit['path']): fc.Arbitrary<string> {
  const value = typeof match === 'string' ? match : (match?.value ?? '/');
  if (typeof match === 'object' && match.type === 'RegularExpression') {
    return fc.oneof(pathValue, fc.constantFrom('/a/b', '/ab/c', '/c', '/a', '/b/x'));
  }
  const base = value.replace(/\/+$/, '');
  return fc.oneof(
    fc.constant(value),
    segments(2).map((extra) => `${base}/${extra.join('/')}`),
    fc.constantFrom(`${base}b`, `${base}/`, `${base}//./c`, `${base}/../a`),
    pathValue,
  );
}

/** A value the match accepts. */
function accepted(match: NormalizedValueMatch): string {
  return match.type === 'Exact' ? match.value : '1';
}

/** Name/value pairs: those the route (and its guards) ask for, most of the time, plus noise. */
function valuesFor(wanted: readonly NormalizedValueMatch[], noiseNames: readonly string[]) {
  const asked = wanted.map((m) => [m.name, accepted(m)] as const);
  return fc
    .tuple(
      fc.subarray(asked),
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom(...noiseNames), fc.constantFrom(...VALUES)), {
        maxLength: 2,
      }),
    )
    .map(([some, all, noise]) => [...(all ? asked : some), ...noise]);
}

function hostFor(
  route: FlatRoute,
  listenerHostname: string | undefined,
): fc.Arbitrary<string | undefined> {
  const own = route.hostnames.map(concreteHost);
  const listenerHosts = listenerHostname === undefined ? [] : [concreteHost(listenerHostname)];
  const pool = fc.constantFrom(...REQUEST_HOSTS, ...own, ...listenerHosts);
  const likely = [...own, ...(own.length === 0 ? listenerHosts : [])];
  return fc.oneof(
    { weight: 3, arbitrary: likely.length > 0 ? fc.constantFrom(...likely) : pool },
    { weight: 2, arbitrary: pool },
    { weight: 1, arbitrary: pool.map((h) => `${h.toUpperCase()}:8080`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A request aimed at one of the table's routes most of the time, at nothing in particular otherwise. */
export function requestArb(specs: readonly ListenerInit[]): fc.Arbitrary<ResolveRequest> {
  const targets = specs.flatMap((listener) =>
    listener.routes.map((route) => ({ listener, route })),
  );
  return fc.constantFrom(...targets).chain(({ listener, route }) => {
    const all = [route.match, ...route.guards];
    const methods = all.flatMap((m) => (m.method === undefined ? [] : [m.method]));
    return fc
      .record({
        path: pathFor(route.match.path),
        headers: valuesFor(
          all.flatMap((m) => m.headers),
          ['x-a', 'X-A', 'x-b'],
        ),
        query: valuesFor(
          all.flatMap((m) => m.queryParams),
          ['q', 'Q'],
        ),
        method:
          methods.length > 0
            ? fc.oneof(
                { weight: 4, arbitrary: fc.constantFrom(...methods) },
                { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
              )
            : fc.constantFrom(...METHODS),
        host: hostFor(route, listener.hostname),
        sni: fc.option(fc.constantFrom(...REQUEST_HOSTS), { nil: undefined }),
        sameSni: fc.boolean(),
      })
      .map(({ path, headers, query, method, host, sni, sameSni }): ResolveRequest => {
        const search = query.map(([k, v]) => `${k}=${v}`).join('&');
        const headerRecord: Record<string, string[]> = {};
        for (const [name, value] of headers) (headerRecord[name] ??= []).push(value);
        const request: ResolveRequest = {
          method,
          path: search === '' ? path : `${path}?${search}`,
          headers: headerRecord,
          ...(host === undefined ? {} : { host }),
        };
        if (listener.protocol !== 'HTTPS') return request;
        const tlsName = sameSni && host !== undefined ? host.split(':')[0] : sni;
        return {
          ...request,
          scheme: 'https',
          port: listener.port,
          ...(tlsName === undefined ? {} : { sni: tlsName }),
        };
      });
  });
}
