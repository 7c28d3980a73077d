/**
 * A rule's `backendRefs`: BackendObjectReference defaults (D-5) and C-34, weight (default 1,
 * 0..1,000,000) and backend-level filters. Delegation references (`gateway.networking.k8s.io`
 * HTTPRoute, `delegation.kgateway.dev` label) are ordinary entries here; they need no port.
 */
import { at, defined, get, join, readInteger, readList, type Problems } from './field-path.js';
import type { NormalizedBackendRef } from './normalized.js';
import { normalizeFilters } from './validate-filters.js';
import { normalizeBackendObjectRef } from './validate-object-refs.js';

const MAX_BACKEND_REFS = 16;
const MAX_WEIGHT = 1_000_000;

export function normalizeBackendRef(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedBackendRef | undefined {
  const before = problems.length;
  const ref = normalizeBackendObjectRef(value, path, problems, namespace);
  const weight =
    readInteger(get(value, 'weight'), join(path, 'weight'), problems, {
      min: 0,
      max: MAX_WEIGHT,
    }) ?? 1;
  const filters = normalizeFilters(
    get(value, 'filters'),
    join(path, 'filters'),
    problems,
    namespace,
  );
  if (ref === undefined || problems.length > before) return undefined;
  // Field by field rather than a spread: one object shape, and no copy loop per reference.
  return ref.port === undefined
    ? {
        group: ref.group,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        weight,
        filters,
      }
    : {
        group: ref.group,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        port: ref.port,
        weight,
        filters,
      };
}

/**
 * `spec.rules[i].backendRefs`; invalid entries are reported (the caller drops the rule).
 *
 * @example
 * normalizeBackendRefs([{ name: 'web', port: 8080 }], 'spec.rules[0].backendRefs', [], 'apps')
 * // [{ group: '', kind: 'Service', namespace: 'apps', name: 'web', port: 8080, weight: 1, filters: [] }]
 */
export function normalizeBackendRefs(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedBackendRef[] {
  const items = readList(value, path, problems, { max: MAX_BACKEND_REFS }) ?? [];
  return defined(
    items.map((item, i) => normalizeBackendRef(item, at(path, i), problems, namespace)),
  );
}
