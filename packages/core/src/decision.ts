/**
 * What `resolve` answers. A decision is plain data: adapters carry it out (forward, redirect,
 * respond) and tools print it. Nothing in it refers back to the table.
 */
import type {
  HeaderModifier,
  NormalizedCors,
  NormalizedBackendObjectRef,
} from './api/normalized.js';

/** A request as the gateway sees it. */
export interface ResolveRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /**
   * The request target as on the request line: path plus optional query (`/a/b?x=1`).
   * Absolute-form targets (`http://host/a`) are accepted; their authority is ignored.
   */
  readonly path: string;
  /** The authority; falls back to the `host` header. May carry `:port` (ignored for matching). */
  readonly host?: string;
  /** Request headers; names in any case, repeated values as arrays. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The listener port the request arrived on; default: the first listener for the scheme. */
  readonly port?: number;
  /** Default `http`. */
  readonly scheme?: 'http' | 'https';
  /** TLS server name, for HTTPS misdirected-request detection (421). */
  readonly sni?: string;
}

/** One rule of one route; a delegation chain is a list of these, top-level route first. */
export interface RouteRef {
  readonly namespace: string;
  readonly name: string;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly ruleName?: string;
}

export interface ListenerRef {
  readonly name: string;
  readonly port: number;
}

export interface UpstreamTarget {
  /** What the backend must receive: normalised, rewritten, query kept. */
  readonly path: string;
  /** Set only when a URLRewrite replaces the Host header. */
  readonly host?: string;
}

/** How to dial a backend that is not a Service (kgateway static `Backend`). */
export interface StaticAddress {
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
  readonly tls: boolean;
}

export interface DecisionBackend {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  /** Relative weight within the rule; entries with weight 0 are never listed. */
  readonly weight: number;
  /** Service port `appProtocol` (`kubernetes.io/h2c`, `kubernetes.io/ws`) or the Backend's. */
  readonly appProtocol?: string;
  /** Present for kgateway static Backends: dial these directly. */
  readonly address?: StaticAddress;
  /** Backend-level URLRewrite: replaces the decision's `upstream` for this backend. */
  readonly upstream?: UpstreamTarget;
  /** Backend-level header modifiers, applied after the rule's. */
  readonly requestHeaders?: HeaderModifier;
  readonly responseHeaders?: HeaderModifier;
  /** Backend-level RequestRedirect: answer with this redirect instead of forwarding. */
  readonly redirect?: { readonly status: number; readonly location: string };
  /** The reference is invalid: its share of traffic is answered with this status (500). */
  readonly invalid?: { readonly status: number; readonly reason: string };
}

export interface Mirror {
  readonly backend: NormalizedBackendObjectRef & {
    readonly port: number;
    readonly address?: StaticAddress;
  };
  /** 0-100. */
  readonly percent: number;
}

export interface Timeouts {
  /** Whole request, milliseconds; absent = no limit. */
  readonly requestMs?: number;
  /** Each backend attempt, milliseconds; absent = no limit. */
  readonly backendRequestMs?: number;
}

export interface RetryPolicy {
  /** Status codes to retry; connection errors are always retried. */
  readonly codes: readonly number[];
  /** Retries after the first attempt. */
  readonly attempts: number;
  readonly backoffMs: number;
}

interface DecisionBase {
  readonly listener: ListenerRef;
  /** The rule that decided (the deepest in a delegation chain). */
  readonly route: RouteRef;
  /** Top-level route first, `route` last. One element when no delegation is involved. */
  readonly chain: readonly RouteRef[];
}

export interface ForwardDecision extends DecisionBase {
  readonly kind: 'forward';
  /** At least one entry; pick with `pickBackend`. */
  readonly backends: readonly DecisionBackend[];
  readonly upstream: UpstreamTarget;
  readonly requestHeaders?: HeaderModifier;
  readonly responseHeaders?: HeaderModifier;
  readonly mirrors: readonly Mirror[];
  readonly cors?: NormalizedCors;
  readonly timeouts?: Timeouts;
  readonly retry?: RetryPolicy;
}

export interface RedirectDecision extends DecisionBase {
  readonly kind: 'redirect';
  readonly status: number;
  readonly location: string;
  readonly responseHeaders?: HeaderModifier;
}

export interface RespondDecision {
  readonly kind: 'respond';
  /** 400 bad request, 404 no route, 421 misdirected, 500 invalid configuration, 503, or 200/204 for a CORS preflight. */
  readonly status: number;
  /** A short, stable reason for logs and bodies, e.g. `no route`, `invalid backend`. */
  readonly reason: string;
  /**
   * The error code for an answer whose status alone does not name it: `SWY_URI_TOO_LONG` (414)
   * and `SWY_HEADERS_TOO_LARGE` (431), refused before any regex runs (rule 26).
   */
  readonly code?: RespondCode;
  readonly headers?: Readonly<Record<string, string>>;
  readonly listener?: ListenerRef;
  readonly route?: RouteRef;
  readonly chain?: readonly RouteRef[];
}

export type RespondCode = 'SWY_URI_TOO_LONG' | 'SWY_HEADERS_TOO_LARGE';

export type Decision = ForwardDecision | RedirectDecision | RespondDecision;
