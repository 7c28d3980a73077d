// Delegation contract sections 8 and 9: the blast-radius guarantee against a hostile tenant. One
// team's child route is replaced by 1-4 hostile routes of that team (encoded dot segments, regex
// alternation and huge regexes, framing-header modifiers, ExtensionRefs, diamonds and fan-out,
// regex header matches on long values, label sharing, grafting other teams' routes by label, name or wildcard, direct attachment to the
// Gateway); every request outside the team's delegated scope must get the same decision.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compile,
  normalizeRequestPath,
  resolve,
  type ResolveRequest,
  type RouteTable,
} from '@switchyard/core';
import { budget } from './budget.js';
import type { TEAMS } from './delegation-arbitraries.js';
import {
  PREFIXES,
  gatewayObject,
  grantObject,
  parentObject,
  request,
  services,
  world,
} from './delegation-arbitraries.js';
import { LONG_HEADER, hostileRequestPath, hostileRoute } from './hostile-arbitraries.js';

type Json = Record<string, unknown>;
type Team = (typeof TEAMS)[number];

/** The platform's Gateway admits routes of its own namespace only: tenants attach through the parent. */
const gateway: Json = {
  ...gatewayObject,
  spec: {
    gatewayClassName: 'x',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
    ],
  },
};
const platform = (): Json[] => [gateway, parentObject, grantObject, ...services()];
/** A small cap keeps fan-out cheap to generate; the cap's own behaviour is pinned by unit tests. */
const OPTIONS = { maxRoutesPerDelegation: 300, maxHeaderValueLength: 16 };
/** A value over `maxHeaderValueLength` of the header hostile regexes read (rule 26). */
const LONG_VALUE = `v${'x'.repeat(16)}`;

const classCounts = new Map<string, number>();
const counters = {
  runs: 0,
  compared: 0,
  outsideChangedWouldFail: 0,
  hostileRoutes: 0,
  findings: 0,
};

function decide(table: RouteTable, requests: readonly ResolveRequest[]) {
  return requests.map((r) => JSON.stringify(resolve(table, r)));
}

const labelOf = (o: Json) =>
  ((o.metadata as Json).labels as Record<string, string> | undefined)?.[
    'delegation.kgateway.dev/label'
  ];

describe('hostile tenants (section 9)', () => {
  afterAll(() => {
    const classes = [...classCounts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`);
    console.log(
      `[hostile blast radius] runs=${counters.runs} hostileRoutes=${counters.hostileRoutes} requestsCompared=${counters.compared} findings=${counters.findings}`,
    );
    console.log(
      `[hostile blast radius] attack classes (routes carrying each): ${classes.join(' ')}`,
    );
  });

  it('blast radius: a hostile tenant changes decisions only inside the scope delegated to it (property)', () => {
    const scenario = world.chain((children) =>
      fc.nat(children.length - 1).chain((i) => {
        const target = children[i]!;
        const team = (target.metadata as { namespace: Team }).namespace;
        const victims = children
          .filter((c) => (c.metadata as Json).namespace !== team)
          .map((c) => `${(c.metadata as Json).namespace}/${(c.metadata as Json).name}`);
        const hostile = fc
          .array(fc.nat(999), { minLength: 1, maxLength: 4 })
          .chain((ids) =>
            fc.tuple(...ids.map((id, k) => hostileRoute(team, `evil-${k}-${id}`, victims))),
          );
        return fc.tuple(fc.constant(children), fc.constant(i), hostile);
      }),
    );
    const requests = fc.array(
      fc.oneof(
        request,
        request.chain((r) =>
          hostileRequestPath.map((path) => ({ ...r, path, host: 'api.example.com' })),
        ),
        request.map((r) => ({ ...r, headers: { ...r.headers, [LONG_HEADER]: LONG_VALUE } })),
      ),
      { minLength: 10, maxLength: 30 },
    );
    fc.assert(
      fc.property(scenario, requests, ([children, i, hostile], generated) => {
        counters.runs++;
        counters.hostileRoutes += hostile.length;
        for (const h of hostile)
          for (const c of h.classes) classCounts.set(c, (classCounts.get(c) ?? 0) + 1);
        const target = children[i]!;
        const team = (target.metadata as { namespace: Team }).namespace;
        const after = [...children.filter((_, j) => j !== i), ...hostile.map((h) => h.object)];
        // The scope: the team's prefix, and the prefix of every team label it answers (label sharing).
        const scopes = new Set<string>([PREFIXES[team]]);
        for (const o of [target, ...hostile.map((h) => h.object)]) {
          const label = labelOf(o);
          if (label && label in PREFIXES) scopes.add(PREFIXES[label as Team]);
        }
        const outside = generated
          .map((r): ResolveRequest => ({
            method: r.method,
            host: r.host,
            path: r.path,
            headers: r.headers,
          }))
          .filter((r) => {
            if (r.host !== 'api.example.com') return true;
            const normalised = normalizeRequestPath(r.path);
            if (!normalised.ok) return true;
            const path = normalised.path.split('?')[0]!;
            return ![...scopes].some((p) => path === p || path.startsWith(`${p}/`));
          });
        counters.compared += outside.length;
        const before = compile([...platform(), ...children], OPTIONS);
        const attacked = compile([...platform(), ...after], OPTIONS);
        counters.findings += attacked.findings.length;
        expect(decide(attacked.table, outside)).toEqual(decide(before.table, outside));
      }),
      budget('hostile blast radius'),
    );
  });
});
