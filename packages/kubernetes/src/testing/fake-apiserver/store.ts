/**
 * The fake API server's storage: objects per resource, one global resourceVersion counter (as
 * etcd's revision), an event log that watches resume from, and compaction that makes older
 * resourceVersions "too old" (410 Gone). Writes follow the API server's rules: optimistic
 * concurrency on `metadata.resourceVersion` (409 Conflict), `generation` bumped on spec changes,
 * the status subresource as the only way to change `status`.
 */
import { randomUUID } from 'node:crypto';
import { mergePatch } from './merge-patch.js';
import { ApiError, type FakeObject, type FakeResource } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly resourceVersion: number;
  readonly resource: FakeResource;
  readonly type: EventType;
  readonly object: FakeObject;
}

export interface WriteOptions {
  /** Write through the status subresource: only `status` changes. */
  readonly status?: boolean;
}

export interface Store {
  /** The current revision. */
  revision(): number;
  /** The oldest resourceVersion a watch may resume from. */
  oldestResumable(): number;
  get(resource: FakeResource, namespace: string, name: string): FakeObject | undefined;
  list(resource: FakeResource, namespace?: string): FakeObject[];
  /** Events after `resourceVersion` for one resource; throws 410 when compacted away. */
  eventsSince(resource: FakeResource, resourceVersion: number): StoreEvent[];
  create(resource: FakeResource, namespace: string, body: FakeObject): FakeObject;
  update(
    resource: FakeResource,
    namespace: string,
    name: string,
    body: FakeObject,
    options?: WriteOptions,
  ): FakeObject;
  patch(
    resource: FakeResource,
    namespace: string,
    name: string,
    patch: unknown,
    options?: WriteOptions,
  ): FakeObject;
  remove(resource: FakeResource, namespace: string, name: string): FakeObject;
  /** Forgets the event log: every watch from an earlier resourceVersion now gets 410 Gone. */
  compact(): void;
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export interface StoreOptions {
  /** For `creationTimestamp`. */
  readonly clock: () => Date;
  /** Keep a `creationTimestamp` given on create instead of assigning one (see the server option). */
  readonly keepCreationTimestamps: boolean;
}

export function createStore({ clock, keepCreationTimestamps }: StoreOptions): Store {
  let revision = 1000;
  let oldest = revision;
  const data = new Map<FakeResource, Map<string, FakeObject>>();
  const log: StoreEvent[] = [];
  const listeners = new Set<(event: StoreEvent) => void>();

  const table = (resource: FakeResource) => {
    let objects = data.get(resource);
    if (!objects) data.set(resource, (objects = new Map()));
    return objects;
  };
  const keyOf = (resource: FakeResource, namespace: string, name: string) =>
    resource.namespaced ? `${namespace}/${name}` : name;
  const notFound = (resource: FakeResource, name: string) =>
    new ApiError(
      404,
      'NotFound',
      `${resource.plural}${resource.group ? `.${resource.group}` : ''} "${name}" not found`,
    );

  function commit(resource: FakeResource, type: EventType, object: FakeObject): FakeObject {
    revision += 1;
    const stored = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(revision) },
    };
    const key = keyOf(resource, stored.metadata.namespace ?? '', stored.metadata.name);
    if (type === 'DELETED') table(resource).delete(key);
    else table(resource).set(key, stored);
    const event = { resourceVersion: revision, resource, type, object: structuredClone(stored) };
    log.push(event);
    for (const listener of listeners) listener(event);
    return structuredClone(stored);
  }

  function checkPrecondition(resource: FakeResource, current: FakeObject, wanted: unknown) {
    if (wanted === undefined || wanted === null || wanted === '') return;
    if (wanted !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource.plural} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  /** The next version of `current` after a write of `next` (already merged or replaced). */
  function nextVersion(
    resource: FakeResource,
    current: FakeObject,
    next: FakeObject,
    options: WriteOptions,
  ): FakeObject {
    if (options.status) {
      return { ...current, ...(next.status === undefined ? {} : { status: next.status }) };
    }
    const { metadata, status: _ignored, ...rest } = next;
    // Identity and bookkeeping fields are the server's: a client cannot change them.
    const {
      namespace: _n,
      uid: _u,
      creationTimestamp: _c,
      generation: _g,
      ...clientMetadata
    } = metadata;
    const { namespace, uid, creationTimestamp, generation } = current.metadata;
    const keptStatus = resource.statusSubresource ? current.status : next.status;
    const result: FakeObject = {
      ...rest,
      ...(current.apiVersion !== undefined ? { apiVersion: current.apiVersion } : {}),
      ...(current.kind !== undefined ? { kind: current.kind } : {}),
      metadata: {
        ...clientMetadata,
        name: current.metadata.name,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(uid !== undefined ? { uid } : {}),
        ...(creationTimestamp !== undefined ? { creationTimestamp } : {}),
        ...(generation !== undefined ? { generation } : {}),
      },
      // With a status subresource, the main resource cannot change the status.
      ...(keptStatus === undefined ? {} : { status: keptStatus }),
    };
    if (canonical(specOf(current)) !== canonical(specOf(result))) {
      result.metadata.generation = (current.metadata.generation ?? 1) + 1;
    }
    return result;
  }

  return {
    revision: () => revision,
    oldestResumable: () => oldest,
    get: (resource, namespace, name) => {
      const found = table(resource).get(keyOf(resource, namespace, name));
      return found && structuredClone(found);
    },
    list: (resource, namespace) =>
      [...table(resource).values()]
        .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
        .map((o) => structuredClone(o)),
    eventsSince(resource, resourceVersion) {
      if (resourceVersion < oldest) {
        throw new ApiError(
          410,
          'Expired',
          `too old resource version: ${resourceVersion} (${oldest})`,
        );
      }
      return log.filter((e) => e.resource === resource && e.resourceVersion > resourceVersion);
    },
    create(resource, namespace, body) {
      const name = body.metadata?.name;
      if (!name) throw new ApiError(422, 'Invalid', 'metadata.name: Required value');
      if (table(resource).has(keyOf(resource, namespace, name))) {
        throw new ApiError(409, 'AlreadyExists', `${resource.plural} "${name}" already exists`);
      }
      const { status, ...rest } = body;
      const created: FakeObject = {
        ...rest,
        apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
        kind: resource.kind,
        metadata: {
          ...body.metadata,
          name,
          ...(resource.namespaced ? { namespace } : {}),
          uid: randomUUID(),
          creationTimestamp:
            (keepCreationTimestamps ? body.metadata.creationTimestamp : undefined) ??
            clock()
              .toISOString()
              .replace(/\.\d{3}Z$/, 'Z'),
          generation: 1,
        },
        // Creating through the main resource drops the status when a subresource owns it.
        ...(resource.statusSubresource || status === undefined ? {} : { status }),
      };
      return commit(resource, 'ADDED', created);
    },
    update(resource, namespace, name, body, options = {}) {
      const current = table(resource).get(keyOf(resource, namespace, name));
      if (!current) throw notFound(resource, name);
      const wanted = body.metadata?.resourceVersion;
      if (!options.status && !resource.unconditionalUpdate && !wanted) {
        throw new ApiError(
          422,
          'Invalid',
          'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
        );
      }
      checkPrecondition(resource, current, wanted);
      return commit(resource, 'MODIFIED', nextVersion(resource, current, body, options));
    },
    patch(resource, namespace, name, patch, options = {}) {
      const current = table(resource).get(keyOf(resource, namespace, name));
      if (!current) throw notFound(resource, name);
      const wanted = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata
        ?.resourceVersion;
      checkPrecondition(resource, current, wanted);
      const merged = mergePatch(structuredClone(current), patch) as FakeObject;
      return commit(resource, 'MODIFIED', nextVersion(resource, current, merged, options));
    },
    remove(resource, namespace, name) {
      const current = table(resource).get(keyOf(resource, namespace, name));
      if (!current) throw notFound(resource, name);
      return commit(resource, 'DELETED', current);
    },
    compact() {
      log.length = 0;
      oldest = revision;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** JSON with sorted keys: the API server compares decoded objects, not key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Everything but metadata and status: what `generation` counts changes of. */
function specOf(object: FakeObject): unknown {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}
