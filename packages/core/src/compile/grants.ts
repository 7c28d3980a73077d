import type { NormalizedBackendObjectRef, NormalizedObjects } from '../api/normalized.js';

/**
 * ReferenceGrant check (RG-1, RG-2): a reference from `from` to `to` in another namespace is
 * allowed when a grant in the target namespace lists both, field for field.
 */
export function grantAllows(
  objects: NormalizedObjects,
  from: { readonly group: string; readonly kind: string; readonly namespace: string },
  to: Pick<NormalizedBackendObjectRef, 'group' | 'kind' | 'namespace' | 'name'>,
): boolean {
  if (from.namespace === to.namespace) return true;
  return objects.referenceGrants.some(
    (grant) =>
      grant.namespace === to.namespace &&
      grant.from.some(
        (f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace,
      ) &&
      grant.to.some(
        (t) =>
          t.group === to.group &&
          t.kind === to.kind &&
          (t.name === undefined || t.name === to.name),
      ),
  );
}
