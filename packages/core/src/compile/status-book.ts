/**
 * Collects what each stage learns about a route under one parent, then renders the Gateway API
 * conditions. Stages only record facts (rejected, dropped, unresolved); the rendering rules
 * (which reason wins, when `PartiallyInvalid` appears) live here, once.
 */
import type { NormalizedParentRef, NormalizedRoute } from '../api/normalized.js';
import type { Condition, RouteParentStatus, RouteStatus, StatusParentRef } from '../status.js';

export type RejectReason =
  | 'NotAllowedByListeners'
  | 'NoMatchingListenerHostname'
  | 'NoMatchingParent'
  | 'UnsupportedValue'
  /** The parent's allowed-namespaces annotation does not list the child's namespace (rule 27). */
  | 'NotAllowedByParent';

export type UnresolvedReason =
  'RefNotPermitted' | 'InvalidKind' | 'BackendNotFound' | 'UnsupportedProtocol';

interface ParentEntry {
  readonly parentRef: StatusParentRef;
  rejected?: { reason: RejectReason; message: string };
  unresolved: { reason: UnresolvedReason; message: string }[];
  /** Messages of rules or matches removed under this parent, each starting `Dropped Rule`. */
  dropped: string[];
  /** Whether anything of the route is live under this parent. */
  live: boolean;
  /** Facts that change nothing but that the owner must see (e.g. a value's canonical form). */
  notes: string[];
}

const UNRESOLVED_PRIORITY: readonly UnresolvedReason[] = [
  'RefNotPermitted',
  'InvalidKind',
  'UnsupportedProtocol',
  'BackendNotFound',
];

export class StatusBook {
  private readonly entries = new Map<string, Map<string, ParentEntry>>();
  private readonly routes = new Map<string, NormalizedRoute>();

  /** The entry for `route` under `parentRef`, created on first use (order of creation is kept). */
  entry(route: NormalizedRoute, parentRef: StatusParentRef): ParentEntry {
    this.routes.set(route.key, route);
    let byParent = this.entries.get(route.key);
    if (!byParent) this.entries.set(route.key, (byParent = new Map()));
    const key = parentKey(parentRef);
    let entry = byParent.get(key);
    if (!entry)
      byParent.set(
        key,
        (entry = { parentRef, unresolved: [], dropped: [], live: false, notes: [] }),
      );
    return entry;
  }

  reject(
    route: NormalizedRoute,
    parentRef: StatusParentRef,
    reason: RejectReason,
    message: string,
  ) {
    const entry = this.entry(route, parentRef);
    entry.rejected ??= { reason, message };
  }

  unresolved(
    route: NormalizedRoute,
    parentRef: StatusParentRef,
    reason: UnresolvedReason,
    message: string,
  ) {
    const list = this.entry(route, parentRef).unresolved;
    if (!list.some((u) => u.reason === reason && u.message === message))
      list.push({ reason, message });
  }

  dropped(route: NormalizedRoute, parentRef: StatusParentRef, message: string) {
    const list = this.entry(route, parentRef).dropped;
    if (!list.includes(message)) list.push(message);
  }

  note(route: NormalizedRoute, parentRef: StatusParentRef, message: string) {
    const list = this.entry(route, parentRef).notes;
    if (!list.includes(message)) list.push(message);
  }

  live(route: NormalizedRoute, parentRef: StatusParentRef) {
    this.entry(route, parentRef).live = true;
  }

  isAccepted(route: NormalizedRoute, parentRef: StatusParentRef): boolean {
    const entry = this.entries.get(route.key)?.get(parentKey(parentRef));
    return entry !== undefined && !entry.rejected && entry.live;
  }

  /** Every route that has at least one entry, sorted by key, with conditions rendered. */
  render(): RouteStatus[] {
    return [...this.entries.keys()].sort().map((key) => {
      const route = this.routes.get(key)!;
      const parents = [...this.entries.get(key)!.values()].map((entry) =>
        renderEntry(route, entry),
      );
      return { kind: 'HTTPRoute', namespace: route.namespace, name: route.name, parents };
    });
  }
}

export function parentKey(ref: StatusParentRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}/${ref.sectionName ?? ''}/${ref.port ?? ''}`;
}

export function statusParentRef(ref: NormalizedParentRef): StatusParentRef {
  return {
    group: ref.group,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    ...(ref.sectionName !== undefined ? { sectionName: ref.sectionName } : {}),
    ...(ref.port !== undefined ? { port: ref.port } : {}),
  };
}

function renderEntry(route: NormalizedRoute, entry: ParentEntry): RouteParentStatus {
  const observedGeneration = route.generation;
  const condition = (
    type: string,
    status: Condition['status'],
    reason: string,
    message: string,
  ): Condition => ({
    type,
    status,
    reason,
    message,
    observedGeneration,
  });
  const conditions: Condition[] = [];
  if (entry.rejected) {
    conditions.push(condition('Accepted', 'False', entry.rejected.reason, entry.rejected.message));
  } else if (!entry.live) {
    const message =
      entry.dropped.length > 0 ? entry.dropped.join('; ') : 'Route has no valid rules';
    conditions.push(condition('Accepted', 'False', 'UnsupportedValue', message));
  } else {
    const notes = entry.notes.length > 0 ? `; ${entry.notes.join('; ')}` : '';
    conditions.push(condition('Accepted', 'True', 'Accepted', `Route is accepted${notes}`));
  }
  if (entry.unresolved.length === 0) {
    conditions.push(
      condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved'),
    );
  } else {
    const reason = UNRESOLVED_PRIORITY.find((r) => entry.unresolved.some((u) => u.reason === r))!;
    const message = entry.unresolved.map((u) => u.message).join('; ');
    conditions.push(condition('ResolvedRefs', 'False', reason, message));
  }
  if (!entry.rejected && entry.live && entry.dropped.length > 0) {
    conditions.push(
      condition('PartiallyInvalid', 'True', 'UnsupportedValue', entry.dropped.join('; ')),
    );
  }
  return { parentRef: entry.parentRef, conditions };
}
