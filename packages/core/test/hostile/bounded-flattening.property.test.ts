// Delegation contract rule 25 as a property: random delegation graphs of one team (diamonds,
// cycles, self-references, fan-out by label, name and wildcard) never make compile throw, never
// flatten beyond the cap, and never change the other team's decisions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backend,
  build,
  byLabel,
  byName,
  child,
  parent,
  prefix,
  service,
} from '../delegation/fixtures.js';
import { budget } from '../properties/budget.js';

const LABELS = ['l0', 'l1', 'l2', 'l3'];
const CAP = 50;

const target = (names: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...LABELS).map((l) => byLabel(l, 'banking')) },
    fc.constantFrom(...names).map((n) => byName(n, 'banking')),
    fc.constant(byName('*', 'banking')),
    fc.constant(backend('accounts')),
  );

const graph = fc.integer({ min: 2, max: 12 }).chain((n) => {
  const names = Array.from({ length: n }, (_, i) => `r${i}`);
  return fc.tuple(
    ...names.map((name) =>
      fc
        .record({
          label: fc.constantFrom(...LABELS),
          rules: fc.array(
            fc.record({
              path: fc.constantFrom('/banking', '/banking/a', '/banking/a/b'),
              to: target(names),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        })
        .map(({ label, rules }) =>
          child(
            'banking',
            name,
            rules.map((r) => ({ matches: [prefix(r.path)], backendRefs: [r.to] })),
            label,
          ),
        ),
    ),
  );
});

const stats = { runs: 0, overCap: 0, maxRoutes: 0 };

describe('rule 25: bounded flattening (property)', () => {
  it('rule 25: any delegation graph compiles, within the cap, leaving other teams untouched', () => {
    fc.assert(
      fc.property(graph, (routes) => {
        stats.runs++;
        const w = build(
          [
            parent({
              '/banking': byLabel('l0', 'banking'),
              '/payments': byLabel('pay', 'payments'),
            }),
            child(
              'payments',
              'p',
              [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
              'pay',
            ),
            ...routes,
            service('banking', 'accounts'),
            service('payments', 'pay'),
          ],
          { maxRoutesPerDelegation: CAP },
        );
        const count = w.table.listeners[0]!.routes.length;
        stats.maxRoutes = Math.max(stats.maxRoutes, count);
        if (
          w
            .status('infra/api', 'Gateway', 'infra/gw')
            ?.ResolvedRefs?.message.includes('maxRoutesPerDelegation')
        )
          stats.overCap++;
        // The banking delegation contributes at most CAP routes, plus the payments route.
        expect(count).toBeLessThanOrEqual(CAP + 1);
        expect(w.where('/payments/x')).toBe('payments/pay:8080');
      }),
      budget('rule 25 bounded flattening'),
    );
    console.log(
      `[rule 25 property] runs=${stats.runs} overCap=${stats.overCap} maxRoutesInTable=${stats.maxRoutes}`,
    );
  });
});
