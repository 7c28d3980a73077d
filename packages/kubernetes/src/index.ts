/**
 * @switchyard/kubernetes: a `RouteSource` that watches Gateway API objects (and kgateway
 * Backends) in a Kubernetes cluster, compiles the route table of one Gateway on every change,
 * resolves Services to their ready Pod addresses, and writes route and listener status back, from
 * one replica at a time.
 *
 * Data flow: informers (list + watch, relist after 410 Gone, backoff after errors) → compile
 * input (kinds stamped, status dropped) → the compiler (the core's `compile`, or one off the
 * serving thread; debounced, one at a time, skipped when the input did not change) → `current()`
 * and subscribers → the status writer (only the Lease holder).
 *
 * @example
 * ```ts
 * import { resolve } from '@switchyard/core';
 * import { createKubernetesSource } from '@switchyard/kubernetes';
 *
 * const source = createKubernetesSource({
 *   gateway: { namespace: 'kgateway-system', name: 'http' },
 *   controllerName: 'switchyard.dev/gateway-controller',
 *   onEvent: (event) => console.log(event.type),
 * });
 * await source.ready;
 * const decision = resolve(source.current(), { method: 'GET', host: 'api.example.com', path: '/banking/accounts' });
 * if (decision.kind === 'forward') console.log(source.resolveBackend(decision.backends[0]!));
 * await source.close();
 * ```
 */
export { createKubernetesSource } from './source.js';
export type {
  Compiler,
  KubernetesSource,
  KubernetesSourceEvent,
  KubernetesSourceOptions,
  KubernetesSourceState,
  SourceCompileOptions,
} from './options.js';
export type { BackendResolution, EndpointIndex } from './endpoints.js';
export type { RawObject, RawMeta } from './kube-client.js';
export { buildEndpointIndex, resolveBackend, SERVICE_NAME_LABEL } from './endpoints.js';
export type { LeaderElectionOptions, LeaderEvent } from './lease.js';
export type { StatusEvent, StatusKind } from './status/writer.js';
export type { ProblemCode, SourceProblem } from './problems.js';
export type { AddressSource, GatewayAddress } from './status/gateway-addresses.js';
export type { WatchEvent } from './watch/informer.js';
export type { ListExpiredEvent } from './watch/list.js';
export type { BackoffOptions } from './watch/backoff.js';
export { RESOURCES, collectionPath, apiVersionOf } from './resources.js';
export type { ApiResource, ResourceName } from './resources.js';
