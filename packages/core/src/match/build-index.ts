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
 *   out or hashed by the engine per request. The trie is sealed into one flat `Int32Array`
 *   (`path-trie.ts`).
 * - Every list is sorted by rank; lookup merges them in rank order (see `lookup.ts`).
 *
 * Pinned by `test/match/index.test.ts` and the differential test against the reference matcher.
 */
import type { CompiledMatch, FlatRoute } from '../table.js';
import { pathMatches, prefixSegments, prepareMatch, type PreparedMatch } from './prepared.js';
import { orNone } from './none.js';
import { regexSafePrefix } from './regex.js';
import { forwardPlan, type ForwardPlan } from '../decide/decide.js';
import {
  addToTrie,
  finish,
  newTrie,
  sealTrieSteps,
  type PathIndex,
  type TrieBuilder,
} from './path-trie.js';

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
  /**
   * What is left to evaluate of the route's own match (guard -1) and its guards: the checks its
   * place in the trie already proves are left out.
   */
  readonly checks: readonly IndexCheck[];
  /** The route's Decision precomputed when it is a plain forward (see `forwardPlan`). */
  readonly plan: ForwardPlan | undefined;
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
  return finish(listenerIndexSteps(routes));
}

/** Routes placed between two yields of {@link listenerIndexSteps}. */
const PLACE_STEP = 256;

/**
 * {@link buildListenerIndex} in steps: it yields after every {@link PLACE_STEP} routes placed and
 * while each trie is sealed, so that a thread which also serves requests (a table that arrived
 * from a compile worker) can build a large index between them. Same result as the one-call build.
 */
export function* listenerIndexSteps(
  routes: readonly FlatRoute[],
): Generator<void, ListenerIndex, void> {
  const buckets: Buckets = { exact: new Map(), wildcard: new Map(), any: undefined };
  const guards: GuardCache = new Map();
  const sorted = [...routes].sort((a, b) => a.rank - b.rank);
  for (let i = 0; i < sorted.length; i++) {
    const route = sorted[i]!;
    const placement = placeRoute(route, guards);
    const { hostnames } = route;
    if (hostnames.length === 0) insert(bucketOf(buckets, '*'), placement);
    else if (hostnames.length === 1) insert(bucketOf(buckets, hostnames[0]!), placement);
    else {
      // Two hostnames can share a bucket (`*` twice, say): insert once.
      const distinct = new Set(hostnames.map((hostname) => bucketOf(buckets, hostname)));
      for (const bucket of distinct) insert(bucket, placement);
    }
    if ((i + 1) % PLACE_STEP === 0) yield;
  }
  return {
    tag: INDEX_TAG,
    exactHosts: yield* sealAll(buckets.exact),
    wildcardHosts: yield* sealAll(buckets.wildcard),
    anyHost: buckets.any === undefined ? undefined : yield* sealTrieSteps(buckets.any),
  };
}

interface Buckets {
  readonly exact: Map<string, TrieBuilder>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcard: Map<string, TrieBuilder>;
  any: TrieBuilder | undefined;
}

/** The bucket a route hostname (`*` for none) goes to, created on first use. */
function bucketOf(buckets: Buckets, hostname: string): TrieBuilder {
  if (hostname === '*') return (buckets.any ??= newTrie());
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

function* sealAll(
  buckets: Map<string, TrieBuilder>,
): Generator<void, Map<string, PathIndex>, void> {
  const sealed = new Map<string, PathIndex>();
  for (const [key, bucket] of buckets) sealed.set(key, yield* sealTrieSteps(bucket));
  return sealed;
}

function bucketFor(map: Map<string, TrieBuilder>, key: string): TrieBuilder {
  let bucket = map.get(key);
  if (bucket === undefined) map.set(key, (bucket = newTrie()));
  return bucket;
}

function insert(trie: TrieBuilder, { segments, exact, entry }: Placement): void {
  if (segments !== undefined) addToTrie(trie, segments, exact, entry);
}
