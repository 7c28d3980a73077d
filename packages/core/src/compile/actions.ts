/**
 * What a rule does once matched: forward to weighted backends (with filters, timeouts, retry),
 * redirect, or answer 500 when the configuration cannot be served (B-3, B-5, F-4, decision 1).
 * Depends only on the route and the referenced objects, never on the parent, so it is computed
 * once per rule.
 */
import type {
  HeaderModifier,
  NormalizedCors,
  NormalizedFilter,
  NormalizedObjects,
  NormalizedRedirect,
  NormalizedRewrite,
  NormalizedRoute,
  NormalizedRule,
} from '../api/normalized.js';
import type { Mirror, RetryPolicy, Timeouts } from '../decision.js';
import type { RouteAction, TableBackend } from '../table.js';
import { orNone } from '../match/none.js';
import { describeBackendRef, resolveBackendTarget } from './backends.js';
import type { UnresolvedReason } from './status-book.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface RefProblem {
  readonly reason: UnresolvedReason;
  readonly message: string;
}

export interface RuleAction {
  readonly action: RouteAction;
  readonly problems: readonly RefProblem[];
}

/** The filter-borne policy of a rule: what a delegating parent passes down (delegation rule 20). */
export interface RulePolicy {
  readonly requestHeaders?: HeaderModifier;
  readonly responseHeaders?: HeaderModifier;
  readonly rewrite?: NormalizedRewrite;
  readonly mirrors?: readonly Mirror[];
  readonly cors?: NormalizedCors;
  readonly timeouts?: Timeouts;
  readonly retry?: RetryPolicy;
}

interface FilterSet {
  requestHeaders?: HeaderModifier;
  responseHeaders?: HeaderModifier;
  redirect?: NormalizedRedirect;
  rewrite?: NormalizedRewrite;
  cors?: NormalizedCors;
  mirrors: Mirror[];
  extensionRefs: string[];
}

export function rulePolicy(
  route: NormalizedRoute,
  rule: NormalizedRule,
  objects: NormalizedObjects,
): RulePolicy {
  const filters = collectFilters(route, rule.filters, objects, []);
  return withoutUndefined({
    requestHeaders: filters.requestHeaders,
    responseHeaders: filters.responseHeaders,
    rewrite: filters.rewrite,
    mirrors: filters.mirrors.length > 0 ? filters.mirrors : undefined,
    cors: filters.cors,
    timeouts: timeoutsOf(rule),
    retry: rule.retry,
  });
}

/**
 * Decision 24 on a delegating rule: what of its filters cannot be carried out. An ExtensionRef,
 * or any filter written on the delegation backendRef itself, fails the whole delegation closed
 * (500 in place of every route under it); an unusable mirror is reported like on any rule.
 */
export function delegationProblems(
  route: NormalizedRoute,
  rule: NormalizedRule,
  objects: NormalizedObjects,
): { readonly problems: readonly RefProblem[]; readonly failClosed: boolean } {
  const problems: RefProblem[] = [];
  const filters = collectFilters(route, rule.filters, objects, problems);
  let failClosed = false;
  for (const ref of filters.extensionRefs) {
    failClosed = true;
    problems.push({
      reason: 'InvalidKind',
      message: `ExtensionRef ${ref}: custom filters are not supported; every route delegated by spec.rules[${rule.index}] answers 500`,
    });
  }
  rule.backendRefs.forEach((ref, i) => {
    if (ref.filters.length === 0) return;
    failClosed = true;
    problems.push({
      reason: 'InvalidKind',
      message: `spec.rules[${rule.index}].backendRefs[${i}].filters: filters on a delegation backendRef cannot be carried out; move them to spec.rules[${rule.index}].filters (every route delegated by this rule answers 500 until then)`,
    });
  });
  return { problems, failClosed };
}

