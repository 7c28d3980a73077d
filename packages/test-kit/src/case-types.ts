/**
 * The routing case-file format (`cases/FORMAT.md`) as TypeScript types: what `parseCaseFile`
 * returns after validation. Shapes follow the YAML as authored; defaults are applied later by
 * `normalizeRequest`, so a tool that prints a case shows what the author wrote.
 */

export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

/** A backend a request must reach; `kind` Service and `group` '' unless given. */
export interface BackendExpectation {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace: string;
  readonly name: string;
  /** Omitted: any port (kgateway static Backends have none). */
  readonly port?: number;
}

/** What the backend must receive. Header names compare case-insensitively. */
export interface UpstreamExpectation {
  readonly method?: string;
  /** Request target incl. query. Omitted: the request's own target, unchanged. */
  readonly path?: string;
  readonly host?: string;
  /** Values compared after joining repeated headers with `,`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly absentHeaders?: readonly string[];
}

export interface WeightedBackendExpectation extends BackendExpectation {
  readonly weight: number;
  /** Every request that reaches this backend must satisfy it. */
  readonly upstream?: UpstreamExpectation;
}

export type HeaderValueExpectation = string | { readonly oneOf: readonly string[] };

/** What the client must receive. */
export interface ResponseExpectation {
  readonly headers?: Readonly<Record<string, HeaderValueExpectation>>;
  readonly absentHeaders?: readonly string[];
  /** Remove spaces from both sides before comparing header values. */
  readonly ignoreWhitespace?: boolean;
}

/** Fields of the `Location` that must hold; see `compareRedirect` for the defaults. */
export interface RedirectExpectation {
  readonly status?: number;
  readonly scheme?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: string;
}

export interface MirrorExpectation extends BackendExpectation {
  /** Share of requests mirrored, 0-100; default 100 (every request). */
  readonly percent?: number;
}

/** Exactly one of `backend`, `backends`, `status`, `redirect`; the rest are optional. */
export interface Expectation {
  readonly backend?: BackendExpectation;
  readonly backends?: readonly WeightedBackendExpectation[];
  /** One code, or a list of which any passes. */
  readonly status?: number | readonly number[];
  readonly redirect?: RedirectExpectation;
  readonly upstream?: UpstreamExpectation;
  readonly response?: ResponseExpectation;
  /** With status 504: the gateway timed out (408 also accepted). */
  readonly timeout?: boolean;
  readonly mirrors?: readonly MirrorExpectation[];
}

export type Protocol = 'HTTP/1.1' | 'HTTP/2';

export interface RequestSpec {
  readonly method?: string;
  readonly scheme?: 'http' | 'https';
  /** Host header, may carry `:port`. Omitted: the Gateway address. */
  readonly host?: string;
  readonly port?: number;
  /** The request target as on the request line; may contain `{uuid}`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly gateway?: ObjectRef;
  readonly sni?: string;
  readonly protocol?: Protocol;
  readonly websocket?: boolean;
}

export interface RequestCase {
  readonly name?: string;
  readonly request: RequestSpec;
  readonly expect: Expectation;
  /**
   * Keys this runner does not know, as field paths (`expect.foo`). FORMAT.md: a case using a key
   * the runner does not implement is reported as skipped, never as passed.
   */
  readonly unknownKeys: readonly string[];
}

export interface ConditionExpectation {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
}

export interface ParentExpectation {
  /** Default `gateway.networking.k8s.io`. */
  readonly group?: string;
  /** Default `Gateway`; `HTTPRoute` for a delegation parent. */
  readonly kind?: string;
  /** Default: the route's namespace. */
  readonly namespace?: string;
  readonly name: string;
}

/** One `status.parents` entry of one HTTPRoute. */
export interface StatusExpectation {
  /** `namespace/name` of the HTTPRoute. */
  readonly route: string;
  readonly parent: ParentExpectation;
  readonly conditions?: readonly ConditionExpectation[];
  /** Some condition's message contains this text. */
  readonly messageContains?: string;
  /** There must be no status entry for this parent. */
  readonly absent?: boolean;
  /** Every condition of the entry carries this `observedGeneration`. */
  readonly observedGeneration?: number;
  readonly unknownKeys: readonly string[];
}

export interface ListenerStatusExpectation {
  readonly gateway: ObjectRef;
  /** `status.listeners[].name`. */
  readonly listener: string;
  readonly attachedRoutes?: number;
  /** Kinds of group `gateway.networking.k8s.io`; the listed set must match exactly. */
  readonly supportedKinds?: readonly string[];
  readonly conditions?: readonly ConditionExpectation[];
  readonly unknownKeys: readonly string[];
}

export interface DeleteRef {
  readonly kind: string;
  /** Omitted for cluster-scoped objects (Namespace). */
  readonly namespace?: string;
  readonly name: string;
}

/** One entry of `updates`: applied in order after the initial checks. */
export interface UpdateStep {
  readonly apply: readonly Readonly<Record<string, unknown>>[];
  readonly delete: readonly DeleteRef[];
  readonly requests: readonly RequestCase[];
  readonly statuses: readonly StatusExpectation[];
  readonly listenerStatuses: readonly ListenerStatusExpectation[];
  readonly unknownKeys: readonly string[];
}

export interface CaseFile {
  /** Absolute path of the file. */
  readonly file: string;
  /** Path relative to the folder it was loaded from (for test titles). */
  readonly relativePath: string;
  readonly name: string;
  readonly description: string;
  readonly features: readonly string[];
  readonly level: 'core' | 'extended' | 'implementation';
  readonly provisional: boolean;
  /** Compile options, e.g. `{ routeWeight: true }`. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly gateway?: ObjectRef;
  /** The Kubernetes objects exactly as authored. */
  readonly objects: readonly Readonly<Record<string, unknown>>[];
  readonly requests: readonly RequestCase[];
  readonly statuses: readonly StatusExpectation[];
  readonly listenerStatuses: readonly ListenerStatusExpectation[];
  readonly updates: readonly UpdateStep[];
  /** Unknown top-level keys: the whole file is skipped. */
  readonly unknownKeys: readonly string[];
}
