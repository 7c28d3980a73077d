/**
 * Attachment of routes to Gateway listeners (A-1..A-5, H-4..H-6): which listeners a parentRef
 * selects, which of them admit the route, and which hostnames the route serves on each.
 */
import type { NormalizedObjects, NormalizedParentRef, NormalizedRoute } from '../api/normalized.js';
import { GATEWAY_GROUP } from '../api/objects.js';
import { effectiveHostnames } from './hostnames.js';
import type { ListenerState } from './listeners.js';
import { selectorMatches } from './selectors.js';
import type { RejectReason } from './status-book.js';

export interface ListenerAttachment {
  readonly state: ListenerState;
  /** `[]` = every host. */
  readonly hostnames: readonly string[];
}

export type AttachResult =
  | { readonly ok: true; readonly listeners: readonly ListenerAttachment[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly message: string };

export function isGatewayRef(ref: NormalizedParentRef): boolean {
  return ref.group === GATEWAY_GROUP && ref.kind === 'Gateway';
}

export function attachToGateway(
  route: NormalizedRoute,
  ref: NormalizedParentRef,
  listeners: readonly ListenerState[],
  objects: NormalizedObjects,
): AttachResult {
  if (route.specProblems.length > 0) {
    const message = route.specProblems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return { ok: false, reason: 'UnsupportedValue', message };
  }
  const selected = listeners.filter(
    ({ listener }) =>
      (ref.sectionName === undefined || listener.name === ref.sectionName) &&
      (ref.port === undefined || listener.port === ref.port),
  );
  if (selected.length === 0) {
    return {
      ok: false,
      reason: 'NoMatchingParent',
      message: `No listener matches ${describeRef(ref)}`,
    };
  }
  const admitting = selected.filter((state) => admits(state, route, objects));
  if (admitting.length === 0) {
    return {
      ok: false,
      reason: 'NotAllowedByListeners',
      message: `No listener of ${ref.namespace}/${ref.name} allows HTTPRoutes from namespace ${route.namespace}`,
    };
  }
  const attached: ListenerAttachment[] = [];
  for (const state of admitting) {
    const hostnames = effectiveHostnames(state.listener.hostname, route.hostnames);
    if (hostnames !== undefined) attached.push({ state, hostnames });
  }
  if (attached.length === 0) {
    return {
      ok: false,
      reason: 'NoMatchingListenerHostname',
      message: `No listener hostname of ${ref.namespace}/${ref.name} intersects the route's hostnames`,
    };
  }
  return { ok: true, listeners: attached };
}

function admits(state: ListenerState, route: NormalizedRoute, objects: NormalizedObjects): boolean {
  if (!state.allowsHTTPRoute) return false;
  const { from, selector } = state.listener.allowedRoutes;
  switch (from) {
    case 'All':
      return true;
    case 'Same':
      return route.namespace === state.gateway.namespace;
    case 'Selector': {
      const labels = objects.namespaces.get(route.namespace)?.labels ?? {
        'kubernetes.io/metadata.name': route.namespace,
      };
      return selectorMatches(selector, labels);
    }
  }
}

function describeRef(ref: NormalizedParentRef): string {
  const parts = [`${ref.namespace}/${ref.name}`];
  if (ref.sectionName !== undefined) parts.push(`sectionName ${ref.sectionName}`);
  if (ref.port !== undefined) parts.push(`port ${ref.port}`);
  return parts.join(', ');
}