export function ruleAction(
  route: NormalizedRoute,
  rule: NormalizedRule,
  objects: NormalizedObjects,
): RuleAction {
  const problems: RefProblem[] = [];
  const filters = collectFilters(route, rule.filters, objects, problems);
  if (filters.extensionRefs.length > 0) {
    for (const ref of filters.extensionRefs) {
      problems.push({
        reason: 'InvalidKind',
        message: `ExtensionRef ${ref}: custom filters are not supported`,
      });
    }
    return { action: respond(500, 'unsupported filter'), problems };
  }
  if (filters.redirect) {
    const action = withoutUndefined({
      kind: 'redirect' as const,
      redirect: filters.redirect,
      responseHeaders: filters.responseHeaders,
      cors: filters.cors,
    });
    return { action, problems };
  }
  if (rule.backendRefs.length === 0) return { action: respond(500, 'no backends'), problems };

  const backends: TableBackend[] = [];
  for (const ref of rule.backendRefs) {
    if (ref.weight === 0) continue;
    const own = collectFilters(route, ref.filters, objects, problems);
    const resolved = resolveBackendTarget(route, ref, objects);
    if (!resolved.ok) {
      problems.push({ reason: resolved.reason, message: resolved.message });
      backends.push({
        group: ref.group,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        weight: ref.weight,
        port: ref.port ?? 0,
        invalid: { status: 500, reason: 'invalid backend' },
      });
      continue;
    }
    // A literal, then field by field, rather than spreads: a spread copy gets a hidden class of
    // its own (one per backend once frozen), and this runs for every backendRef of every rule.
    const { target } = resolved;
    const backend: Mutable<TableBackend> = {
      group: ref.group,
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
      weight: ref.weight,
      port: target.port,
    };
    if (target.appProtocol !== undefined) backend.appProtocol = target.appProtocol;
    if (target.address !== undefined) backend.address = target.address;
    if (own.requestHeaders !== undefined) backend.requestHeaders = own.requestHeaders;
    if (own.responseHeaders !== undefined) backend.responseHeaders = own.responseHeaders;
    if (own.rewrite !== undefined) backend.rewrite = own.rewrite;
    if (own.redirect !== undefined) backend.redirect = own.redirect;
    if (own.extensionRefs.length > 0) {
      backend.invalid = { status: 500, reason: 'unsupported filter' };
    }
    backends.push(backend);
  }
  if (backends.length === 0)
    return { action: respond(500, 'all backends have weight 0'), problems };
  if (backends.every((b) => b.invalid))
    return { action: respond(500, 'invalid backend'), problems };
  const action = withoutUndefined({
    kind: 'forward' as const,
    backends,
    requestHeaders: filters.requestHeaders,
    responseHeaders: filters.responseHeaders,
    rewrite: filters.rewrite,
    mirrors: orNone(filters.mirrors),
    cors: filters.cors,
    timeouts: timeoutsOf(rule),
    retry: rule.retry,
  });
  return { action, problems };
}

export function respond(status: number, reason: string): RouteAction {
  return { kind: 'respond', status, reason };
}

function collectFilters(
  route: NormalizedRoute,
  filters: readonly NormalizedFilter[],
  objects: NormalizedObjects,
  problems: RefProblem[],
): FilterSet {
  const set: FilterSet = { mirrors: [], extensionRefs: [] };
  for (const filter of filters) {
    switch (filter.type) {
      case 'RequestHeaderModifier':
        set.requestHeaders = filter.modifier;
        break;
      case 'ResponseHeaderModifier':
        set.responseHeaders = filter.modifier;
        break;
      case 'RequestRedirect':
        set.redirect = filter.redirect;
        break;
      case 'URLRewrite':
        set.rewrite = filter.rewrite;
        break;
      case 'CORS':
        set.cors = filter.cors;
        break;
      case 'ExtensionRef':
        set.extensionRefs.push(`${filter.ref.group}/${filter.ref.kind}/${filter.ref.name}`);
        break;
      case 'RequestMirror': {
        // RM-4: an unusable mirror is dropped and reported; the primary request is unaffected.
        const ref = filter.mirror.backendRef;
        const resolved = resolveBackendTarget(route, ref, objects);
        if (!resolved.ok) {
          problems.push({ reason: resolved.reason, message: `mirror ${resolved.message}` });
        } else {
          const { port, address } = resolved.target;
          const backend = { ...ref, port, ...(address ? { address } : {}) };
          set.mirrors.push({ backend, percent: filter.mirror.percent });
        }
        break;
      }
    }
  }
  return set;
}

function timeoutsOf(rule: NormalizedRule): Timeouts | undefined {
  const t = rule.timeouts;
  if (!t) return undefined;
  // 0s disables a timeout (T-3): absent in the decision.
  const timeouts = withoutUndefined({
    requestMs: t.requestMs ? t.requestMs : undefined,
    backendRequestMs: t.backendRequestMs ? t.backendRequestMs : undefined,
  });
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

/**
 * Drops keys whose value is undefined, as `exactOptionalPropertyTypes` requires. A plain loop:
 * `Object.fromEntries(Object.entries(...).filter(...))` was a visible share of `compile` at 10k
 * routes (benchmarks/RESULTS.md).
 */
export function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) result[key] = item;
  }
  return result as never;
}

export { describeBackendRef };
