/**
 * Whether a change of an informer's cache changes the compile input, at the cost of the changed
 * object only: each object's routing content is remembered as a digest, and a status write-back,
 * a resourceVersion bump or a relist that brings the same content again is no change (the
 * serving thread never re-reads the whole input to find that out; delegation rule 28).
 */
import { createHash } from 'node:crypto';
import type { RawObject } from './kube-client.js';
import { objectKey, routingText } from './objects.js';
import type { CacheChange } from './watch/informer.js';

export interface InputChanges {
  /** Records the change; true when the routing content of the resource's cache changed. */
  record(resource: string, change: CacheChange): boolean;
}

/**
 * @example
 * ```ts
 * const changes = createInputChanges();
 * changes.record('httpRoutes', { type: 'added', object: route }); // true
 * changes.record('httpRoutes', { type: 'updated', object: { ...route, status } }); // false
 * ```
 */
export function createInputChanges(): InputChanges {
  const digests = new Map<string, string>();
  return {
    record(resource, change) {
      if (change.type === 'absent') return true;
      const key = `${resource}\0${objectKey(change.object)}`;
      if (change.type === 'deleted') return digests.delete(key);
      const digest = digestOf(change.object);
      if (digests.get(key) === digest) return false;
      digests.set(key, digest);
      return true;
    },
  };
}

/** 20 bytes per object rather than a second copy of the cache. */
function digestOf(object: RawObject): string {
  return createHash('sha1').update(routingText(object)).digest('base64');
}
