/** The options of `createKubernetesSource`, the source it returns, and the defaults. */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import {
  compile,
  type CompileOptions,
  type CompileResult,
  type DecisionBackend,
  type RouteSource,
  type RouteTable,
} from '@switchyard/core';
import type { BackendResolution } from './endpoints.js';
import type { RawObject } from './kube-client.js';
import type { LeaderElectionOptions, LeaderEvent } from './lease.js';
import type { SourceProblem } from './problems.js';
import type { ResourceName } from './resources.js';
import type { AddressSource } from './status/gateway-addresses.js';
import type { StatusEvent } from './status/writer.js';
import type { BackoffOptions } from './watch/backoff.js';
import type { WatchEvent } from './watch/informer.js';

/**
 * Compiles a route table from the compile input, as the core's `compile` does. It may run
 * elsewhere (a worker thread) and take seconds: the last table keeps serving until it resolves,
 * and a rejection keeps it in service (a `compile-error` event).
 *
 * @example
 * ```ts
 * const worker = createCompileWorker(); // @switchyard/files
 * createKubernetesSource({ ...options, compiler: (input, o) => worker.compile(input, o) });
 * ```
 */
export type Compiler = (
  input: readonly unknown[],
  options: CompileOptions,
) => Promise<CompileResult>;

/** The core's `compile`, on the calling thread. */
export const compileHere: Compiler = async (input, options) => compile(input, options);

/** Compile options that may change while the source runs, e.g. once the gateway bound its ports. */
export type SourceCompileOptions = Omit<CompileOptions, 'gateway'>;

export interface KubernetesSourceOptions {
  /** Default: `KUBECONFIG`, `~/.kube/config`, or the in-cluster ServiceAccount, as kubectl finds them. */
  readonly kubeConfig?: KubeConfig;
  /**
   * The Gateway whose table this source serves and whose status it writes, when its
   * GatewayClass's `spec.controllerName` is `controllerName`; otherwise nothing is served and no
   * status written (see `problems()`).
   */
  readonly gateway: { readonly namespace: string; readonly name: string };
  /**
   * Which GatewayClasses are ours (their `spec.controllerName`), written into each
   * `status.parents` entry; entries with another controllerName are never touched. E.g.
   * `switchyard.dev/gateway-controller`.
   */
  readonly controllerName: string;
  /**
   * More `compile` options, passed through as they are (e.g. a wildcard-namespace value, or the
   * gateway's own addresses); `gateway` is always the one above, and `routeWeight` /
   * `maxDelegationDepth` below win when set. `serviceAddresses` given here are added to those
   * the source finds itself (Services' cluster IPs and DNS names, EndpointSlice addresses).
   */
  readonly compileOptions?: SourceCompileOptions;
  /** Where compiling happens. Default: the core's `compile` on this thread. */
  readonly compiler?: Compiler;
  /** `compile`'s `routeWeight` (delegation rule 19). Default off. */
  readonly routeWeight?: boolean;
  /** `compile`'s `maxDelegationDepth`. Default 16. */
  readonly maxDelegationDepth?: number;
  /** Changes arriving within this many ms make one new table. Default 100. */
  readonly debounceMs?: number;
  /** Retry delays after API errors (watches, lists, status writes). */
  readonly backoff?: BackoffOptions;
  /**
   * Lists are read in pages of this many objects (`limit`, following `metadata.continue`), so
   * that a cluster with thousands of routes is not sent in one response. Default 500, as
   * client-go's informers.
   */
  readonly listPageSize?: number;
  /** Write route and Gateway statuses back. Default true. */
  readonly statusWrites?: boolean;
  /**
   * Only the holder of a Lease writes statuses, so that replicas do not race. Default on, with
   * the defaults of {@link LeaderElectionOptions}; `false` writes from every replica (one replica only).
   */
  readonly leaderElection?: false | Partial<LeaderElectionOptions>;
  /**
   * Also watch Secrets of type `kubernetes.io/tls`, which HTTPS listeners' `certificateRefs`
   * name. Default false (HTTPS listeners then report their certificate as missing).
   */
  readonly tlsSecrets?: boolean;
  /**
   * The Gateway's `status.addresses`: fixed values and/or the Service in front of the gateway
   * (its load balancer ingress, else its cluster IP). Default: left as they are.
   */
  readonly addresses?: AddressSource;
  /** Everything worth logging: watch errors, relists, new tables, status writes, leadership. */
  readonly onEvent?: (event: KubernetesSourceEvent) => void;
}

export type KubernetesSourceEvent =
  | WatchEvent
  | StatusEvent
  | LeaderEvent
  | {
      readonly type: 'table';
      readonly listeners: number;
      readonly routes: number;
      readonly diagnostics: number;
    }
  /** Why the Gateway cannot be served, whenever that changes; `[]` when nothing stands in the way. */
  | { readonly type: 'problems'; readonly problems: readonly SourceProblem[] }
  | { readonly type: 'compile-error'; readonly error: unknown }
  | { readonly type: 'listener-error'; readonly error: unknown };

