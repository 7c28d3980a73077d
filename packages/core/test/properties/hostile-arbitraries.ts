/**
 * Hostile tenants (delegation contract section 9): routes a team writes to reach outside the scope
 * delegated to it. Each generated route records the attack classes it carries, so the property can
 * print how often each class was exercised.
 */
import fc from 'fast-check';
import { PREFIXES, TEAMS } from './delegation-arbitraries.js';

type Json = Record<string, unknown>;
type Team = (typeof TEAMS)[number];

export interface HostileRoute {
  readonly object: Json;
  /** Attack classes present in this route, e.g. `dot-segments`, `huge-regex`, `diamond`. */
  readonly classes: readonly string[];
}

const HUGE_REGEX = `[^/]{0,1000}`.repeat(8);

/** The header a hostile regex reads; requests carry it with values over `maxHeaderValueLength`. */
export const LONG_HEADER = 'x-long';
const LONG_HEADER_REGEX = { type: 'RegularExpression', name: LONG_HEADER, value: 'v.*' };

function otherTeam(team: Team) {
  return fc.constantFrom(...TEAMS.filter((t) => t !== team));
}

interface Tagged<T> {
  readonly value: T;
  readonly tag: string;
}

const tag = <T>(tagName: string, arb: fc.Arbitrary<T>): fc.Arbitrary<Tagged<T>> =>
  arb.map((value) => ({ value, tag: tagName }));

/** Path matches that try to leave the team prefix or to cost too much. */
function hostilePath(team: Team): fc.Arbitrary<Tagged<Json>> {
  const p = PREFIXES[team];
  return otherTeam(team).chain((other) => {
    const o = PREFIXES[other];
    const dots = fc.constantFrom('%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.');
    return fc.oneof(
      tag(
        'dot-segments',
        dots.map((d) => ({ type: 'PathPrefix', value: `${p}/${d}${o}` })),
      ),
      tag(
        'dot-segments',
        dots.map((d) => ({ type: 'Exact', value: `${p}/${d}${o}/a` })),
      ),
      tag(
        'dot-segments',
        dots.map((d) => ({ type: 'PathPrefix', value: `/${d}${o}` })),
      ),
      tag(
        'dot-segments',
        dots.map((d) => ({ type: 'RegularExpression', value: `${p}/${d}${o}.*` })),
      ),
      tag('encoded-unreserved', fc.constant({ type: 'PathPrefix', value: `${p}/%7Ea/%2e%2e/b` })),
      tag(
        'regex-alternation',
        fc.constant({ type: 'RegularExpression', value: `${p}/.*|${o}/.*` }),
      ),
      tag('regex-everything', fc.constant({ type: 'RegularExpression', value: '.*' })),
      tag('huge-regex', fc.constant({ type: 'RegularExpression', value: `${p}/${HUGE_REGEX}z` })),
      tag('plain', fc.constant({ type: 'PathPrefix', value: `${p}/a` })),
      tag('claims-other-prefix', fc.constant({ type: 'PathPrefix', value: o })),
    );
  });
}

const framing = fc.constantFrom(
  'Transfer-Encoding',
  'Content-Length',
  'Connection',
  'Upgrade',
  'x-switchyard-error',
  'Proxy-Authorization',
);

function hostileFilters(): fc.Arbitrary<Tagged<readonly Json[]>> {
  return fc.oneof(
    { weight: 3, arbitrary: tag('no-filter', fc.constant([])) },
    tag(
      'framing-header',
      framing.map((name) => [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name, value: '0' }] } },
      ]),
    ),
    tag(
      'framing-header',
      framing.map((name) => [
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: [name] } },
      ]),
    ),
    tag(
      'crlf-value',
      fc.constant([
        {
          type: 'RequestHeaderModifier',
          requestHeaderModifier: { add: [{ name: 'x-a', value: '1\r\nX-Injected: 1' }] },
        },
      ]),
    ),
    tag(
      'extension-ref',
      fc.constant([
        { type: 'ExtensionRef', extensionRef: { group: 'x.dev', kind: 'Auth', name: 'a' } },
      ]),
    ),
  );
}

