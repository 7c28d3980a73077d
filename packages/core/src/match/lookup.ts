/**
 * The hot path: find the winning route of a listener for one request.
 *
 * Hostname buckets are tried in H-7 order (exact host, wildcard suffixes longest first, then
 * routes without hostnames); inside a bucket, the candidate lists met along the request path
 * (one trie node per segment, and the Exact list of the node the whole path ends at) are merged
 * by rank, and
 * the first candidate whose own match and guards all hold wins. Rank order is the contract: no
 * list is assumed to come before another, because `routeWeight` can rank a prefix above an exact
 * path. Scratch arrays are reused, so a lookup allocates nothing.
 */
import type { TableListener } from '../table.js';
import {
  buildListenerIndex,
  isListenerIndex,
  type IndexEntry,
  type ListenerIndex,
} from './build-index.js';
import {
  EXACT_LIST,
  HASH_SEED,
  PREFIX_LIST,
  ROOT_FIELDS,
  SLOTS,
  type PathIndex,
} from './path-trie.js';
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

/**
 * Every entry that matches, not only the first: bucket by bucket in `findRoute`'s order, by rank
 * inside a bucket, each entry once. For questions asked after a 404 (`explain`), not for routing.
 */
export function findAll(
  index: ListenerIndex,
  host: string | undefined,
  request: RequestView,
): IndexEntry[] {
  const found: IndexEntry[] = [];
  const seen = new Set<number>();
  for (const bucket of bucketsFor(index, host)) {
    const count = meetAlongPath(bucket, request.path);
    const matched: IndexEntry[] = [];
    for (let list = 0; list < count; list++) {
      for (let i = starts[list]!; i < ends[list]!; i++) {
        const entry = bucket.entries[i]!;
        if (!seen.has(entry.rank) && entryMatches(entry, request)) matched.push(entry);
      }
    }
    matched.sort((a, b) => a.rank - b.rank);
    for (const entry of matched) {
      if (seen.has(entry.rank)) continue;
      seen.add(entry.rank);
      found.push(entry);
    }
  }
  return found;
}

function bucketsFor(index: ListenerIndex, host: string | undefined): PathIndex[] {
  const buckets: PathIndex[] = [];
  if (host !== undefined) {
    const exact = index.exactHosts.get(host);
    if (exact !== undefined) buckets.push(exact);
    for (let dot = host.indexOf('.', 1); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const bucket = index.wildcardHosts.get(host.slice(dot + 1));
      if (bucket !== undefined) buckets.push(bucket);
    }
  }
  if (index.anyHost !== undefined) buckets.push(index.anyHost);
  return buckets;
}

// Scratch for the lists met along the path: where each starts and ends in `PathIndex.entries`,
// its first rank, and the merge's cursor.
const starts: number[] = [];
const ends: number[] = [];
const heads: number[] = [];
const cursors: number[] = [];

function findInBucket(
  index: PathIndex,
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  const count = meetAlongPath(index, request.path);
  if (count === 0) return undefined;
  return count === 1
    ? firstInList(index.entries, starts[0]!, ends[0]!, request, tracer, label)
    : firstInMerge(index.entries, count, request, tracer, label);
}

/**
 * Walks the trie along `path` and notes, in the scratch arrays, every candidate list met (the
 * prefix lists of the nodes on the way, the exact list of the node the whole path ends at).
 * Returns how many.
 */
function meetAlongPath(index: PathIndex, path: string): number {
  const length = path.length;
  const nodes = index.nodes;
  // `fields` is the `p` of the current node's record (see `PathIndex`).
  let fields = ROOT_FIELDS;
  let count = meet(nodes, fields + PREFIX_LIST, 0);
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
    const table = fields + SLOTS;
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
    count = meet(nodes, fields + PREFIX_LIST, count);
    if (end >= length) {
      count = meet(nodes, fields + EXACT_LIST, count);
      break;
    }
    start = end + 1;
  }
  return count;
}

/** Notes the list described at `nodes[at..at+2]` when it is not empty; the new count. */
function meet(nodes: Int32Array, at: number, count: number): number {
  const size = nodes[at + 1]!;
  if (size === 0) return count;
  const start = nodes[at]!;
  starts[count] = start;
  ends[count] = start + size;
  heads[count] = nodes[at + 2]!;
  return count + 1;
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
  entries: readonly IndexEntry[],
  start: number,
  end: number,
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  for (let i = start; i < end; i++) {
    const entry = entries[i]!;
    const matched = entryMatches(entry, request);
    tracer?.candidate(entry, matched, label, request);
    if (matched) return entry;
  }
  return undefined;
}

/**
 * A k-way merge by rank over the `count` lists met (k is small: segments + 2). A list's first
 * rank comes from the trie, so a list that never gets its turn is never loaded.
 */
function firstInMerge(
  entries: readonly IndexEntry[],
  count: number,
  request: RequestView,
  tracer: LookupTracer | undefined,
  label: string,
): IndexEntry | undefined {
  for (let i = 0; i < count; i++) cursors[i] = starts[i]!;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < count; i++) {
      const cursor = cursors[i]!;
      if (cursor >= ends[i]!) continue;
      const rank = cursor === starts[i] ? heads[i]! : entries[cursor]!.rank;
      if (rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    if (best === -1) return undefined;
    const cursor = cursors[best]!;
    const entry = entries[cursor]!;
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
