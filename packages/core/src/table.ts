/**
 * The compiled route table: per listener, the flattened routes in precedence order plus the
 * index the matcher walks. Built once by `compile`, deeply frozen, never mutated: share it across
 * requests and replace it wholesale.
 */
import type {
  HeaderModifier,
  NormalizedCors,
  NormalizedMatch,
  NormalizedRedirect,
  NormalizedRewrite,
  ObjectKey,
} from './api/normalized.js';
import type { Mirror, RetryPolicy, RouteRef, StaticAddress, Timeouts } from './decision.js';
import type { Regex } from './match/regex.js';

/** A normalised match with its regular expressions compiled. */
export interface CompiledMatch extends NormalizedMatch {
  /** Present when `path.type` is `RegularExpression`. */
  readonly pathRegex?: Regex;
  /** Same order as `headers`; entries present for `RegularExpression` matches. */
  readonly headerRegexes: readonly (Regex | undefined)[];
  readonly queryRegexes: readonly (Regex | undefined)[];
}

export interface TableBackend {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly weight: number;
  readonly appProtocol?: string;
  readonly address?: StaticAddress;
  readonly requestHeaders?: HeaderModifier;
  readonly responseHeaders?: HeaderModifier;
  readonly rewrite?: NormalizedRewrite;
  readonly redirect?: NormalizedRedirect;
  readonly invalid?: { readonly status: number; readonly reason: string };
}

export type RouteAction =
  | {
      readonly kind: 'forward';
      /** Weight-0 entries removed; never empty (an all-zero rule compiles to `respond` 500). */
      readonly backends: readonly TableBackend[];
      readonly requestHeaders?: HeaderModifier;
      readonly responseHeaders?: HeaderModifier;
      readonly rewrite?: NormalizedRewrite;
      readonly mirrors: readonly Mirror[];
      readonly cors?: NormalizedCors;
      readonly timeouts?: Timeouts;
      readonly retry?: RetryPolicy;
    }
  | {
      readonly kind: 'redirect';
      readonly redirect: NormalizedRedirect;
      readonly responseHeaders?: HeaderModifier;
      readonly cors?: NormalizedCors;
    }
  | { readonly kind: 'respond'; readonly status: number; readonly reason: string };

/** One match of one rule, flattened through its delegation chain. */
export interface FlatRoute {
  /** Precedence within the listener: lower wins. Unique per listener; `routes[i].rank === i`. */
  readonly rank: number;
  /** Effective hostnames on this listener (intersected, lower-case); empty = every host. */
  readonly hostnames: readonly string[];
  /** The merged match: path, headers, query and method after delegation. */
  readonly match: CompiledMatch;
  /**
   * Ancestor matches that must match as well (delegation rule 10). Empty for routes attached
   * directly to the Gateway.
   */
  readonly guards: readonly CompiledMatch[];
  readonly action: RouteAction;
  /** Top-level route first; the owner of `action` last. */
  readonly chain: readonly RouteRef[];
  /** `kgateway.dev/route-weight` of the owning route when the `routeWeight` option is on, else 0. */
  readonly weight: number;
}

/** What a delegating rule selects (delegation rule 1): an HTTPRoute by name or `*`, or a label. */
export interface DelegationTarget {
  readonly group: string;
  /** `HTTPRoute`, or `label` (then `name` is the label value). */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface TableListener {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  /** Lower-case; undefined = every host. */
  readonly hostname?: string;
  /** TLS certificate references for HTTPS listeners, for adapters that terminate TLS. */
  readonly certificateRefs: readonly ObjectKey[];
  /** Sorted by `rank`. */
  readonly routes: readonly FlatRoute[];
  /** The lookup structure over `routes`; opaque outside `match/`. */
  readonly index: unknown;
  /**
   * The delegating parent matches with live children (delegation rule 17), in precedence order.
   * They route nothing: `delegatedScope` (is a 404 the gateway's answer?) and `explain` (which
   * delegation covers a 404, and which children it tried) read them. A scope's children are the
   * `routes` whose `chain` starts with the scope's `chain`. Absent when there are none, and in
   * hand-made tables.
   */
  readonly scopes?: readonly DelegatedScope[];
}

/** A prefix (with its host, header, query and method conditions) delegated to other routes. */
export interface DelegatedScope {
  /** Effective hostnames on this listener; empty = every host. */
  readonly hostnames: readonly string[];
  /** The delegating rule's match (merged, when that rule is itself in a child). */
  readonly match: CompiledMatch;
  /** Ancestor matches that must match as well. */
  readonly guards: readonly CompiledMatch[];
  /** The delegating rule, top-level route first. */
  readonly chain: readonly RouteRef[];
  /** The delegating rule's delegation backendRefs. */
  readonly selects: readonly DelegationTarget[];
}

/**
 * Rule 26: the input sizes `resolve` admits before any regex runs. Longer paths answer 414; a
 * longer value of a header that a regex match of a candidate the request reaches would read
 * answers 431 (requests that reach no such candidate are not limited).
 */
export interface TableLimits {
  /** Longest request target (path and query), in characters. */
  readonly maxPathLength: number;
  /** Longest value (repeated values joined) of a header a reached regex header match reads. */
  readonly maxHeaderValueLength: number;
}

export const DEFAULT_MAX_PATH_LENGTH = 8192;
export const DEFAULT_MAX_HEADER_VALUE_LENGTH = 8192;

export interface RouteTable {
  /** The Gateway this table serves; undefined when the input had none. */
  readonly gateway?: ObjectKey;
  /** Input limits; absent means the defaults (8 KiB each). */
  readonly limits?: TableLimits;
  /** Accepted HTTP and HTTPS listeners, in Gateway order. */
  readonly listeners: readonly TableListener[];
}
