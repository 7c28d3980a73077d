/**
 * The contract between the runner and one implementation under test. The core implements it with
 * `compile` + `resolve`; the Node proxy and the framework adapters implement it over real sockets
 * with real echo backends. The runner never asks how a target works, only what it can show.
 *
 * @example
 * ```ts
 * // packages/node/test/conformance.test.ts
 * import { casesDir, runCases } from '@switchyard/test-kit';
 * import { nodeTarget } from './node-target.js';
 * runCases({ target: nodeTarget(), dirs: [casesDir.gatewayApi, casesDir.delegation] });
 * ```
 */
import type { GatewayStatus, RouteStatus } from '@switchyard/core';
import type { CaseFile, ObjectRef, Protocol, UpdateStep } from './case-types.js';

/**
 * Something an expectation needs the target to show. A request case needing one the target
 * cannot show is registered as skipped with that name in its title.
 */
export type Observable =
  /** Which backend a request reaches. */
  | 'backend'
  /** A weighted split read exactly from the decision (`Observation.kind === 'split'`). */
  | 'backends.exact'
  /** A weighted split measured over many requests (`RunOptions.sampleSize`). */
  | 'backends.sampled'
  /** The status code the gateway answers with. */
  | 'status'
  /** A redirect: its status and `Location`. */
  | 'redirect'
  | 'upstream.method'
  | 'upstream.path'
  | 'upstream.host'
  | 'upstream.headers'
  /** Response headers the gateway decides (CORS, ResponseHeaderModifier on gateway answers). */
  | 'response.headers'
  /** Response headers a backend sets on request (`x-echo-set-header`), after the gateway's filters. */
  | 'response.echo'
  /** A request timeout firing (`expect.timeout`). */
  | 'timeout'
  /** The `?delay=<duration>` backend knob. */
  | 'delay'
  /** The `/retry/` backend knobs (attempts counted per `{uuid}`, which the runner fills in). */
  | 'retry'
  /** Mirrored copies (`expect.mirrors`). */
  | 'mirrors'
  /** A mirror share read exactly from the decision. */
  | 'mirrors.percent.exact'
  /** A mirror share measured over many requests. */
  | 'mirrors.percent.sampled'
  | 'websocket'
  /** Requests sent with `protocol: HTTP/2`. */
  | 'http2'
  /** Requests with `scheme: https` (TLS, SNI). */
  | 'https'
  /** Route `status.parents` entries (`statuses`). */
  | 'route-status'
  /** Gateway listener statuses (`listenerStatuses`). */
  | 'listener-status';

/** A request case with every FORMAT.md default applied; `{uuid}` already replaced. */
export interface NormalizedRequest {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  /** Host header; undefined = the Gateway address (matches only listeners and routes without hostnames). */
  readonly host?: string;
  /** The listener port the request arrives on. */
  readonly port: number;
  /** Request target incl. query. */
  readonly path: string;
  /** Names as authored; repeated values as lists. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The Gateway the request is sent to. */
  readonly gateway: ObjectRef;
  /** TLS server name; set for `https` when known. */
  readonly sni?: string;
  readonly protocol: Protocol;
  readonly websocket: boolean;
}

export interface BackendId {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port?: number;
}

/** Header names in any case; repeated values as lists (Node's `IncomingHttpHeaders` fits). */
export type ObservedHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the backend received. */
export interface UpstreamObservation {
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  readonly headers: ObservedHeaders;
}

export interface MirrorObservation {
  readonly backend: BackendId;
  /** Set when read from configuration (the core); absent when a copy was actually received. */
  readonly percent?: number;
}

/** The request reached a backend. */
export interface ForwardedObservation {
  readonly kind: 'forwarded';
  readonly backend: BackendId;
  readonly upstream?: UpstreamObservation;
  /** What the client got back through the gateway (data-plane targets; the core emulates headers). */
  readonly response?: { readonly status?: number; readonly headers: ObservedHeaders };
  readonly mirrors?: readonly MirrorObservation[];
  /** Free text shown when the check fails (e.g. the core's decision). */
  readonly detail?: string;
}

/** The gateway answered by itself: 404, 500, a redirect, a CORS preflight, a timeout... */
export interface RespondedObservation {
  readonly kind: 'responded';
  readonly status: number;
  readonly headers: ObservedHeaders;
  /** True when the target knows the answer came from a timeout. */
  readonly timedOut?: boolean;
  readonly detail?: string;
}

export type SingleObservation = ForwardedObservation | RespondedObservation;

/**
 * "The decision splits traffic like this": every outcome the request could have, with its weight.
 * Targets that see the decision (the core) answer with this instead of sampling; a request-level
 * expectation (`backend`, `status`, `redirect`) must then hold for every outcome of weight > 0.
 */
export interface SplitObservation {
  readonly kind: 'split';
  readonly outcomes: readonly {
    readonly weight: number;
    readonly observation: SingleObservation;
  }[];
  readonly mirrors?: readonly MirrorObservation[];
  readonly detail?: string;
}

export type Observation = SingleObservation | SplitObservation;

/** Route and Gateway statuses, in the core's shapes. */
export interface ObservedStatuses {
  readonly routes: readonly RouteStatus[];
  readonly gateways: readonly GatewayStatus[];
}

/** One implementation under test. */
export interface CaseTarget {
  /** Shown in every test title. */
  readonly name: string;
  /**
   * Features (`features:` of a case file, e.g. `HTTPRouteQueryParamMatching`, `Delegation`) and
   * FORMAT keys (`updates`, `options.routeWeight`) this target implements. A case file needing one
   * it does not support is skipped as a whole.
   */
  supports(feature: string): boolean;
  canObserve(what: Observable): boolean;
  /** Starts serving the case's objects (compile them, start servers). */
  open(caseFile: CaseFile): Promise<CaseSession>;
}

/** One case file being served. Calls are sequential. */
export interface CaseSession {
  send(request: NormalizedRequest): Promise<Observation>;
  statuses(): Promise<ObservedStatuses>;
  /**
   * Carries out one `updates` step. `objects` is the full object list after the step, with
   * `metadata.generation` bumped as FORMAT.md says (see `applyUpdate`); a target may use either.
   */
  apply(step: UpdateStep, objects: readonly Readonly<Record<string, unknown>>[]): Promise<void>;
  close(): Promise<void>;
}
