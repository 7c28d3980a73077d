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
import type { CompiledMatch, FlatRoute } from '../table.js';
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

/**
 * One hostname bucket's segment trie, laid out flat so that a lookup touches few, close places of
 * memory: at 100k routes every load of table memory is likely a cache (and TLB) miss, and a trie
 * of JS objects costs several per segment (probe array, segment string, node, list).
 *
 * `nodes` holds one record per trie node, a subtree's records next to each other (depth first):
 *
 *     o        segment length L (the segment that leads here from the parent; 0 at the root)
 *     o+1..L   the segment's UTF-16 code units
 *     p = o+1+L
 *     p        children: slot count - 1, or -1 for a leaf
 *     p+1..3   the PathPrefix/regex entries placed here: start in `entries`, count, first rank
 *     p+4..6   the Exact entries whose whole path ends here: start, count, first rank
 *     p+7+2s   slot s of an open-addressing table (linear probing, at most half full): the
 *     p+8+2s   {@link segmentHash} of a child's segment (-1 for an empty slot), the child's `o`
 *
 * A probe confirms a hash against the segment at the start of the child's own record, which is
 * also where the walk goes next. A list's first rank lets the lookup order the lists it met
 * without loading an entry of a list that loses. The root's record starts at 0.
 */
export interface PathIndex {
  readonly nodes: Int32Array;
  /** Every entry list of the trie, each sorted by rank, one after the other (depth first). */
  readonly entries: readonly IndexEntry[];
}

/** Where the root's fields start (`p` of the record at 0, whose segment is empty). */
export const ROOT_FIELDS = 1;
/** Offsets from `p`. */
export const PREFIX_LIST = 1;
export const EXACT_LIST = 4;
export const SLOTS = 7;

/** The trie while it is being built. */
interface BuildNode {
  readonly segment: string;
  readonly entries: IndexEntry[];
  readonly exact: IndexEntry[];
  children: Map<string, BuildNode> | undefined;
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
  const buckets: Buckets = { exact: new Map(), wildcard: new Map(), any: undefined };
  const guards: GuardCache = new Map();
  for (const route of [...routes].sort((a, b) => a.rank - b.rank)) {
    const placement = placeRoute(route, guards);
    const { hostnames } = route;
    if (hostnames.length === 0) insert(bucketOf(buckets, '*'), placement);
    else if (hostnames.length === 1) insert(bucketOf(buckets, hostnames[0]!), placement);
    else {
      // Two hostnames can share a bucket (`*` twice, say): insert once.
      const distinct = new Set(hostnames.map((hostname) => bucketOf(buckets, hostname)));
      for (const bucket of distinct) insert(bucket, placement);
    }
  }
  return {
    tag: INDEX_TAG,
    exactHosts: sealAll(buckets.exact),
    wildcardHosts: sealAll(buckets.wildcard),
    anyHost: buckets.any === undefined ? undefined : seal(buckets.any.root),
  };
}

interface Buckets {
  readonly exact: Map<string, BuildIndex>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcard: Map<string, BuildIndex>;
  any: BuildIndex | undefined;
}

