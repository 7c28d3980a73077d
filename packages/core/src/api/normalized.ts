/**
 * The normalised model: authored objects with every API default applied and every structural
 * and CEL rule checked. `normalize()` produces it; every later pipeline stage (attach, delegate,
 * flatten, sort, index) reads only these shapes, never the raw objects.
 */
import type { HTTPMethod, LabelSelector, PathMatchType } from './objects.js';

export interface ObjectKey {
  readonly namespace: string;
  readonly name: string;
}

/** Where a problem was found: a field path such as `spec.rules[2].matches[0].path.value`. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

// ---------------------------------------------------------------- matches

export interface NormalizedPathMatch {
  readonly type: PathMatchType;
  readonly value: string;
}

export interface NormalizedValueMatch {
  readonly type: 'Exact' | 'RegularExpression';
  /** Header names are lower-cased; query parameter names keep their case. */
  readonly name: string;
  readonly value: string;
}

export interface NormalizedMatch {
  readonly path: NormalizedPathMatch;
  /** Duplicates (case-insensitive) removed, first entry kept (HM-4). */
  readonly headers: readonly NormalizedValueMatch[];
  /** Duplicates removed, first entry kept (QM-4). */
  readonly queryParams: readonly NormalizedValueMatch[];
  readonly method?: HTTPMethod;
}

// ---------------------------------------------------------------- filters

export interface HeaderModifier {
  /** Names keep the author's spelling; compare case-insensitively. */
  readonly set: readonly { readonly name: string; readonly value: string }[];
  readonly add: readonly { readonly name: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export interface PathModifier {
  readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  /** The replacement: `replaceFullPath` or `replacePrefixMatch` (may be ''). */
  readonly value: string;
}

export interface NormalizedRedirect {
  readonly scheme?: 'http' | 'https';
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: PathModifier;
  /** Defaulted to 302. */
  readonly statusCode: 301 | 302 | 303 | 307 | 308;
}

export interface NormalizedRewrite {
  readonly hostname?: string;
  readonly path?: PathModifier;
}

export interface NormalizedCors {
  readonly allowOrigins: readonly string[];
  readonly allowCredentials: boolean;
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  /** Seconds; defaulted to 5. */
  readonly maxAge: number;
}

/** A backend reference with defaults applied: group '' and kind Service, namespace filled in. */
export interface NormalizedBackendObjectRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port?: number;
}

export interface NormalizedMirror {
  readonly backendRef: NormalizedBackendObjectRef;
  /** Share of requests mirrored, 0-100 (fractions converted; default 100). */
  readonly percent: number;
}

export type NormalizedFilter =
  | { readonly type: 'RequestHeaderModifier'; readonly modifier: HeaderModifier }
  | { readonly type: 'ResponseHeaderModifier'; readonly modifier: HeaderModifier }
  | { readonly type: 'RequestRedirect'; readonly redirect: NormalizedRedirect }
  | { readonly type: 'URLRewrite'; readonly rewrite: NormalizedRewrite }
  | { readonly type: 'RequestMirror'; readonly mirror: NormalizedMirror }
  | { readonly type: 'CORS'; readonly cors: NormalizedCors }
  | {
      readonly type: 'ExtensionRef';
      readonly ref: { readonly group: string; readonly kind: string; readonly name: string };
    };

// ---------------------------------------------------------------- rules and routes

export interface NormalizedBackendRef extends NormalizedBackendObjectRef {
  /** Defaulted to 1. */
  readonly weight: number;
  readonly filters: readonly NormalizedFilter[];
}

export interface NormalizedTimeouts {
  /** Milliseconds; 0 means disabled. */
  readonly requestMs?: number;
  readonly backendRequestMs?: number;
}

export interface NormalizedRetry {
  readonly codes: readonly number[];
  /** Maximum number of retries (attempts after the first). Defaulted to 1 when omitted. */
  readonly attempts: number;
  readonly backoffMs: number;
}

export interface NormalizedRule {
  /** Position in the authored `spec.rules`; kept when earlier rules are dropped. */
  readonly index: number;
  readonly name?: string;
  /** Never empty: an omitted list becomes one PathPrefix `/` match (D-3). */
  readonly matches: readonly NormalizedMatch[];
  readonly filters: readonly NormalizedFilter[];
  readonly backendRefs: readonly NormalizedBackendRef[];
  readonly timeouts?: NormalizedTimeouts;
  readonly retry?: NormalizedRetry;
}

export interface NormalizedParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

/** A rule that validation removed, with every problem found in it. */
export interface DroppedRule {
  readonly index: number;
  readonly problems: readonly FieldProblem[];
}

export interface NormalizedRoute extends ObjectKey {
  /** `namespace/name`. */
  readonly key: string;
  readonly generation: number;
  /** Milliseconds since the epoch; routes without a timestamp sort after all that have one. */
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly parentRefs: readonly NormalizedParentRef[];
  /** Lower-cased. Empty means every hostname. */
  readonly hostnames: readonly string[];
  /** The valid rules, in authored order. */
  readonly rules: readonly NormalizedRule[];
  /** Rules dropped by validation (reported as `PartiallyInvalid` / `Dropped Rule`). */
  readonly droppedRules: readonly DroppedRule[];
  /**
   * Problems outside any rule (hostnames, parentRefs, rule count...). When present the route
   * is not accepted by any parent: `Accepted=False`, reason `UnsupportedValue`.
   */
  readonly specProblems: readonly FieldProblem[];
}

// ---------------------------------------------------------------- Gateway

export interface NormalizedListener {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** Lower-cased; undefined matches every hostname. */
  readonly hostname?: string;
  readonly tls?: {
    readonly mode: 'Terminate' | 'Passthrough';
    readonly certificateRefs: readonly NormalizedBackendObjectRef[];
  };
  readonly allowedRoutes: {
    readonly from: 'All' | 'Same' | 'Selector';
    readonly selector?: LabelSelector;
    /** undefined = the kinds supported for the protocol (HTTPRoute for HTTP/HTTPS). */
    readonly kinds?: readonly { readonly group: string; readonly kind: string }[];
  };
}

export interface NormalizedGateway extends ObjectKey {
  readonly key: string;
  readonly generation: number;
  readonly listeners: readonly NormalizedListener[];
  readonly problems: readonly FieldProblem[];
}

// ---------------------------------------------------------------- the rest

export interface NormalizedReferenceGrant extends ObjectKey {
  readonly from: readonly {
    readonly group: string;
    readonly kind: string;
    readonly namespace: string;
  }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
}

export interface NormalizedService extends ObjectKey {
  readonly type: string;
  readonly ports: readonly {
    readonly port: number;
    readonly name?: string;
    readonly appProtocol?: string;
  }[];
}

export interface NormalizedNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NormalizedSecret extends ObjectKey {
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
}

export interface NormalizedStaticBackend extends ObjectKey {
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
  readonly appProtocol?: string;
}

/** Everything `compile` works from, keyed by `namespace/name` (Namespaces by name). */
export interface NormalizedObjects {
  readonly gateways: readonly NormalizedGateway[];
  /** Sorted by key so that later stages never depend on input order. */
  readonly routes: readonly NormalizedRoute[];
  readonly referenceGrants: readonly NormalizedReferenceGrant[];
  readonly services: ReadonlyMap<string, NormalizedService>;
  readonly namespaces: ReadonlyMap<string, NormalizedNamespace>;
  readonly secrets: ReadonlyMap<string, NormalizedSecret>;
  readonly backends: ReadonlyMap<string, NormalizedStaticBackend>;
}
