/**
 * Delegation: which child routes a delegating rule selects and accepts (rules 1-5, 12, 14, 15),
 * and what a parent match becomes when no child is valid (rule 16).
 */
import type {
  NormalizedBackendRef,
  NormalizedMatch,
  NormalizedRoute,
  NormalizedRule,
} from '../api/normalized.js';
import { DELEGATION_GROUP, GATEWAY_GROUP } from '../api/objects.js';
import type { StatusParentRef } from '../status.js';
import { respond } from './actions.js';
import { Budget } from './budget.js';
import type { Candidate, CompileEnv, Link } from './env.js';
import { inheritsParentMatcher, type WalkContext, type WalkStep } from './flatten.js';
import { mergePolicy } from './inherit.js';
import { screenSelection } from './selection-findings.js';

export function isDelegationRef(ref: { readonly group: string; readonly kind: string }): boolean {
  return (
    (ref.group === GATEWAY_GROUP && ref.kind === 'HTTPRoute') ||
    (ref.group === DELEGATION_GROUP && ref.kind === 'label')
  );
}

export interface Delegation {
  readonly owner: NormalizedRoute;
  readonly rule: NormalizedRule;
  readonly refs: readonly NormalizedBackendRef[];
  /** The parent match (merged, when the owner is itself a child). */
  readonly match: NormalizedMatch;
  readonly guards: readonly NormalizedMatch[];
  readonly links: readonly Link[];
}

/** One delegating rule match: its children's candidates, or a 500 in place (rules 14-16, 25). */
export function* delegationSteps(d: Delegation, ctx: WalkContext, env: CompileEnv): WalkStep {
  const { owner, rule } = d;
  const check = env.delegationCheck(owner, rule);
  for (const problem of check.problems)
    env.book.unresolved(owner, ctx.parentRef, problem.reason, problem.message);
  // Decision 24: a filter that cannot be carried out fails the delegation closed, in place.
  if (check.failClosed) {
    ctx.budget?.charge();
    return [
      {
        match: d.match,
        guards: d.guards,
        action: respond(500, 'unsupported filter'),
        links: d.links,
        weight: env.weight(owner),
      },
    ];
  }
  const own = env.policy(owner, rule);
  const policy = ctx.scope ? mergePolicy(ctx.scope.policy, own, ctx.scope.policyMerge) : own;
  const scope = {
    owner,
    match: d.match,
    guards: d.guards,
    policy,
    policyMerge: env.policyMerge(owner),
  };
  const childParentRef: StatusParentRef = {
    group: GATEWAY_GROUP,
    kind: 'HTTPRoute',
    namespace: owner.namespace,
    name: owner.name,
  };
  const tooDeep = ctx.depth + 1 > env.maxDepth;
  const budget = new Budget(env.maxRoutesPerDelegation, ctx.budget ?? env.rootBudget);

  let out: Candidate[] = [];
  const seen = new Set<string>();
  const cyclicRefs = new Set<NormalizedBackendRef>();
  for (const ref of d.refs) {
    const consenting = select(ref, env).filter((child) => consents(child, owner));
    const selection = {
      owner,
      path: `spec.rules[${rule.index}].backendRefs[${rule.backendRefs.indexOf(ref)}]`,
      ref,
      depth: ctx.depth,
      childParentRef,
    };
    for (const child of screenSelection(selection, consenting, env)) {
      if (budget.exhausted) break;
      if (seen.has(child.key)) continue;
      seen.add(child.key);
      if (ctx.ancestors.includes(child.key)) {
        cyclicRefs.add(ref);
        continue;
      }
      if (tooDeep) {
        // Rule 14: the child is selected, so it learns why it is not live under this parent.
        env.book.reject(
          child,
          childParentRef,
          'UnsupportedValue',
          `selected at depth ${ctx.depth + 1}, which exceeds maxDelegationDepth ${env.maxDepth}`,
        );
        continue;
      }
      const rejection = rejectChild(child, d.match);
      if (rejection) {
        env.book.reject(child, childParentRef, 'UnsupportedValue', rejection);
        continue;
      }
      const childCtx: WalkContext = {
        parentRef: childParentRef,
        depth: ctx.depth + 1,
        ancestors: [...ctx.ancestors, child.key],
        links: d.links,
        scope,
        budget,
      };
      const flattened = (yield { kind: 'route', route: child, ctx: childCtx }) ?? [];
      for (const candidate of flattened) out.push(candidate);
    }
  }
  // Rule 25: over the cap, the delegation counts as one with no valid child (rule 16).
  const overCap =
    budget.overdrawn || (ctx.budget === undefined && env.rootBudget.overdrawn)
      ? budget.overdrawn
        ? `more than ${env.maxRoutesPerDelegation} routes flattened under this delegation (maxRoutesPerDelegation)`
        : `the compile reached its limit of ${env.maxFlattenedRoutes} flattened routes (maxFlattenedRoutes)`
      : undefined;
  if (overCap !== undefined) out = [];
  // An enclosing delegation ran over: it discards everything, so stop here.
  else if (budget.exhausted) return out;
  for (const ref of cyclicRefs) {
    env.book.unresolved(
      owner,
      ctx.parentRef,
      'RefNotPermitted',
      `${describeDelegationRef(ref)}: cyclic reference`,
    );
  }
  if (out.length > 0) {
    // Rule 17: the parent match emits no route; its scope is kept so that a 404 inside it can be
    // told apart from a request no team was delegated (`delegatedScope`).
    const marker: Candidate = {
      match: d.match,
      guards: d.guards,
      action: respond(404, 'no route in delegated scope'),
      links: d.links,
      weight: env.weight(owner),
      scope: true,
    };
    return [...out, marker];
  }

  // Rule 16: no valid child. The parent match answers 500 in its own place in the order, so
  // traffic never falls through to a less specific route.
  for (const ref of d.refs) {
    const cyclic = cyclicRefs.has(ref);
    const notes = [
      cyclic ? ' (cyclic reference)' : '',
      tooDeep ? ` (maximum delegation depth ${env.maxDepth} exceeded)` : '',
      overCap !== undefined ? ` (${overCap})` : '',
    ].join('');
    env.book.unresolved(
      owner,
      ctx.parentRef,
      cyclic ? 'RefNotPermitted' : 'BackendNotFound',
      `${describeDelegationRef(ref)}: unresolved reference${notes}`,
    );
  }
  ctx.budget?.charge();
  return [
    {
      match: d.match,
      guards: d.guards,
      action: respond(500, 'no valid delegated route'),
      links: d.links,
      weight: env.weight(owner),
    },
  ];
}

