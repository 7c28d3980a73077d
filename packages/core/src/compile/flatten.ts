/**
 * Flattening: a route's rules become candidates (one per match), and a delegating rule is
 * replaced by its children's candidates, recursively. Every problem is recorded on the status of
 * the route that owns it, under the parent it was found through (delegation rules 11, 22, 23).
 */
import type { NormalizedMatch, NormalizedRoute } from '../api/normalized.js';
import { INHERIT_PARENT_MATCHER_ANNOTATION } from '../api/objects.js';
import type { StatusParentRef } from '../status.js';
import type { RouteAction } from '../table.js';
import type { RulePolicy } from './actions.js';
import {
  canonicalMatch,
  canonicalPath,
  containMatch,
  describeMatch,
  inheritMatch,
} from './containment.js';
import { delegationSteps, isDelegationRef, type Delegation } from './delegate.js';
import type { Candidate, CompileEnv, Link } from './env.js';
import type { Budget } from './budget.js';
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
  /** Rule 25: the budget of the innermost enclosing delegation; absent at depth 0. */
  readonly budget?: Budget;
}

export function inheritsParentMatcher(route: NormalizedRoute): boolean {
  const value = route.annotations[INHERIT_PARENT_MATCHER_ANNOTATION];
  return value !== undefined && ['true', 'yes', 'enabled'].includes(value.trim().toLowerCase());
}

/** What a step of the walk asks the driver to run next: a route under a context, or a delegation. */
export type WalkRequest =
  | { readonly kind: 'route'; readonly route: NormalizedRoute; readonly ctx: WalkContext }
  | { readonly kind: 'delegate'; readonly delegation: Delegation; readonly ctx: WalkContext };

/** A step of the walk: yields what it needs flattened, receives those candidates back. */
export type WalkStep = Generator<WalkRequest, Candidate[], Candidate[] | undefined>;

/**
 * Flattens a route and everything delegated under it (rule 25: iteratively). Each route and each
 * delegation is a generator that yields its sub-walks instead of calling them; this driver keeps
 * them on an explicit stack, so the depth of the graph never becomes depth of the call stack.
 */
export function flattenRoute(
  route: NormalizedRoute,
  ctx: WalkContext,
  env: CompileEnv,
): Candidate[] {
  const stack: WalkStep[] = [routeSteps(route, ctx, env)];
  let received: Candidate[] | undefined;
  let result: Candidate[] = [];
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!.next(received);
    received = undefined;
    if (step.done) {
      stack.pop();
      received = step.value;
      result = step.value;
      continue;
    }
    const request = step.value;
    stack.push(
      request.kind === 'route'
        ? routeSteps(request.route, request.ctx, env)
        : delegationSteps(request.delegation, request.ctx, env),
    );
  }
  return result;
}

function* routeSteps(route: NormalizedRoute, ctx: WalkContext, env: CompileEnv): WalkStep {
  const { book } = env;
  for (const dropped of route.droppedRules) {
    const detail = dropped.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    book.dropped(route, ctx.parentRef, `Dropped Rule ${dropped.index}: ${detail}`);
  }
  const inherit = ctx.scope !== undefined && inheritsParentMatcher(route);
  const out: Candidate[] = [];
  for (const rule of route.rules) {
    if (ctx.budget?.exhausted) break;
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

    for (let matchIndex = 0; matchIndex < rule.matches.length; matchIndex++) {
      if (ctx.budget?.exhausted) break;
      const authored = rule.matches[matchIndex]!;
      reportCanonicalForm(
        route,
        ctx,
        env,
        `spec.rules[${rule.index}].matches[${matchIndex}]`,
        authored,
      );
      let match = canonicalMatch(authored);
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
          continue;
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
        if (ctx.scope && match.path.type === 'RegularExpression')
          noteInheritedPrefixRewrite(route, ctx, env, rule.index, action, guards);
        out.push({ match, guards, action, links, weight: env.weight(route) });
        ctx.budget?.charge();
      } else {
        const delegation = { owner: route, rule, refs: delegations, match, guards, links };
        const flattened = (yield { kind: 'delegate', delegation, ctx }) ?? [];
        // A loop, not `push(...list)`: a spread of a large list overflows the call stack.
        for (const candidate of flattened) out.push(candidate);
      }
    }
  }
  if (out.length > 0) book.live(route, ctx.parentRef);
  return out;
}

/** Rule 24: a path value that matches as something other than its text is shown as it matches. */
function reportCanonicalForm(
  route: NormalizedRoute,
  ctx: WalkContext,
  env: CompileEnv,
  matchPath: string,
  match: NormalizedMatch,
): void {
  const canonical = canonicalPath(match.path);
  if (canonical === match.path) return;
  const path = `${matchPath}.path.value`;
  const message = `${path}: ${match.path.type} ${match.path.value} matches as ${canonical.value}`;
  env.book.note(route, ctx.parentRef, message);
  env.find({
    code: 'canonical-form-differs',
    severity: 'warning',
    object: { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
    path,
    affects: [],
    message: `${message} (decision 4: requests are matched after normalisation); write ${canonical.value}`,
  });
}

/**
 * An inherited ReplacePrefixMatch on a RegularExpression match replaces the innermost parent
 * prefix (the one the runtime guard proves); the child is told, since nothing in its own YAML says so.
 */
function noteInheritedPrefixRewrite(
  route: NormalizedRoute,
  ctx: WalkContext,
  env: CompileEnv,
  ruleIndex: number,
  action: RouteAction,
  guards: readonly NormalizedMatch[],
): void {
  if (action.kind !== 'forward' || action.rewrite?.path?.type !== 'ReplacePrefixMatch') return;
  const prefix = [...guards].reverse().find((g) => g.path.type === 'PathPrefix')?.path.value;
  if (prefix === undefined) return;
  env.book.note(
    route,
    ctx.parentRef,
    `spec.rules[${ruleIndex}]: the inherited URLRewrite ReplacePrefixMatch ${action.rewrite.path.value} replaces the parent prefix ${prefix} for this RegularExpression match`,
  );
}
