/**
 * The few API calls the source makes, as small typed functions over @kubernetes/client-node 1.x.
 * The generated clients return class instances with `Date` fields for core types and `any` for
 * custom resources; everything here hands back plain JSON (`RawObject`), as a watch stream does,
 * so that list and watch paths feed `compile` the same shapes.
 */
import {
  ApiextensionsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  V1MicroTime,
  setHeaderOptions,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import type { ApiResource } from './resources.js';

/** Object metadata as the API server sends it. */
export interface RawMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly uid?: string;
  readonly creationTimestamp?: string;
  readonly [field: string]: unknown;
}

/** A Kubernetes object as plain JSON. */
export interface RawObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: RawMeta;
  readonly [field: string]: unknown;
}

export interface RawList {
  readonly metadata?: {
    readonly resourceVersion?: string;
    /** Set when more items follow: pass it back as `continue` for the next page. */
    readonly continue?: string;
    readonly remainingItemCount?: number;
  };
  readonly items: RawObject[];
}

/** How much of a list to ask for. */
export interface ListOptions {
  readonly fieldSelector?: string;
  /** At most this many items; the list's `metadata.continue` then points at the rest. */
  readonly limit?: number;
  /** The `metadata.continue` of the previous page. */
  readonly continue?: string;
}

/** A `coordination.k8s.io/v1` Lease, reduced to what leader election reads and writes. */
export interface LeaseRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  /** Opaque here: only compared for change, never parsed (replicas' clocks differ). */
  readonly renewTime?: string;
  readonly acquireTime?: string;
  readonly leaseTransitions?: number;
  readonly resourceVersion?: string;
}

/** Typed access to the API server for one KubeConfig. */
export interface KubeClient {
  /** Lists a resource across all namespaces: everything, or one page of it (`limit`, `continue`). */
  list(resource: ApiResource, options?: ListOptions): Promise<RawList>;
  /** Reads an object through its status subresource. */
  getStatus(resource: ApiResource, namespace: string, name: string): Promise<RawObject>;
  /**
   * JSON merge patch (RFC 7386) of the status subresource. A `metadata.resourceVersion` in the
   * patch makes it conditional: the server answers 409 when the object changed since.
   */
  mergePatchStatus(
    resource: ApiResource,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<RawObject>;
  /** Replaces the status subresource; `body.metadata.resourceVersion` makes it conditional. */
  replaceStatus(
    resource: ApiResource,
    namespace: string,
    name: string,
    body: RawObject,
  ): Promise<RawObject>;
  /** A CRD by name (`gatewayclasses.gateway.networking.k8s.io`); undefined when not installed. */
  readCustomResourceDefinition(name: string): Promise<RawObject | undefined>;
  /** Undefined when the Lease does not exist. */
  readLease(namespace: string, name: string): Promise<LeaseRecord | undefined>;
  createLease(namespace: string, name: string, lease: LeaseWrite): Promise<LeaseRecord>;
  /** Conditional on `lease.resourceVersion`. */
  replaceLease(
    namespace: string,
    name: string,
    lease: LeaseWrite & { resourceVersion: string },
  ): Promise<LeaseRecord>;
}

export interface LeaseWrite {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime?: Date;
  readonly renewTime: Date;
  readonly leaseTransitions: number;
}

/** The HTTP status of a failed call (`ApiException.code`, a watch error's `statusCode`), if any. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/** Creates the typed client for a KubeConfig. */
export function createKubeClient(kubeConfig: KubeConfig): KubeClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  const listCore = async (resource: ApiResource, selector: ListQuery): Promise<unknown> => {
    switch (resource.plural) {
      case 'services':
        return core.listServiceForAllNamespaces(selector);
      case 'namespaces':
        return core.listNamespace(selector);
      case 'secrets':
        return core.listSecretForAllNamespaces(selector);
      default:
        throw new Error(`no list call for core resource ${resource.plural}`);
    }
  };

