/**
 * The hot path: find the winning route of a listener for one request.
 *
 * Hostname buckets are tried in H-7 order (exact host, wildcard suffixes longest first, then
 * routes without hostnames); inside a bucket, the candidate lists met along the request path
 * (one trie node per segment, and the Exact list of the node the whole path ends at) are merged
 * by rank, and
 * the first candidate whose own match and guards all hold wins. Rank order is the contract: no
 * list is assumed to come before another, because `routeWeight` can rank a prefix above an exact
 * path. Scratch arrays are reused, so a lookup allocates little more than the segment strings.
 */
import type { TableListener } from '../table.js';
import {
  buildListenerIndex,
  HASH_SEED,
  ROOT_FIELDS,
  isListenerIndex,
  type IndexEntry,
  type ListenerIndex,
  type PathIndex,
} from './build-index.js';
import { matchesRequest } from './prepared.js';
import type { RequestView } from './request-view.js';

/** Observes a lookup, for `explain`; `resolve` passes none. */
export interface LookupTracer {
  candidate(entry: IndexEntry, matched: boolean, bucket: string, request: RequestView): void;
}

const built = new WeakMap<TableListener, ListenerIndex>();

/** The listener's index; built (once) when a hand-made table carries none. */
export function listenerIndex(listener: TableListener): ListenerIndex {
  if (isListenerIndex(listener.index)) return listener.index;
  let index = built.get(listener);
  if (index === undefined) built.set(listener, (index = buildListenerIndex(listener.routes)));
  return index;
}

/**
 * The first route in precedence order that matches, or undefined (404).
 *
 * @param host lower-case request host without port; undefined when the request names none
 */
export function findRoute(
  index: ListenerIndex,
  host: string | undefined,
  request: RequestView,
  tracer?: LookupTracer,
): IndexEntry | undefined {
  if (host !== undefined) {
    const exact = index.exactHosts.get(host);
    if (exact !== undefined) {
      const hit = findInBucket(exact, request, tracer, host);
      if (hit !== undefined) return hit;
    }
    if (index.wildcardHosts.size > 0) {
      for (let dot = host.indexOf('.', 1); dot !== -1; dot = host.indexOf('.', dot + 1)) {
        const suffix = host.slice(dot + 1);
        const bucket = index.wildcardHosts.get(suffix);
        if (bucket === undefined) continue;
        const hit = findInBucket(bucket, request, tracer, `*.${suffix}`);
        if (hit !== undefined) return hit;
      }
    }
  }
  return index.anyHost === undefined
    ? undefined
    : findInBucket(index.anyHost, request, tracer, '*');
}

/** The labels of the buckets `findRoute` tries for a host, in order. */
export function hostBucketOrder(index: ListenerIndex, host: string | undefined): string[] {
  const labels: string[] = [];
  if (host !== undefined) {
    if (index.exactHosts.has(host)) labels.push(host);
    for (let dot = host.indexOf('.', 1); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const suffix = host.slice(dot + 1);
      if (index.wildcardHosts.has(suffix)) labels.push(`*.${suffix}`);
    }
  }
  if (index.anyHost !== undefined) labels.push('*');
  return labels;
}

const lists: (readonly IndexEntry[])[] = [];
const cursors: number[] = [];

function findInBucket(
  index: PathIndex,
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  const path = request.path;
  const length = path.length;
  const nodes = index.nodes;
  const all = index.lists;
  // `fields` is the `p` of the current node's record (see `PathIndex`).
  let fields = ROOT_FIELDS;
  let count = 0;
  let id = nodes[fields + 1]!;
  if (id >= 0) lists[count++] = all[id]!;
  // Walk the segments of the path (it starts with `/`): hash each one while looking for its end.
  for (let start = 1; ;) {
    const mask = nodes[fields]!;
    if (mask < 0) break;
    let hash = HASH_SEED;
    let end = start;
    for (; end < length; end++) {
      const code = path.charCodeAt(end);
      if (code === 0x2f) break;
      hash = Math.imul(hash ^ code, 16777619);
    }
    hash &= 0x3fffffff;
    const table = fields + 3;
    let child = -1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = nodes[table + 2 * slot]!;
      if (stored === -1) break;
      if (stored === hash) {
        const record = nodes[table + 2 * slot + 1]!;
        if (isSegment(nodes, record, path, start, end)) {
          child = record;
          break;
        }
      }
    }
    if (child < 0) break;
    fields = child + 1 + nodes[child]!;
    id = nodes[fields + 1]!;
    if (id >= 0) lists[count++] = all[id]!;
    if (end >= length) {
      id = nodes[fields + 2]!;
      if (id >= 0) lists[count++] = all[id]!;
      break;
    }
    start = end + 1;
  }
  if (count === 0) return undefined;
  return count === 1
    ? firstInList(lists[0]!, request, tracer, label)
    : firstInMerge(count, request, tracer, label);
}

/** The segment stored at `record` (its length, then its code units) equals `path[start, end)`. */
function isSegment(
  nodes: Int32Array,
  record: number,
  path: string,
  start: number,
  end: number,
): boolean {
  const length = nodes[record]!;
  if (length !== end - start) return false;
  for (let i = 0; i < length; i++) {
    if (nodes[record + 1 + i] !== path.charCodeAt(start + i)) return false;
  }
  return true;
}

function firstInList(
  list: readonly IndexEntry[],
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const matched = entryMatches(entry, request);
    tracer?.candidate(entry, matched, label, request);
    if (matched) return entry;
  }
  return undefined;
}

/** A k-way merge over `lists[0..count)` by rank; k is small (segments + 2). */
function firstInMerge(
  count: number,
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  for (let i = 0; i < count; i++) cursors[i] = 0;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < count; i++) {
      const list = lists[i]!;
      const cursor = cursors[i]!;
      if (cursor < list.length && list[cursor]!.rank < bestRank) {
        best = i;
        bestRank = list[cursor]!.rank;
      }
    }
    if (best === -1) return undefined;
    const cursor = cursors[best]!;
    const entry = lists[best]![cursor]!;
    cursors[best] = cursor + 1;
    const matched = entryMatches(entry, request);
    tracer?.candidate(entry, matched, label, request);
    if (matched) return entry;
  }
}

function entryMatches(entry: IndexEntry, request: RequestView): boolean {
  const checks = entry.checks;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    if (!matchesRequest(check, request, check.skipPath)) return false;
  }
  return true;
}
