/**
 * Flattening: a route's rules become candidates (one per match), and a delegating rule is
 * replaced by its children's candidates, recursively. Every problem is recorded on the status of
 * the route that owns it, under the parent it was found through (delegation rules 11, 22, 23).
 */
import type { NormalizedMatch, NormalizedRoute } from '../api/normalized.js';
import { INHERIT_PARENT_MATCHER_ANNOTATION } from '../api/objects.js';
import type { StatusParentRef } from '../status.js';
import type { RulePolicy } from './actions.js';
import { containMatch, describeMatch, inheritMatch } from './containment.js';
import { delegate, isDelegationRef } from './delegate.js';
import type { Candidate, CompileEnv, Link } from './env.js';
import { applyInherited, type PolicyMerge } from './inherit.js';

/** What a parent passes to a child it delegates to. */
export interface Scope {
  readonly owner: NormalizedRoute;
  readonly match: NormalizedMatch;
  readonly guards: readonly NormalizedMatch[];
  readonly policy: RulePolicy;
  readonly policyMerge: PolicyMerge;
}

export interface WalkContext {
  /** The status entry problems go to: a Gateway parentRef, or the delegating parent route. */
  readonly parentRef: StatusParentRef;
  /** 0 for a route attached to the Gateway. */
  readonly depth: number;
  /** Keys of the routes on the path from the Gateway to here, this route included. */
  readonly ancestors: readonly string[];
  readonly links: readonly Link[];
  readonly scope?: Scope;
}

export function inheritsParentMatcher(route: NormalizedRoute): boolean {
  const value = route.annotations[INHERIT_PARENT_MATCHER_ANNOTATION];
  return value !== undefined && ['true', 'yes', 'enabled'].includes(value.trim().toLowerCase());
}

export function flattenRoute(
  route: NormalizedRoute,
  ctx: WalkContext,
  env: CompileEnv,
): Candidate[] {
  const { book } = env;
  for (const dropped of route.droppedRules) {
    const detail = dropped.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    book.dropped(route, ctx.parentRef, `Dropped Rule ${dropped.index}: ${detail}`);
  }
  const inherit = ctx.scope !== undefined && inheritsParentMatcher(route);
  const out: Candidate[] = [];
  for (const rule of route.rules) {
    const delegations = rule.backendRefs.filter(isDelegationRef);
    if (delegations.length > 0 && delegations.length !== rule.backendRefs.length) {
      book.dropped(
        route,
        ctx.parentRef,
        `Dropped Rule ${rule.index}: spec.rules[${rule.index}].backendRefs: a rule that delegates to HTTPRoutes must not also list other backends`,
      );
      continue;
    }
    const own = delegations.length === 0 ? env.action(route, rule) : undefined;
    for (const problem of own?.problems ?? [])
      book.unresolved(route, ctx.parentRef, problem.reason, problem.message);

    rule.matches.forEach((authored, matchIndex) => {
      let match = authored;
      let guards = ctx.scope?.guards ?? [];
      if (ctx.scope) {
        const scope = ctx.scope;
        const result = inherit
          ? inheritMatch(scope.match, authored)
          : containMatch(scope.match, authored);
        if (!result.ok) {
          book.dropped(
            route,
            ctx.parentRef,
            `Dropped Rule ${rule.index} match ${matchIndex} (${describeMatch(authored)}): ${result.reason}; delegated scope is ${describeMatch(scope.match)} from ${scope.owner.key}`,
          );
          return;
        }
        match = result.match;
        // Rule 10: only a regex (or a non-prefix parent) can reach outside what the parent matched.
        if (match.path.type === 'RegularExpression' || scope.match.path.type !== 'PathPrefix') {
          guards = [...guards, scope.match];
        }
      }
      const links = [...ctx.links, { route, rule, matchIndex, match }];
      if (own) {
        const action = ctx.scope
          ? applyInherited(ctx.scope.policy, own.action, ctx.scope.policyMerge)
          : own.action;
        out.push({ match, guards, action, links, weight: env.weight(route) });
      } else {
        out.push(
          ...delegate({ owner: route, rule, refs: delegations, match, guards, links }, ctx, env),
        );
      }
    });
  }
  if (out.length > 0) book.live(route, ctx.parentRef);
  return out;
}
