/**
 * Cached API objects → `compile` input. List items of core types arrive without `kind` and
 * `apiVersion` (the API server leaves them out of lists), and every object carries fields that
 * change without changing routing (`status`, `resourceVersion`, `managedFields`). Both are dealt
 * with here, so that a status write-back never makes a new table.
 */
import type { RawObject } from './kube-client.js';
import { apiVersionOf, type ApiResource } from './resources.js';

/** Metadata fields that change on every write, including status writes: not routing input. */
const VOLATILE_METADATA = new Set(['resourceVersion', 'managedFields']);

/**
 * The object as `compile` should see it: `kind` and `apiVersion` set, `status` and volatile
 * metadata removed.
 *
 * @example
 * ```ts
 * toCompileInput(RESOURCES.services, { metadata: { name: 'a', namespace: 'b', resourceVersion: '7' }, spec: {} })
 * // { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'b' }, spec: {} }
 * ```
 */
export function toCompileInput(resource: ApiResource, object: RawObject): RawObject {
  const { status: _status, metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!VOLATILE_METADATA.has(key)) meta[key] = value;
  }
  return {
    apiVersion: object.apiVersion ?? apiVersionOf(resource),
    kind: resource.kind,
    metadata: meta,
    ...rest,
  };
}

/**
 * The object's routing content as text: what {@link toCompileInput} keeps, less `kind` and
 * `apiVersion` (which lists leave out and watch events carry), with keys sorted and the creation
 * time as a number (a list and a watch event need not spell them alike). Equal text, equal
 * compile input.
 */
export function routingText(object: RawObject): string {
  const { status: _status, metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!VOLATILE_METADATA.has(key)) meta[key] = value;
  }
  // Lists of core types bring a Date (`…:50.000Z`), their watch events the text (`…:50Z`).
  const created = meta['creationTimestamp'];
  if (created instanceof Date || typeof created === 'string')
    meta['creationTimestamp'] = new Date(created).getTime();
  return JSON.stringify([meta, rest], sortedKeys);
}

/** A `JSON.stringify` replacer that writes every object's keys in sorted order. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(object: RawObject): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** Objects in a stable order (by key), so that equal caches give equal compile input. */
export function sortByKey(objects: readonly RawObject[]): RawObject[] {
  return objects
    .map((object) => ({ object, key: objectKey(object) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ object }) => object);
}
