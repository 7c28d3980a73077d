// Rule 17 on generated delegation worlds: compile records each delegated scope once, and the two
// readers of that record agree. After a 404 that no route gave, `delegatedScope` names a scope
// exactly when explain's delegation step shows one whose conditions all hold, and each step lists
// every route flattened under its delegation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compile,
  delegatedScope,
  explain,
  type DelegationFacts,
  type ResolveRequest,
  type RouteRef,
} from '@switchyard/core';
import { budget } from './budget.js';
import {
  gatewayObject,
  grantObject,
  parentObject,
  request,
  services,
  TEAMS,
  world,
} from './delegation-arbitraries.js';

// Without the platform's `/` catch-all, so that a request under a delegated prefix no child matches
// is a 404 (rule 17: it falls through to the other routes) and not a forward to the catch-all.
const spec = parentObject.spec as { rules: unknown[] };
const parent = { ...parentObject, spec: { ...spec, rules: spec.rules.slice(0, TEAMS.length) } };

const startsWith = (chain: readonly RouteRef[], prefix: readonly RouteRef[]) =>
  chain.length > prefix.length &&
  prefix.every((ref, i) => JSON.stringify(ref) === JSON.stringify(chain[i]));

describe('rule 17: delegatedScope and explain read the same scopes', () => {
  it('a 404 is inside a scope for delegatedScope exactly when explain shows a covering delegation whose conditions hold (property)', () => {
    let inside = 0;
    let outside = 0;
    let partly = 0;
    fc.assert(
      fc.property(world, fc.array(request, { minLength: 10, maxLength: 30 }), (children, reqs) => {
        const { table } = compile([gatewayObject, parent, grantObject, ...services(), ...children]);
        const listener = table.listeners[0]!;
        for (const r of reqs) {
          const req: ResolveRequest = {
            method: r.method,
            host: r.host,
            path: r.path,
            headers: r.headers,
          };
          const { decision, trace } = explain(table, req);
          const steps = trace.filter((s): s is DelegationFacts => s.step === 'delegation');
          const scope = delegatedScope(table, req);
          if (decision.kind !== 'respond' || decision.status !== 404 || decision.route) {
            expect(steps).toEqual([]);
            continue;
          }
          const holding = steps.filter((s) => s.parentReason === undefined);
          expect(scope === undefined).toBe(holding.length === 0);
          if (scope !== undefined) {
            expect(holding.map((s) => s.parent)).toContainEqual(scope.chain);
            inside++;
          } else outside++;
          if (steps.length > holding.length) partly++;
          for (const step of steps) {
            // The step is the table's record, and its children are every route under it.
            expect(listener.scopes?.some((s) => s.chain === step.parent)).toBe(true);
            const under = listener.routes.filter((route) => startsWith(route.chain, step.parent));
            expect(step.children.map((c) => c.chain)).toEqual(under.map((route) => route.chain));
          }
        }
      }),
      budget('delegatedScope vs explain'),
    );
    console.log(
      `[scope] 404s: ${inside} inside a scope, ${outside} outside, ${partly} with a delegation covering the path whose other conditions fail`,
    );
    expect(inside).toBeGreaterThan(0);
    expect(outside).toBeGreaterThan(0);
  });
});
