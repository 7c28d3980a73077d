/** The fake API server's contract: its options, what tests control, what it records. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { RbacPolicy, RbacRule, RequestAttributes } from './rbac.js';
import type { FakeObject, FakeResource } from './types.js';

export interface FakeApiServerOptions {
  /** Default: everything the Kubernetes source reads and writes (`DEFAULT_FAKE_RESOURCES`). */
  readonly resources?: readonly FakeResource[];
  /** How a watch from a compacted resourceVersion fails: an `ERROR` event (default) or HTTP 410. */
  readonly goneAs?: 'event' | 'http';
  /** For `creationTimestamp`. */
  readonly clock?: () => Date;
  /**
   * Keep the `creationTimestamp` an object is created with (a real API server assigns its own).
   * For replaying manifests whose precedence ties depend on creation times. Default false.
   */
  readonly keepCreationTimestamps?: boolean;
  /**
   * Enforce these RBAC rules (see `rbacPolicyFor`): a request no rule allows answers 403, as the
   * real API server does. Default: everything is allowed.
   */
  readonly rbac?: RbacPolicy;
}

/** An object as tests name it. `apiVersion` is needed only when a kind exists in two groups. */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly watch: boolean;
  readonly target:
    | {
        readonly plural: string;
        readonly namespace?: string;
        readonly name?: string;
        readonly subresource?: string;
      }
    | undefined;
  /** Filled in when the answer is sent. */
  status: number | undefined;
  /** With `rbac`: the request as the authorizer saw it, and the rules that allowed it. */
  rbac?: RequestAttributes & { readonly rules: readonly RbacRule[] };
}

/** Answer matching requests with an error `times` times (default once). */
export interface FailureRule {
  readonly method?: string;
  /** Substring or pattern of the path. */
  readonly path?: string | RegExp;
  /** Only watch requests (true) or only others (false). */
  readonly watch?: boolean;
  readonly status: number;
  times?: number;
}

export interface FakeApiServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A KubeConfig for @kubernetes/client-node pointing at this server. */
  kubeConfig(): KubeConfig;
  /** Creates or replaces an object (as `kubectl apply` would; `status` untouched). */
  apply(object: FakeObject): FakeObject;
  get(ref: ObjectRef): FakeObject | undefined;
  list(kind: string, apiVersion?: string): FakeObject[];
  delete(ref: ObjectRef): void;
  /** Writes `status` as another controller would (through the status subresource). */
  setStatus(ref: ObjectRef, status: unknown): FakeObject;
  /** The current resourceVersion. */
  revision(): number;
  /** Forgets history: watches resuming from before now get 410 Gone. */
  compact(): void;
  /** Sends a BOOKMARK at the current revision to every watch that allows them; returns how many. */
  bookmark(): number;
  /** Cuts every watch connection mid-stream (socket destroyed); returns how many. */
  dropWatches(): number;
  /** Ends every watch cleanly, as the API server does when `timeoutSeconds` runs out. */
  endWatches(): number;
  openWatches(): number;
  /** Stops listening and cuts every connection: the API server is unreachable. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
  fail(rule: FailureRule): void;
  /** Runs before each request is handled (to change objects "concurrently"); returns the remover. */
  onRequest(hook: (request: RecordedRequest) => void | Promise<void>): () => void;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}