/** The bucket a route hostname (`*` for none) goes to, created on first use. */
function bucketOf(buckets: Buckets, hostname: string): BuildIndex {
  if (hostname === '*') return (buckets.any ??= emptyPathIndex());
  return hostname.startsWith('*.')
    ? bucketFor(buckets.wildcard, hostname.slice(2))
    : bucketFor(buckets.exact, hostname);
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

/** A prepared match with the segments every path it accepts starts with. */
interface Anchored {
  readonly match: PreparedMatch;
  readonly anchor: readonly string[];
}

/**
 * Guards are shared by every route flattened under the same parent (`compile` hands out one
 * object per parent match), so they are prepared once per index build, not once per route.
 */
type GuardCache = Map<CompiledMatch, Anchored>;

function anchored(match: CompiledMatch): Anchored {
  const prepared = prepareMatch(match);
  return { match: prepared, anchor: anchorSegments(prepared) };
}

function guardOf(cache: GuardCache, guard: CompiledMatch): Anchored {
  let found = cache.get(guard);
  if (found === undefined) cache.set(guard, (found = anchored(guard)));
  return found;
}

function placeRoute(route: FlatRoute, cache: GuardCache): Placement {
  const matches = [anchored(route.match)];
  for (const guard of route.guards) matches.push(guardOf(cache, guard));
  const exact = matches.find(({ match }) => match.pathType === 'Exact')?.match;
  if (exact !== undefined) {
    // The whole path is known, so every other path test can be decided now.
    const path = exact.pathValue;
    const checks = openChecks(matches, (match) => pathMatches(match, path));
    const segments = path.startsWith('/') ? path.slice(1).split('/') : undefined;
    return { entry: indexEntry(route, checks), exact: true, segments };
  }
  let segments: readonly string[] = [];
  for (const { anchor } of matches) if (anchor.length > segments.length) segments = anchor;
  const checks = openChecks(
    matches,
    (match, anchor) => match.pathType === 'PathPrefix' && startsWithSegments(segments, anchor),
  );
  return { entry: indexEntry(route, checks), exact: false, segments };
}

/**
 * The checks a lookup must still evaluate. A check whose path test the entry's place already
 * proves (`skipPath`), with nothing else to test, always holds: leaving it out saves the lookup
 * loading it (at 100k routes, a cache miss per check).
 */
function openChecks(
  matches: readonly Anchored[],
  pathProven: (match: PreparedMatch, anchor: readonly string[]) => boolean,
): readonly IndexCheck[] {
  const checks: IndexCheck[] = [];
  matches.forEach(({ match, anchor }, i) => {
    const skipPath = pathProven(match, anchor);
    const alwaysHolds =
      skipPath &&
      match.method === undefined &&
      match.headers.length === 0 &&
      match.query.length === 0;
    if (!alwaysHolds) checks.push(indexCheck(match, i - 1, skipPath));
  });
  return orNone(checks);
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
  return new Map([...buckets].map(([key, bucket]) => [key, seal(bucket.root)]));
}

/** The finished trie: every node's record written depth first into one `Int32Array`. */
function seal(root: BuildNode): PathIndex {
  const nodes = new Int32Array(recordSize(root));
  const entries: IndexEntry[] = [];
  const writeList = (at: number, list: readonly IndexEntry[]): void => {
    nodes[at] = entries.length;
    nodes[at + 1] = list.length;
    nodes[at + 2] = list[0]?.rank ?? 0;
    entries.push(...list);
  };
  const write = (node: BuildNode, at: number): number => {
    const { segment } = node;
    nodes[at] = segment.length;
    for (let i = 0; i < segment.length; i++) nodes[at + 1 + i] = segment.charCodeAt(i);
    const fields = at + 1 + segment.length;
    const children = node.children === undefined ? [] : [...node.children.values()];
    const slots = slotCount(children.length);
    nodes[fields] = slots - 1;
    writeList(fields + PREFIX_LIST, node.entries);
    writeList(fields + EXACT_LIST, node.exact);
    const table = fields + SLOTS;
    nodes.fill(-1, table, table + 2 * slots);
    let next = table + 2 * slots;
    for (const child of children) {
      const hash = segmentHash(child.segment, 0, child.segment.length);
      let slot = hash & (slots - 1);
      while (nodes[table + 2 * slot] !== -1) slot = (slot + 1) & (slots - 1);
      nodes[table + 2 * slot] = hash;
      nodes[table + 2 * slot + 1] = next;
      next = write(child, next);
    }
    return next;
  };
  write(root, 0);
  return { nodes, entries };
}

/** Slots for `children` (0 for a leaf, so its mask is -1): a power of two, at most half full. */
function slotCount(children: number): number {
  if (children === 0) return 0;
  let size = 2;
  while (size < children * 2) size *= 2;
  return size;
}

function recordSize(node: BuildNode): number {
  let size = 1 + node.segment.length + SLOTS + 2 * slotCount(node.children?.size ?? 0);
  if (node.children !== undefined)
    for (const child of node.children.values()) size += recordSize(child);
  return size;
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
