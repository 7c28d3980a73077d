/**
 * Request paths → what they address, for any registered resource: `/api/v1/...` for the core
 * group, `/apis/<group>/<version>/...` otherwise; collections across namespaces or in one; single
 * objects; the `status` subresource.
 */
import type { FakeResource } from './types.js';

export interface Target {
  readonly resource: FakeResource;
  /** The version in the path: the resource's, or one of its `alsoServedAs`. */
  readonly version: string;
  /** Set for namespaced collections and objects in a namespace. */
  readonly namespace?: string;
  /** Set when one object is addressed. */
  readonly name?: string;
  readonly subresource?: 'status';
}

/**
 * Undefined when nothing registered lives at `pathname`.
 *
 * @example
 * ```ts
 * parsePath('/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web/status', resources)
 * // { resource: <httproutes>, version: 'v1', namespace: 'shop', name: 'web', subresource: 'status' }
 * ```
 */
export function parsePath(
  pathname: string,
  resources: readonly FakeResource[],
): Target | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1]!;
    rest = segments.slice(2);
  } else {
    return undefined;
  }
  const [version, ...parts] = rest;
  const find = (plural: string | undefined) =>
    resources.find(
      (r) =>
        r.group === group &&
        r.plural === plural &&
        version !== undefined &&
        (r.version === version || (r.alsoServedAs ?? []).includes(version)),
    );

  // namespaces/<ns>/<plural>[/<name>[/status]]: a namespaced resource inside one namespace.
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const resource = find(parts[2]);
    if (resource?.namespaced) return target(resource, version!, parts.slice(3), parts[1]);
  }
  // <plural>[/<name>[/status]]: all namespaces, or a cluster-scoped resource (namespaces/<name>).
  const resource = find(parts[0]);
  if (!resource) return undefined;
  if (resource.namespaced && parts.length > 1) return undefined;
  return target(resource, version!, parts.slice(1), undefined);
}

function target(
  resource: FakeResource,
  version: string,
  rest: readonly string[],
  namespace: string | undefined,
): Target | undefined {
  const [name, subresource, ...extra] = rest;
  if (extra.length > 0 || (subresource !== undefined && subresource !== 'status')) return undefined;
  return {
    resource,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource === 'status' ? { subresource } : {}),
  };
}
