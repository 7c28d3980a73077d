/**
 * The API resources the source watches, as data: where each lives on the API server and which
 * kind `compile` expects. Everything that talks to the API server (lists, watches, status writes,
 * the fake server in `testing/`) reads these descriptors instead of spelling paths out.
 */
import { GATEWAY_GROUP, KGATEWAY_GROUP } from '@switchyard/core';

/** One API resource: `/api/v1/<plural>` for the core group, else `/apis/<group>/<version>/<plural>`. */
export interface ApiResource {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /**
   * Older versions to read, in this order, when the server does not serve `version` (404): the
   * same objects under an earlier name, e.g. ReferenceGrant at `v1beta1` on clusters whose
   * Gateway API release has no `v1` yet.
   */
  readonly fallbackVersions?: readonly string[];
}

/** The resources that make up a route table, plus EndpointSlices for backend addresses. */
export const RESOURCES = {
  /** Cluster-scoped: which controller owns the Gateways of each class. */
  gatewayClasses: {
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'gatewayclasses',
    kind: 'GatewayClass',
    namespaced: false,
  },
  gateways: {
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'gateways',
    kind: 'Gateway',
    namespaced: true,
  },
  httpRoutes: {
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'httproutes',
    kind: 'HTTPRoute',
    namespaced: true,
  },
  referenceGrants: {
    group: GATEWAY_GROUP,
    version: 'v1',
    plural: 'referencegrants',
    kind: 'ReferenceGrant',
    namespaced: true,
    fallbackVersions: ['v1beta1'],
  },
  backends: {
    group: KGATEWAY_GROUP,
    version: 'v1alpha1',
    plural: 'backends',
    kind: 'Backend',
    namespaced: true,
  },
  services: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  namespaces: {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
  },
  secrets: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  endpointSlices: {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  },
  leases: {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
  },
} as const satisfies Record<string, ApiResource>;

export type ResourceName = keyof typeof RESOURCES;

/** `v1` for the core group, else `<group>/<version>`. */
export function apiVersionOf(resource: ApiResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * The collection path across all namespaces, or inside one namespace.
 *
 * @example
 * ```ts
 * collectionPath(RESOURCES.httpRoutes) // '/apis/gateway.networking.k8s.io/v1/httproutes'
 * collectionPath(RESOURCES.services, 'shop') // '/api/v1/namespaces/shop/services'
 * ```
 */
export function collectionPath(resource: ApiResource, namespace?: string): string {
  const prefix =
    resource.group === ''
      ? `/api/${resource.version}`
      : `/apis/${resource.group}/${resource.version}`;
  const scope =
    namespace !== undefined && resource.namespaced
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${prefix}${scope}/${resource.plural}`;
}

/** `group/plural`, e.g. `gateway.networking.k8s.io/httproutes`; `services` for the core group. */
export function resourceId(resource: ApiResource): string {
  return resource.group === '' ? resource.plural : `${resource.group}/${resource.plural}`;
}

/** `plural`, or `plural.group` as kubectl names it: the `resource` of watch events and state. */
export function resourceLabel(resource: ApiResource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

/**
 * The resource at each version to try, preferred first.
 *
 * @example
 * ```ts
 * servedVersions(RESOURCES.referenceGrants).map((r) => r.version) // ['v1', 'v1beta1']
 * ```
 */
export function servedVersions(resource: ApiResource): ApiResource[] {
  const { fallbackVersions = [], ...rest } = resource;
  return [rest, ...fallbackVersions.map((version) => ({ ...rest, version }))];
}
