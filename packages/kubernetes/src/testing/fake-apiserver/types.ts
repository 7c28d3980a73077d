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

const custom = (resource: ApiResource): FakeResource => ({
  ...resource,
  statusSubresource: true,
  unconditionalUpdate: false,
  listItemsHaveKind: true,
});
const builtIn = (resource: ApiResource, statusSubresource: boolean): FakeResource => ({
  ...resource,
  statusSubresource,
  unconditionalUpdate: true,
  listItemsHaveKind: false,
});

/** Everything `createKubernetesSource` reads or writes. */
export const DEFAULT_FAKE_RESOURCES: readonly FakeResource[] = [
  custom(RESOURCES.gateways),
  custom(RESOURCES.httpRoutes),
  { ...custom(RESOURCES.referenceGrants), statusSubresource: false },
  custom(RESOURCES.backends),
  builtIn(RESOURCES.services, true),
  builtIn(RESOURCES.namespaces, true),
  builtIn(RESOURCES.secrets, false),
  builtIn(RESOURCES.endpointSlices, false),
  builtIn(RESOURCES.leases, false),
];
