/**
 * The lookup structure over one listener's routes, so that resolving costs the same with ten
 * routes or a hundred thousand.
 *
 * - Hostnames: a `Map` of exact hosts, a `Map` of wildcard suffixes (`*.example.com` under
 *   `example.com`) and one bucket for routes without hostnames (H-7 order: exact, then wildcards
 *   longest first, then the catch-all).
 * - Paths, per hostname bucket: one segment trie. A node holds the PathPrefix routes ending there,
 *   the regex routes anchored there (at the last complete segment of the regex's safe literal
 *   prefix, or deeper when a guard's prefix is deeper), and the Exact routes whose whole path it
 *   is (`/a/` is the node `a` then the node `''`). Every path a route can match walks through the
 *   node it is placed at, so a lookup only looks at the lists met along the request's own segments.
 * - Children are found by a hash of the segment computed while scanning the request path, in a
 *   small open-addressing table, and confirmed character by character: no segment string is cut
 *   out or hashed by the engine per request.
 * - Every list is sorted by rank; lookup merges them in rank order (see `lookup.ts`).
 *
 * Pinned by `test/match/index.test.ts` and the differential test against the reference matcher.
 */
import type { FlatRoute } from '../table.js';
import { pathMatches, prefixSegments, prepareMatch, type PreparedMatch } from './prepared.js';
import { orNone } from './none.js';
import { regexSafePrefix } from './regex.js';
import { forwardPlan, type ForwardPlan } from '../decide/decide.js';

/**
 * One match to evaluate for an entry: the route's own (`guard` -1) or an ancestor's. It carries
 * the prepared match's fields itself, so the lookup reads them without one more object load.
 */
export interface IndexCheck extends PreparedMatch {
  readonly match: PreparedMatch;
  /** Index into `route.guards`, or -1 for the route's own match. */
  readonly guard: number;
  /** The entry's place in the index already proves the path test. */
  readonly skipPath: boolean;
}

export interface IndexEntry {
  readonly rank: number;
  readonly route: FlatRoute;
  /** The route's own match first, then its guards. */
  readonly checks: readonly IndexCheck[];
  /** The route's Decision precomputed when it is a plain forward (see `forwardPlan`). */
  readonly plan: ForwardPlan | undefined;
}

export interface TrieNode {
  /** The path segment that leads here from the parent. */
  readonly segment: string;
  /** PathPrefix routes ending here and regex routes anchored here. */
  readonly entries: readonly IndexEntry[];
  /** Exact routes whose path ends exactly here. */
  readonly exact: readonly IndexEntry[];
  /**
   * The children as an open-addressing table (linear probing, at most half full, a power of two
   * slots), three array items per slot: the {@link segmentHash} of the child's segment (-1 for an
   * empty slot), the segment, the child. Undefined for a leaf. One array with the segment beside
   * its hash lets a probe confirm a candidate without loading the child node or further arrays:
   * at 100k routes every load of table memory is likely a cache miss.
   */
  readonly probe: readonly ProbeItem[] | undefined;
  /** Slot count - 1 (0 for a leaf). */
  readonly mask: number;
}

export type ProbeItem = number | string | TrieNode | undefined;

/** Items per slot of {@link TrieNode.probe}. */
export const PROBE_STRIDE = 3;

/** The trie while it is being built. */
interface BuildNode {
  readonly segment: string;
  readonly entries: IndexEntry[];
  readonly exact: IndexEntry[];
  children: Map<string, BuildNode> | undefined;
}

export interface PathIndex {
  readonly root: TrieNode;
}

interface BuildIndex {
  readonly root: BuildNode;
}

export interface ListenerIndex {
  readonly tag: typeof INDEX_TAG;
  readonly exactHosts: ReadonlyMap<string, PathIndex>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcardHosts: ReadonlyMap<string, PathIndex>;
  readonly anyHost: PathIndex | undefined;
}

const INDEX_TAG = 'switchyard.listener-index/1';

/**
 * Builds the index over a listener's flattened routes (any order; ranks decide). `compile` stores
 * the result in `TableListener.index`.
 */
export function buildListenerIndex(routes: readonly FlatRoute[]): ListenerIndex {
  const exactHosts = new Map<string, BuildIndex>();
  const wildcardHosts = new Map<string, BuildIndex>();
  let anyHost: BuildIndex | undefined;
  for (const route of [...routes].sort((a, b) => a.rank - b.rank)) {
    const placement = placeRoute(route);
    const buckets = new Set<BuildIndex>();
    if (route.hostnames.length === 0) buckets.add((anyHost ??= emptyPathIndex()));
    for (const hostname of route.hostnames) {
      if (hostname === '*') buckets.add((anyHost ??= emptyPathIndex()));
      else if (hostname.startsWith('*.')) buckets.add(bucketFor(wildcardHosts, hostname.slice(2)));
      else buckets.add(bucketFor(exactHosts, hostname));
    }
    for (const bucket of buckets) insert(bucket, placement);
  }
  return {
    tag: INDEX_TAG,
    exactHosts: sealAll(exactHosts),
    wildcardHosts: sealAll(wildcardHosts),
    anyHost: anyHost === undefined ? undefined : { root: seal(anyHost.root) },
  };
}

export function isListenerIndex(value: unknown): value is ListenerIndex {
  return typeof value === 'object' && value !== null && (value as ListenerIndex).tag === INDEX_TAG;
}

