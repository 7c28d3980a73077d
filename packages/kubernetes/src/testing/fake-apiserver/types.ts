/** Shapes shared by the fake API server's parts, and the resources it serves by default. */
import { RESOURCES, type ApiResource } from '../../resources.js';

/** A resource the fake serves, with the API server behaviours that differ between resources. */
export interface FakeResource extends ApiResource {
  /** `status` changes only through `/status`, and main-resource writes keep it. */
  readonly statusSubresource: boolean;
  /** PUT without `metadata.resourceVersion` is allowed (core types); custom resources require it. */
  readonly unconditionalUpdate: boolean;
  /** Whether list items carry `kind`/`apiVersion`: custom resources do, built-in types do not. */
  readonly listItemsHaveKind: boolean;
  /**
   * More versions the same objects are served at, as a CRD with several served versions of one
   * schema (ReferenceGrant `v1` and `v1beta1`): a request at any of them reads and writes the
   * same objects, and answers with the `apiVersion` it asked for.
   */
  readonly alsoServedAs?: readonly string[];
}

export interface FakeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  status?: unknown;
  [field: string]: unknown;
}

/** An API error, answered as a `Status` object with this code and reason. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }

  /** The `Status` body the API server sends. */
  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
  }
}

/** `apiVersion` of `resource` at `version`. */
export function apiVersionAt(resource: FakeResource, version: string): string {
  return resource.group ? `${resource.group}/${version}` : version;
}

/** The object as served at `version`: the stored object, or a copy saying that version. */
export function servedAt(object: FakeObject, resource: FakeResource, version: string): FakeObject {
  if (version === resource.version || object.apiVersion === undefined) return object;
  return { ...object, apiVersion: apiVersionAt(resource, version) };
}

// A fake resource is served where it is; which versions a client should try is the client's business.
const custom = ({ fallbackVersions: _fallbacks, ...resource }: ApiResource): FakeResource => ({
  ...resource,
  statusSubresource: true,
  unconditionalUpdate: false,
  listItemsHaveKind: true,
});
const builtIn = (
  { fallbackVersions: _fallbacks, ...resource }: ApiResource,
  statusSubresource: boolean,
): FakeResource => ({
  ...resource,
  statusSubresource,
  unconditionalUpdate: true,
  listItemsHaveKind: false,
});

/**
 * Everything `createKubernetesSource` reads or writes. ReferenceGrants are served at `v1` and
 * `v1beta1`, as by a Gateway API release that has both; pass `resources` to serve one only.
 */
export const DEFAULT_FAKE_RESOURCES: readonly FakeResource[] = [
  custom(RESOURCES.gatewayClasses),
  custom(RESOURCES.gateways),
  custom(RESOURCES.httpRoutes),
  { ...custom(RESOURCES.referenceGrants), statusSubresource: false, alsoServedAs: ['v1beta1'] },
  custom(RESOURCES.backends),
  builtIn(RESOURCES.services, true),
  builtIn(RESOURCES.namespaces, true),
  builtIn(RESOURCES.secrets, false),
  builtIn(RESOURCES.endpointSlices, false),
  builtIn(RESOURCES.leases, false),
  // Read for the Gateway API bundle version (GatewayClass `SupportedVersion`).
  builtIn(
    {
      group: 'apiextensions.k8s.io',
      version: 'v1',
      plural: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
    },
    true,
  ),
];
