/**
 * An HTTPRoute's `status.parents` with our entries replaced. `parents` is an atomic list shared
 * by every controller that handles the route: entries of other controllers are kept as they are
 * and in their order; ours follow, in the order `compile` reports them, as many as fit in the
 * CRD's 32 entries.
 */
import { GATEWAY_GROUP, type RouteParentStatus } from '@switchyard/core';
import {
  asList,
  asRecord,
  conditionsKey,
  withTransitionTimes,
  type WireCondition,
} from './conditions.js';

/** `maxItems` of `status.parents` in the HTTPRoute CRD: a longer list fails the whole write. */
export const MAX_PARENTS = 32;

export interface GatewayKey {
  readonly namespace: string;
  readonly name: string;
}

/** Who we are in `status.parents`: our controllerName, serving this Gateway. */
export interface Owner {
  readonly controllerName: string;
  readonly gateway: GatewayKey;
}

export interface WireParentStatus {
  readonly parentRef: Readonly<Record<string, unknown>>;
  readonly controllerName: string;
  readonly conditions: readonly WireCondition[];
}

export interface MergedParents {
  readonly parents: readonly unknown[];
  /** False when our entries already say what `compile` says (times aside): nothing to write. */
  readonly changed: boolean;
}

/**
 * Whether a `status.parents` entry is ours to rewrite: our controllerName, and a parent this
 * source evaluates (our Gateway, or a delegating HTTPRoute). Entries for other Gateways under
 * the same controllerName belong to the replicas serving those Gateways.
 */
export function isOurEntry(entry: unknown, { controllerName, gateway }: Owner): boolean {
  const { controllerName: writer, parentRef } = asRecord(entry);
  if (writer !== controllerName) return false;
  const ref = asRecord(parentRef);
  const kind = ref['kind'] ?? 'Gateway';
  if (kind === 'HTTPRoute') return true;
  return (
    kind === 'Gateway' &&
    (ref['group'] ?? GATEWAY_GROUP) === GATEWAY_GROUP &&
    ref['namespace'] === gateway.namespace &&
    ref['name'] === gateway.name
  );
}

/**
 * Merges the parents `compile` reports for one route into its current `status.parents`.
 *
 * @example
 * ```ts
 * const { parents, changed } = mergeRouteParents(route.status?.parents, statusOfRoute.parents, { controllerName, gateway }, now);
 * if (changed) await patch({ status: { parents } });
 * ```
 */
export function mergeRouteParents(
  current: unknown,
  desired: readonly RouteParentStatus[],
  owner: Owner,
  now: string,
): MergedParents {
  const existing = asList(current);
  const ours = existing.filter((entry) => isOurEntry(entry, owner));
  const others = existing.filter((entry) => !isOurEntry(entry, owner));
  const wanted: WireParentStatus[] = desired.map((parent) => {
    const previous = ours
      .map(asRecord)
      .find((entry) => parentRefKey(entry['parentRef']) === parentRefKey(parent.parentRef));
    return {
      parentRef: { ...parent.parentRef },
      controllerName: owner.controllerName,
      conditions: withTransitionTimes(parent.conditions, asList(previous?.['conditions']), now),
    };
  });
  // Other controllers' entries are theirs: ours take the room they leave, up to the CRD's limit.
  const kept = wanted.slice(0, Math.max(0, MAX_PARENTS - others.length));
  const changed = entriesKey(ours) !== entriesKey(kept);
  return { parents: [...others, ...kept], changed };
}

function parentRefKey(ref: unknown): string {
  const r = asRecord(ref);
  return JSON.stringify([
    r['group'] ?? GATEWAY_GROUP,
    r['kind'] ?? 'Gateway',
    r['namespace'],
    r['name'],
    r['sectionName'],
    r['port'],
  ]);
}

function entriesKey(entries: readonly unknown[]): string {
  return JSON.stringify(
    entries
      .map(asRecord)
      .map((entry) => [
        parentRefKey(entry['parentRef']),
        conditionsKey(asList(entry['conditions'])),
      ]),
  );
}
