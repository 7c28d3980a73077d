/**
 * Delegation rule 20: filters, timeouts and retry of a delegating parent rule apply to every
 * route flattened under it, merged with the child's own as the parent's
 * `kgateway.dev/inherited-policy-priority` annotation says (docs/delegation-options.md has the table):
 *
 * - Shallow: per filter type (and per timeout field) the whole value comes from one side: the
 *   preferred side when it sets one, else the other.
 * - Deep: inside a header modifier, entries are merged by header name (the preferred side's entry
 *   wins per name); URLRewrite per field (hostname, path); mirrors are the union. Retry, CORS and
 *   the rest stay whole, as in shallow: their fields are defaulted, so "unset" cannot be told apart.
 */
import type { HeaderModifier, NormalizedRewrite } from '../api/normalized.js';
import type { Mirror } from '../decision.js';
import type { RouteAction } from '../table.js';
import type { RulePolicy } from './actions.js';
import { withoutUndefined } from './actions.js';

/** The four values of `kgateway.dev/inherited-policy-priority`. */
export type PolicyMerge =
  | 'ShallowMergePreferChild'
  | 'ShallowMergePreferParent'
  | 'DeepMergePreferChild'
  | 'DeepMergePreferParent';

export const POLICY_MERGES: readonly PolicyMerge[] = [
  'ShallowMergePreferChild',
  'ShallowMergePreferParent',
  'DeepMergePreferChild',
  'DeepMergePreferParent',
];

export const DEFAULT_POLICY_MERGE: PolicyMerge = 'ShallowMergePreferChild';

export function mergePolicy(parent: RulePolicy, child: RulePolicy, mode: PolicyMerge): RulePolicy {
  const preferParent = mode === 'ShallowMergePreferParent' || mode === 'DeepMergePreferParent';
  const deep = mode === 'DeepMergePreferParent' || mode === 'DeepMergePreferChild';
  const [first, second] = preferParent ? [parent, child] : [child, parent];
  const pick = <T>(a: T | undefined, b: T | undefined): T | undefined => a ?? b;
  const timeouts =
    first.timeouts || second.timeouts
      ? withoutUndefined({
          requestMs: pick(first.timeouts?.requestMs, second.timeouts?.requestMs),
          backendRequestMs: pick(
            first.timeouts?.backendRequestMs,
            second.timeouts?.backendRequestMs,
          ),
        })
      : undefined;
  const headers = deep ? mergeHeaderModifiers : pick<HeaderModifier>;
  return withoutUndefined({
    requestHeaders: headers(first.requestHeaders, second.requestHeaders),
    responseHeaders: headers(first.responseHeaders, second.responseHeaders),
    rewrite: deep
      ? mergeRewrites(first.rewrite, second.rewrite)
      : pick(first.rewrite, second.rewrite),
    mirrors: deep
      ? mergeMirrors(first.mirrors, second.mirrors)
      : pick(nonEmpty(first.mirrors), nonEmpty(second.mirrors)),
    cors: pick(first.cors, second.cors),
    timeouts,
    retry: pick(first.retry, second.retry),
  });
}

/** Applies an inherited policy to a child's action. */
export function applyInherited(
  inherited: RulePolicy,
  action: RouteAction,
  mode: PolicyMerge,
): RouteAction {
  if (action.kind === 'respond' || Object.keys(inherited).length === 0) return action;
  if (action.kind === 'redirect') {
    const merged = mergePolicy(inherited, action, mode);
    return withoutUndefined({
      ...action,
      responseHeaders: merged.responseHeaders,
      cors: merged.cors,
    });
  }
  const merged = mergePolicy(inherited, action, mode);
  return withoutUndefined({
    ...action,
    requestHeaders: merged.requestHeaders,
    responseHeaders: merged.responseHeaders,
    rewrite: merged.rewrite,
    mirrors: merged.mirrors ?? [],
    cors: merged.cors,
    timeouts: merged.timeouts,
    retry: merged.retry,
  });
}

/**
 * Entries of both modifiers, by header name (case-insensitive): a name the preferred modifier
 * mentions (in set, add or remove) takes that entry; the other's entries for that name are
 * dropped, so a name stays in one list only (decision 6).
 */
function mergeHeaderModifiers(
  preferred: HeaderModifier | undefined,
  other: HeaderModifier | undefined,
): HeaderModifier | undefined {
  if (!preferred || !other) return preferred ?? other;
  const taken = new Set(
    [
      ...preferred.set.map((e) => e.name),
      ...preferred.add.map((e) => e.name),
      ...preferred.remove,
    ].map((name) => name.toLowerCase()),
  );
  const free = (name: string) => !taken.has(name.toLowerCase());
  return {
    set: [...preferred.set, ...other.set.filter((e) => free(e.name))],
    add: [...preferred.add, ...other.add.filter((e) => free(e.name))],
    remove: [...preferred.remove, ...other.remove.filter(free)],
  };
}

function mergeRewrites(
  preferred: NormalizedRewrite | undefined,
  other: NormalizedRewrite | undefined,
): NormalizedRewrite | undefined {
  if (!preferred || !other) return preferred ?? other;
  return withoutUndefined({
    hostname: preferred.hostname ?? other.hostname,
    path: preferred.path ?? other.path,
  });
}

function mergeMirrors(
  preferred: readonly Mirror[] | undefined,
  other: readonly Mirror[] | undefined,
): readonly Mirror[] | undefined {
  const key = (m: Mirror) =>
    `${m.backend.group}/${m.backend.kind}/${m.backend.namespace}/${m.backend.name}:${m.backend.port}`;
  const seen = new Set((preferred ?? []).map(key));
  const merged = [...(preferred ?? []), ...(other ?? []).filter((m) => !seen.has(key(m)))];
  return merged.length > 0 ? merged : undefined;
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