/** A `RouteSource` over a cluster, plus what the data plane and tests need from it. */
export interface KubernetesSource extends RouteSource {
  /** Resolves once every resource was listed and the first table compiled. */
  readonly ready: Promise<void>;
  /** Resolves with the next table swapped in. */
  nextTable(): Promise<RouteTable>;
  /**
   * `ip:port` of each ready endpoint of a Service port (from EndpointSlices), sorted; `[]` when
   * none is ready; undefined for an unknown Service or port.
   */
  endpoints(namespace: string, service: string, port: number): string[] | undefined;
  /**
   * For the node proxy: where a decision's backend is. Services → `http://<pod ip>:<port>` of
   * their ready endpoints; kgateway static Backends → their hosts; no ready endpoint → 503.
   */
  resolveBackend(backend: DecisionBackend): BackendResolution;
  /** The last compile: statuses and diagnostics with the table. Undefined before the first. */
  result(): CompileResult | undefined;
  /**
   * The cached objects of one watched resource as `compile` sees them (`kind` and `apiVersion`
   * set, `status` dropped), sorted by namespace and name; `[]` for a resource not watched. E.g.
   * `objects('secrets')` with `tlsSecrets`, for the certificates of HTTPS listeners.
   */
  objects(resource: ResourceName): readonly RawObject[];
  /** Whether this replica writes statuses now. */
  isLeader(): boolean;
  /**
   * Why the Gateway is not served now: the API server unreachable, requests refused, CRDs
   * missing, the Gateway or its GatewayClass missing, or the class another controller's.
   */
  problems(): readonly SourceProblem[];
  /** For readiness endpoints and debugging. */
  state(): KubernetesSourceState;
  /**
   * Replaces some compile options (e.g. `ownAddresses` once the gateway bound its ports) and
   * compiles again; resolves once that compile is done (or nothing changed).
   */
  reconfigure(compileOptions: Partial<SourceCompileOptions>): Promise<void>;
  /** Resolves when no table is due and no status write is running or scheduled. */
  settled(): Promise<void>;
  /** Stops watching, finishes writes in progress, releases the Lease. */
  close(): Promise<void>;
}

export interface KubernetesSourceState {
  readonly ready: boolean;
  readonly leader: boolean;
  readonly resources: readonly {
    readonly resource: string;
    /** The version read, e.g. `gateway.networking.k8s.io/v1beta1` when `v1` is not served. */
    readonly apiVersion: string;
    readonly synced: boolean;
    /** Where the watch resumes; `''` = it will relist. */
    readonly resourceVersion: string;
    readonly objects: number;
  }[];
}

export interface ResolvedOptions {
  readonly kubeConfig: KubeConfig;
  readonly gateway: { readonly namespace: string; readonly name: string };
  readonly controllerName: string;
  readonly compileOptions: SourceCompileOptions;
  readonly compiler: Compiler;
  readonly routeWeight: boolean | undefined;
  readonly maxDelegationDepth: number | undefined;
  readonly debounceMs: number;
  readonly backoff: BackoffOptions;
  readonly listPageSize: number;
  readonly statusWrites: boolean;
  readonly leaderElection: LeaderElectionOptions | undefined;
  readonly tlsSecrets: boolean;
  readonly addresses: AddressSource | undefined;
  readonly emit: (event: KubernetesSourceEvent) => void;
}

/** Applies the defaults and checks what would otherwise fail later and less clearly. */
export function resolveOptions(options: KubernetesSourceOptions): ResolvedOptions {
  const { gateway, controllerName } = options;
  if (!gateway?.namespace || !gateway.name)
    throw new TypeError('gateway: namespace and name are required');
  // Gateway API: a domain-prefixed path, e.g. example.com/gateway-controller.
  if (
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(
      controllerName ?? '',
    )
  )
    throw new TypeError(
      `controllerName "${controllerName}" is not a domain-prefixed path (example.com/name)`,
    );
  const listPageSize = options.listPageSize ?? 500;
  if (!Number.isInteger(listPageSize) || listPageSize < 1)
    throw new TypeError(`listPageSize must be a positive integer, got ${listPageSize}`);
  const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
  const election = options.leaderElection ?? {};
  const onEvent = options.onEvent;
  return {
    kubeConfig,
    gateway: { namespace: gateway.namespace, name: gateway.name },
    controllerName,
    compileOptions: options.compileOptions ?? {},
    compiler: options.compiler ?? compileHere,
    routeWeight: options.routeWeight,
    maxDelegationDepth: options.maxDelegationDepth,
    debounceMs: options.debounceMs ?? 100,
    backoff: options.backoff ?? {},
    listPageSize,
    statusWrites: options.statusWrites ?? true,
    leaderElection:
      election === false
        ? undefined
        : {
            namespace: election.namespace ?? gateway.namespace,
            name: election.name ?? `switchyard-${gateway.name}`,
            identity: election.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`,
            ...(election.leaseDurationSeconds !== undefined
              ? { leaseDurationSeconds: election.leaseDurationSeconds }
              : {}),
            ...(election.renewIntervalMs !== undefined
              ? { renewIntervalMs: election.renewIntervalMs }
              : {}),
            ...(election.retryIntervalMs !== undefined
              ? { retryIntervalMs: election.retryIntervalMs }
              : {}),
          },
    tlsSecrets: options.tlsSecrets ?? false,
    addresses: options.addresses,
    emit: (event) => {
      try {
        onEvent?.(event);
      } catch {
        // A logging callback must not break the watch loop.
      }
    },
  };
}

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}