function select(ref: NormalizedBackendRef, env: CompileEnv): readonly NormalizedRoute[] {
  if (ref.group === DELEGATION_GROUP) {
    const labelled = env.routesLabelled(ref.name);
    return ref.namespace === env.allNamespaces
      ? labelled
      : labelled.filter((r) => r.namespace === ref.namespace);
  }
  if (ref.name === '*') return env.routesIn(ref.namespace);
  const route = env.route(ref.namespace, ref.name);
  return route ? [route] : [];
}

/** Rule 3: a child with no parentRefs accepts any parent; otherwise it must list this one. */
function consents(child: NormalizedRoute, parent: NormalizedRoute): boolean {
  if (child.parentRefs.length === 0) return true;
  return child.parentRefs.some(
    (ref) =>
      ref.group === GATEWAY_GROUP &&
      ref.kind === 'HTTPRoute' &&
      ref.namespace === parent.namespace &&
      ref.name === parent.name,
  );
}

function rejectChild(child: NormalizedRoute, parentMatch: NormalizedMatch): string | undefined {
  if (child.specProblems.length > 0)
    return child.specProblems.map((p) => `${p.path}: ${p.message}`).join('; ');
  if (child.hostnames.length > 0) {
    return 'spec.hostnames: a delegated child must not set hostnames; it serves the hostnames it inherits from its parent';
  }
  if (inheritsParentMatcher(child) && parentMatch.path.type === 'RegularExpression') {
    return 'a child that inherits the parent matcher cannot be delegated from a RegularExpression parent match';
  }
  return undefined;
}

export function describeDelegationRef(ref: NormalizedBackendRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}
