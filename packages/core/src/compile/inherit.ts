/**
 * Delegation rule 20: filters, timeouts and retry of a delegating parent rule apply to every
 * route flattened under it. Per filter type (and per timeout field) the child's own value wins,
 * unless the parent asks for `ShallowMergePreferParent`.
 */
import type { RouteAction } from '../table.js';
import type { RulePolicy } from './actions.js';
import { withoutUndefined } from './actions.js';

export function mergePolicy(
  parent: RulePolicy,
  child: RulePolicy,
  preferParent: boolean,
): RulePolicy {
  const pick = <T>(p: T | undefined, c: T | undefined): T | undefined =>
    preferParent ? (p ?? c) : (c ?? p);
  const timeouts =
    parent.timeouts || child.timeouts
      ? withoutUndefined({
          requestMs: pick(parent.timeouts?.requestMs, child.timeouts?.requestMs),
          backendRequestMs: pick(
            parent.timeouts?.backendRequestMs,
            child.timeouts?.backendRequestMs,
          ),
        })
      : undefined;
  return withoutUndefined({
    requestHeaders: pick(parent.requestHeaders, child.requestHeaders),
    responseHeaders: pick(parent.responseHeaders, child.responseHeaders),
    rewrite: pick(parent.rewrite, child.rewrite),
    mirrors: pick(nonEmpty(parent.mirrors), nonEmpty(child.mirrors)),
    cors: pick(parent.cors, child.cors),
    timeouts,
    retry: pick(parent.retry, child.retry),
  });
}

/** Applies an inherited policy to a child's action. */
export function applyInherited(
  inherited: RulePolicy,
  action: RouteAction,
  preferParent: boolean,
): RouteAction {
  if (action.kind === 'respond' || Object.keys(inherited).length === 0) return action;
  if (action.kind === 'redirect') {
    const merged = mergePolicy(inherited, action, preferParent);
    return withoutUndefined({
      ...action,
      responseHeaders: merged.responseHeaders,
      cors: merged.cors,
    });
  }
  const merged = mergePolicy(inherited, action, preferParent);
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

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