interface Placement {
  readonly entry: IndexEntry;
  /** True when some check is an Exact path: the entry goes to the node's exact list. */
  readonly exact: boolean;
  /** Undefined when no path can satisfy the route (an Exact value not starting with `/`). */
  readonly segments: readonly string[] | undefined;
}

function placeRoute(route: FlatRoute): Placement {
  const matches = [route.match, ...route.guards].map(prepareMatch);
  const exact = matches.find((m) => m.pathType === 'Exact');
  if (exact !== undefined) {
    // The whole path is known, so every other path test can be decided now.
    const checks = matches.map((match, i) =>
      indexCheck(match, i - 1, pathMatches(match, exact.pathValue)),
    );
    const path = exact.pathValue;
    const segments = path.startsWith('/') ? path.slice(1).split('/') : undefined;
    return { entry: indexEntry(route, checks), exact: true, segments };
  }
  let segments: readonly string[] = [];
  for (const match of matches) {
    const anchor = anchorSegments(match);
    if (anchor.length > segments.length) segments = anchor;
  }
  const checks = matches.map((match, i) =>
    indexCheck(
      match,
      i - 1,
      match.pathType === 'PathPrefix' && startsWithSegments(segments, anchorSegments(match)),
    ),
  );
  return { entry: indexEntry(route, checks), exact: false, segments };
}

function indexCheck(match: PreparedMatch, guard: number, skipPath: boolean): IndexCheck {
  return {
    pathType: match.pathType,
    pathValue: match.pathValue,
    pathRegex: match.pathRegex,
    method: match.method,
    headers: match.headers,
    query: match.query,
    match,
    guard,
    skipPath,
  };
}

function indexEntry(route: FlatRoute, checks: readonly IndexCheck[]): IndexEntry {
  return { rank: route.rank, route, checks, plan: forwardPlan(route) };
}

/** The segments every path the match accepts starts with. */
function anchorSegments(match: PreparedMatch): readonly string[] {
  if (match.pathType === 'PathPrefix') {
    return match.pathValue === '' || match.pathValue.startsWith('/')
      ? prefixSegments(match.pathValue)
      : [];
  }
  if (match.pathType !== 'RegularExpression') return [];
  const literal = regexSafePrefix(match.pathValue);
  if (!literal.startsWith('/')) return [];
  const complete = literal.slice(0, literal.lastIndexOf('/'));
  return complete === '' ? [] : complete.slice(1).split('/');
}

function startsWithSegments(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, i) => path[i] === segment);
}

function emptyPathIndex(): BuildIndex {
  return { root: buildNode('') };
}

function buildNode(segment: string): BuildNode {
  return { segment, entries: [], exact: [], children: undefined };
}

function sealAll(buckets: Map<string, BuildIndex>): Map<string, PathIndex> {
  return new Map([...buckets].map(([key, bucket]) => [key, { root: seal(bucket.root) }]));
}

/** The finished node: children moved into their probing table. */
function seal(node: BuildNode): TrieNode {
  if (node.children === undefined) {
    return {
      segment: node.segment,
      entries: orNone(node.entries),
      exact: orNone(node.exact),
      probe: undefined,
      mask: 0,
    };
  }
  let size = 2;
  while (size < node.children.size * 2) size *= 2;
  const probe = new Array<ProbeItem>(size * PROBE_STRIDE);
  for (let slot = 0; slot < size; slot++) {
    probe[slot * PROBE_STRIDE] = -1;
    probe[slot * PROBE_STRIDE + 1] = '';
    probe[slot * PROBE_STRIDE + 2] = undefined;
  }
  for (const child of node.children.values()) {
    const hash = segmentHash(child.segment, 0, child.segment.length);
    let slot = hash & (size - 1);
    while (probe[slot * PROBE_STRIDE] !== -1) slot = (slot + 1) & (size - 1);
    probe[slot * PROBE_STRIDE] = hash;
    probe[slot * PROBE_STRIDE + 1] = child.segment;
    probe[slot * PROBE_STRIDE + 2] = seal(child);
  }
  return {
    segment: node.segment,
    entries: orNone(node.entries),
    exact: orNone(node.exact),
    probe,
    mask: size - 1,
  };
}

const HASH_SEED = 0x811c9dc5 | 0;

/**
 * FNV-1a over the UTF-16 code units of `text[start, end)`, cut to 30 bits so that it stays a
 * small integer. `lookup.ts` computes the same while it scans the request path.
 */
export function segmentHash(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash & 0x3fffffff;
}

export { HASH_SEED };

function bucketFor(map: Map<string, BuildIndex>, key: string): BuildIndex {
  let bucket = map.get(key);
  if (bucket === undefined) map.set(key, (bucket = emptyPathIndex()));
  return bucket;
}

/** Routes arrive in rank order, so appending keeps every list sorted. */
function insert(index: BuildIndex, placement: Placement): void {
  if (placement.segments === undefined) return;
  let node = index.root;
  for (const segment of placement.segments) node = childFor(node, segment);
  (placement.exact ? node.exact : node.entries).push(placement.entry);
}

function childFor(node: BuildNode, segment: string): BuildNode {
  node.children ??= new Map();
  let child = node.children.get(segment);
  if (child === undefined) node.children.set(segment, (child = buildNode(segment)));
  return child;
}
