/**
 * Rule 27, at selection time: what a delegation reached across namespaces, recorded as findings
 * on the route whose YAML causes it (the parent that selects, or the route that answers a label),
 * and the platform's allowed-namespaces restriction on label delegations.
 */
import type { NormalizedBackendRef, NormalizedRoute } from '../api/normalized.js';
import {
  ALLOWED_NAMESPACES_ANNOTATION,
  DELEGATION_GROUP,
  DELEGATION_LABEL,
  GATEWAY_GROUP,
} from '../api/objects.js';
import type { StatusParentRef } from '../status.js';
import type { CompileEnv } from './env.js';

export interface Selection {
  readonly owner: NormalizedRoute;
  /** `spec.rules[i].backendRefs[j]` of the owner. */
  readonly path: string;
  readonly ref: NormalizedBackendRef;
  /** The owner's depth: 0 when it is attached to the Gateway. */
  readonly depth: number;
  readonly childParentRef: StatusParentRef;
}

const routeObject = (route: NormalizedRoute) =>
  ({ kind: 'HTTPRoute', namespace: route.namespace, name: route.name }) as const;

/** The namespaces the owner's annotation allows, or undefined when it does not restrict. */
export function allowedNamespaces(owner: NormalizedRoute): ReadonlySet<string> | undefined {
  const text = owner.annotations[ALLOWED_NAMESPACES_ANNOTATION];
  if (text === undefined) return undefined;
  return new Set(
    text
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
}

/**
 * Applies the allowed-namespaces restriction to the routes a label delegation selected (each one
 * left out is told so on its status and as a finding), then records the cross-namespace findings
 * of what remains. Returns the routes to walk.
 */
export function screenSelection(
  s: Selection,
  selected: readonly NormalizedRoute[],
  env: CompileEnv,
): readonly NormalizedRoute[] {
  const allowed = s.ref.group === DELEGATION_GROUP ? allowedNamespaces(s.owner) : undefined;
  const kept = allowed === undefined ? selected : selected.filter((r) => allowed.has(r.namespace));
  if (allowed !== undefined) {
    for (const route of selected) {
      if (allowed.has(route.namespace)) continue;
      const message = `${s.owner.key} delegates label ${s.ref.name} only to namespaces ${[...allowed].join(', ') || '(none)'} (annotation ${ALLOWED_NAMESPACES_ANNOTATION}); namespace ${route.namespace} is not among them`;
      env.book.reject(route, s.childParentRef, 'NotAllowedByParent', message);
      env.find({
        code: 'namespace-not-allowed',
        severity: 'warning',
        object: routeObject(route),
        path: `metadata.labels[${DELEGATION_LABEL}]`,
        affects: [],
        message,
      });
    }
  }
  recordFindings(s, kept, env);
  return kept;
}

function recordFindings(s: Selection, selected: readonly NormalizedRoute[], env: CompileEnv): void {
  const { owner, ref, path } = s;
  const foreign = selected.filter((r) => r.namespace !== owner.namespace);
  const namespaces = [...new Set(selected.map((r) => r.namespace))].sort();

  // The value that means every namespace is an option (delegationAllNamespaces), not always `all`.
  const everyNamespace = ref.group === DELEGATION_GROUP && ref.namespace === env.allNamespaces;
  if (everyNamespace && namespaces.length > 1) {
    env.find({
      code: 'label-delegation-spans-namespaces',
      severity: 'warning',
      object: routeObject(owner),
      path,
      affects: namespaces.filter((n) => n !== owner.namespace),
      reached: selected.map(routeObject),
      message: `label ${ref.name} (namespace: ${ref.namespace}) is answered by routes of ${namespaces.length} namespaces: ${namespaces.join(', ')}; restrict it with the ${ALLOWED_NAMESPACES_ANNOTATION} annotation or a namespace`,
    });
    for (const route of selected) {
      const others = namespaces.filter((n) => n !== route.namespace);
      env.find({
        code: 'label-delegation-spans-namespaces',
        severity: 'warning',
        object: routeObject(route),
        path: `metadata.labels[${DELEGATION_LABEL}]`,
        affects: others,
        message: `label ${ref.name}, delegated by ${owner.key}, is also answered by routes in ${others.join(', ')}`,
      });
    }
  }

  if (s.depth >= 1 && foreign.length > 0) {
    env.find({
      code: 'grafts-foreign-routes',
      severity: 'error',
      object: routeObject(owner),
      path,
      affects: [...new Set(foreign.map((r) => r.namespace))].sort(),
      reached: foreign.map(routeObject),
      message: `${owner.key} is itself a delegated route and selects routes of other namespaces (${foreign.map((r) => r.key).join(', ')}), grafting them under its own prefix`,
    });
  }

  if (ref.group === GATEWAY_GROUP) {
    for (const route of foreign) {
      if (listsParent(route, owner)) continue;
      env.find({
        code: 'selects-without-consent',
        severity: 'error',
        object: routeObject(owner),
        path,
        affects: [route.namespace],
        reached: [routeObject(route)],
        message: `${owner.key} selects ${route.key} by ${ref.name === '*' ? 'wildcard' : 'name'}, and ${route.key} does not list it in spec.parentRefs`,
      });
    }
  }
}

function listsParent(route: NormalizedRoute, parent: NormalizedRoute): boolean {
  return route.parentRefs.some(
    (p) =>
      p.group === GATEWAY_GROUP &&
      p.kind === 'HTTPRoute' &&
      p.namespace === parent.namespace &&
      p.name === parent.name,
  );
}
