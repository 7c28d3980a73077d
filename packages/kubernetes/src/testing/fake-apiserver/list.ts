/**
 * Lists as the API server answers them: items in key order (namespace, then name, as etcd keeps
 * them), built-in types without `kind`, and in pages when the client sets `limit`. The first page
 * fixes a snapshot; `metadata.continue` (base64 JSON of the snapshot's resourceVersion and the
 * next key, as the real token) reads on from it, so that every page agrees with the first one's
 * resourceVersion whatever changed meanwhile. A token from before the last compaction answers
 * 410 Gone with reason `Expired`, as etcd's compaction makes the API server do.
 */
import type { Store } from './store.js';
import { ApiError, apiVersionAt, servedAt, type FakeObject, type FakeResource } from './types.js';
import { matchesFields, parseFieldSelector } from './watch.js';

export interface ListRequest {
  readonly resource: FakeResource;
  /** The version asked for (see `FakeResource.alsoServedAs`). */
  readonly version: string;
  readonly namespace: string | undefined;
  readonly query: URLSearchParams;
}

/** A `<Kind>List` body; lists and their pages. */
export type Lister = (request: ListRequest) => unknown;

interface ContinueToken {
  readonly rv: number;
  /** Items from this key on (the last key served plus `\0`, as the API server does). */
  readonly start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

/** Lists over `store`, keeping the snapshots that continue tokens read from until compaction. */
export function createLister(store: Store): Lister {
  // Per resource and revision: every object of the resource then, in key order.
  const snapshots = new Map<FakeResource, Map<number, FakeObject[]>>();

  const snapshotAt = (resource: FakeResource, rv: number): FakeObject[] | undefined => {
    const byRevision = snapshots.get(resource);
    // What compaction forgot, the API server cannot read either.
    for (const kept of byRevision?.keys() ?? []) {
      if (kept < store.oldestResumable()) byRevision!.delete(kept);
    }
    return byRevision?.get(rv);
  };

  return ({ resource, version, namespace, query }) => {
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const limit = parseLimit(query.get('limit'));
    const token = query.get('continue');
    let rv: number;
    let objects: FakeObject[];
    let start = '';
    if (token) {
      const position = decodeToken(token);
      const snapshot = snapshotAt(resource, position.rv);
      if (position.rv < store.oldestResumable() || !snapshot) {
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      rv = position.rv;
      objects = snapshot;
      start = position.start;
    } else {
      rv = store.revision();
      objects = sortByKey(store.list(resource));
    }
    const matching = objects.filter(
      (o) =>
        keyOf(o) >= start &&
        (namespace === undefined || o.metadata.namespace === namespace) &&
        matchesFields(o, fields),
    );
    const page = limit === undefined ? matching : matching.slice(0, limit);
    const remaining = matching.length - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (remaining > 0) {
      if (!token) {
        let byRevision = snapshots.get(resource);
        if (!byRevision) snapshots.set(resource, (byRevision = new Map()));
        byRevision.set(rv, objects);
      }
      metadata['continue'] = encodeToken({ rv, start: `${keyOf(page[page.length - 1]!)}\u0000` });
      // Only exact without selectors: the API server leaves it out otherwise.
      if (fields.length === 0) metadata['remainingItemCount'] = remaining;
    }
    return {
      apiVersion: apiVersionAt(resource, version),
      kind: `${resource.kind}List`,
      metadata,
      items: page.map((o) => {
        if (!resource.listItemsHaveKind) {
          const { apiVersion: _apiVersion, kind: _kind, ...rest } = o;
          return rest;
        }
        return servedAt(o, resource, version);
      }),
    };
  };
}

function keyOf(object: FakeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

function sortByKey(objects: FakeObject[]): FakeObject[] {
  return objects
    .map((object) => ({ object, key: keyOf(object) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ object }) => object);
}

function parseLimit(text: string | null): number | undefined {
  if (text === null || text === '' || text === '0') return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 0)
    throw new ApiError(400, 'BadRequest', `invalid limit "${text}"`);
  return limit;
}

function encodeToken({ rv, start }: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv, start })).toString('base64');
}

function decodeToken(token: string): ContinueToken {
  let decoded: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as typeof decoded;
  } catch {
    throw new ApiError(400, 'BadRequest', 'continue key is not valid: not base64-encoded JSON');
  }
  if (
    decoded?.v !== TOKEN_VERSION ||
    typeof decoded.rv !== 'number' ||
    typeof decoded.start !== 'string'
  )
    throw new ApiError(400, 'BadRequest', 'continue key is not valid: unexpected content');
  return { rv: decoded.rv, start: decoded.start };
}