  return {
    async list(resource, options = {}) {
      const { group, version, plural } = resource;
      const query = listQuery(options);
      const list =
        group === ''
          ? await listCore(resource, query)
          : await custom.listClusterCustomObject({ group, version, plural, ...query });
      return asRawList(list);
    },
    async getStatus({ group, version, plural, namespaced }, namespace, name) {
      return asRaw(
        namespaced
          ? await custom.getNamespacedCustomObjectStatus({
              group,
              version,
              plural,
              namespace,
              name,
            })
          : await custom.getClusterCustomObjectStatus({ group, version, plural, name }),
      );
    },
    async mergePatchStatus({ group, version, plural, namespaced }, namespace, name, patch) {
      const result: unknown = namespaced
        ? await custom.patchNamespacedCustomObjectStatus(
            { group, version, plural, namespace, name, body: patch },
            mergePatch,
          )
        : await custom.patchClusterCustomObjectStatus(
            { group, version, plural, name, body: patch },
            mergePatch,
          );
      return asRaw(result);
    },
    async readCustomResourceDefinition(name) {
      try {
        return asRaw(await extensions.readCustomResourceDefinition({ name }));
      } catch (error) {
        if (httpStatusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async replaceStatus({ group, version, plural }, namespace, name, body) {
      return asRaw(
        await custom.replaceNamespacedCustomObjectStatus({
          group,
          version,
          plural,
          namespace,
          name,
          body,
        }),
      );
    },
    async readLease(namespace, name) {
      try {
        return leaseRecord(await coordination.readNamespacedLease({ namespace, name }));
      } catch (error) {
        if (httpStatusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async createLease(namespace, name, lease) {
      const body = leaseBody(namespace, name, lease, undefined);
      return leaseRecord(await coordination.createNamespacedLease({ namespace, body }));
    },
    async replaceLease(namespace, name, lease) {
      const body = leaseBody(namespace, name, lease, lease.resourceVersion);
      return leaseRecord(await coordination.replaceNamespacedLease({ namespace, name, body }));
    },
  };
}

/** The generated clients' names for the list parameters (`continue` is a keyword there). */
interface ListQuery {
  fieldSelector?: string;
  limit?: number;
  _continue?: string;
}

function listQuery({ fieldSelector, limit, continue: token }: ListOptions): ListQuery {
  return {
    ...(fieldSelector === undefined ? {} : { fieldSelector }),
    ...(limit === undefined ? {} : { limit }),
    ...(token === undefined ? {} : { _continue: token }),
  };
}

/** Plain JSON: class instances become objects and `Date`s become RFC 3339 strings. */
function asRaw(value: unknown): RawObject {
  return JSON.parse(JSON.stringify(value)) as RawObject;
}

function asRawList(value: unknown): RawList {
  const plain = asRaw(value) as {
    metadata?: Record<string, unknown>;
    items?: RawObject[];
  };
  const items = plain.items ?? [];
  if (!plain.metadata) return { items };
  // The generated core types name the field `_continue`; custom objects come as the server sent them.
  const { _continue, continue: token, resourceVersion, remainingItemCount } = plain.metadata;
  const next = typeof token === 'string' ? token : typeof _continue === 'string' ? _continue : '';
  return {
    metadata: {
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
      ...(next !== '' ? { continue: next } : {}),
      ...(typeof remainingItemCount === 'number' ? { remainingItemCount } : {}),
    },
    items,
  };
}

function leaseBody(
  namespace: string,
  name: string,
  lease: LeaseWrite,
  resourceVersion: string | undefined,
): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { namespace, name, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: {
      holderIdentity: lease.holderIdentity,
      leaseDurationSeconds: lease.leaseDurationSeconds,
      // MicroTime: the API server rejects millisecond precision for these two fields.
      ...(lease.acquireTime ? { acquireTime: new V1MicroTime(lease.acquireTime.getTime()) } : {}),
      renewTime: new V1MicroTime(lease.renewTime.getTime()),
      leaseTransitions: lease.leaseTransitions,
    },
  };
}

function leaseRecord(lease: V1Lease): LeaseRecord {
  // The generated deserializer leaves MicroTime fields as the server's strings.
  const spec = lease.spec ?? {};
  const renewTime: unknown = spec.renewTime;
  const acquireTime: unknown = spec.acquireTime;
  return {
    ...(spec.holderIdentity ? { holderIdentity: spec.holderIdentity } : {}),
    ...(spec.leaseDurationSeconds !== undefined
      ? { leaseDurationSeconds: spec.leaseDurationSeconds }
      : {}),
    ...(renewTime !== undefined && renewTime !== null
      ? { renewTime: microTimeText(renewTime) }
      : {}),
    ...(acquireTime !== undefined && acquireTime !== null
      ? { acquireTime: microTimeText(acquireTime) }
      : {}),
    ...(spec.leaseTransitions !== undefined ? { leaseTransitions: spec.leaseTransitions } : {}),
    ...(lease.metadata?.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
  };
}

function microTimeText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