/** Where a hostile rule sends traffic: its own backends, nested delegations, or other teams' routes. */
function hostileBackends(
  team: Team,
  victims: readonly string[],
): fc.Arbitrary<Tagged<readonly Json[]>> {
  const byName = (namespace: string, name: string) => ({
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    namespace,
    name,
  });
  return otherTeam(team).chain((other) =>
    fc.oneof(
      { weight: 2, arbitrary: tag('forward', fc.constant([{ name: 'svc-a', port: 8080 }])) },
      tag(
        'diamond',
        fc.constant([
          {
            group: 'delegation.kgateway.dev',
            kind: 'label',
            name: `${team}-inner`,
            namespace: team,
          },
        ]),
      ),
      tag(
        'label-grafting',
        fc.constant([
          { group: 'delegation.kgateway.dev', kind: 'label', name: other, namespace: 'all' },
        ]),
      ),
      tag('wildcard-grafting', fc.constant([byName(other, '*')])),
      victims.length === 0
        ? tag('wildcard-grafting', fc.constant([byName(other, '*')]))
        : tag(
            'name-grafting',
            fc
              .constantFrom(...victims)
              .map((key) => [byName(key.split('/')[0]!, key.split('/')[1]!)]),
          ),
      tag('missing-backend', fc.constant([{ name: 'missing', port: 8080 }])),
    ),
  );
}

export function hostileRoute(
  team: Team,
  name: string,
  victims: readonly string[],
): fc.Arbitrary<HostileRoute> {
  const rule = fc
    .record({
      matches: fc.array(hostilePath(team), { minLength: 1, maxLength: 2 }),
      filters: hostileFilters(),
      backendRefs: hostileBackends(team, victims),
      // Rule 26: a regex on a header every team's requests may carry, with values over the limit.
      headerRegex: fc.boolean(),
    })
    .map(({ matches, filters, backendRefs, headerRegex }) => ({
      rule: {
        matches: matches.map((m) => ({
          path: m.value,
          ...(headerRegex ? { headers: [LONG_HEADER_REGEX] } : {}),
        })),
        ...(filters.value.length > 0 ? { filters: filters.value } : {}),
        backendRefs: backendRefs.value,
      },
      tags: [
        ...matches.map((m) => m.tag),
        filters.tag,
        backendRefs.tag,
        ...(headerRegex ? ['header-regex'] : []),
      ],
    }));
  return fc
    .record({
      rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
      label: fc.oneof(
        tag('own-label', fc.constant(team)),
        tag('inner-label', fc.constant(`${team}-inner`)),
        tag('label-sharing', otherTeam(team)),
      ),
      inherit: fc.boolean(),
      direct: fc.boolean(),
    })
    .map(({ rules, label, inherit, direct }) => ({
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: {
          namespace: team,
          name,
          labels: { 'delegation.kgateway.dev/label': label.value },
          ...(inherit
            ? { annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' } }
            : {}),
        },
        spec: {
          // Attached to the Gateway as well: the listener admits only the platform's namespace.
          ...(direct
            ? { parentRefs: [{ name: 'gw', namespace: 'infra' }], hostnames: ['api.example.com'] }
            : {}),
          rules: rules.map((r) => r.rule),
        },
      },
      classes: [
        ...new Set([
          ...rules.flatMap((r) => r.tags),
          label.tag,
          ...(inherit ? ['inherit'] : []),
          ...(direct ? ['direct-attachment'] : []),
        ]),
      ],
    }));
}

/** Requests that spell paths of every team with encoded dots, duplicate slashes and dot segments. */
export const hostileRequestPath: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...TEAMS.map((t) => PREFIXES[t]), '/'),
    fc.constantFrom(
      '',
      '/a',
      '/%2e%2e/pay',
      '/.%2E/bank/a',
      '//ins/a',
      '/./a',
      '/%7Ea',
      `/${'a'.repeat(40)}`,
    ),
    fc.constantFrom('', '?q=1'),
  )
  .map(([p, rest, q]) => `${p === '/' ? '' : p}${rest}${q}` || '/');
