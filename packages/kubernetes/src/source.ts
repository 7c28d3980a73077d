/**
 * `createKubernetesSource`: informers → compile input → the compiler → a new table, debounced;
 * then the statuses written back by the Lease holder. The table only changes when routing input
 * changed (`compile-input.ts`): status writes, resourceVersion bumps and EndpointSlice churn never
 * make a new one, unless Pods move to or from a static Backend's host. Compiling may take seconds
 * elsewhere (rule 28): the last table serves until the new one is in.
 */
import type { CompileResult, RouteTable } from '@switchyard/core';
import { createCompileInputs } from './compile-input.js';
import { buildEndpointIndex, resolveBackend, type EndpointIndex } from './endpoints.js';
import { createKubeClient, type RawObject } from './kube-client.js';
import { createLeaderElector, type LeaderElector } from './lease.js';
import {
  controllerNameOf,
  gatewayClassNameOf,
  problemsOf,
  type SourceProblem,
} from './problems.js';
import { resolveOptions, type KubernetesSource, type KubernetesSourceOptions } from './options.js';
import { createRecompileLoop } from './recompile-loop.js';
import {
  RESOURCES,
  apiVersionOf,
  resourceLabel,
  type ApiResource,
  type ResourceName,
} from './resources.js';
import { gatewayAddresses } from './status/gateway-addresses.js';
import { createStatusWriter, type StatusWriter } from './status/writer.js';
import { createInformer, type Informer } from './watch/informer.js';
import { listAll } from './watch/list.js';

/** The table served before the first compile: no listeners, every request 404. */
const EMPTY_TABLE: RouteTable = Object.freeze({ listeners: Object.freeze([]) });

/** Resources without which nothing can be served: their CRD missing is a problem, not an option. */
const REQUIRED: readonly ResourceName[] = [
  'gatewayClasses',
  'gateways',
  'httpRoutes',
  'referenceGrants',
  'services',
  'namespaces',
  'endpointSlices',
];

/**
 * Watches a cluster and serves the route table of one Gateway. See {@link KubernetesSourceOptions}.
 *
 * @example
 * ```ts
 * import { createKubernetesSource } from '@switchyard/kubernetes';
 * const source = createKubernetesSource({
 *   gateway: { namespace: 'kgateway-system', name: 'http' },
 *   controllerName: 'switchyard.dev/gateway-controller',
 * });
 * await source.ready;
 * const decision = resolve(source.current(), request);
 * ```
 */
export function createKubernetesSource(options: KubernetesSourceOptions): KubernetesSource {
  const config = resolveOptions(options);
  const { gateway, emit } = config;
  const client = createKubeClient(config.kubeConfig);
  const listeners = new Set<(table: RouteTable) => void>();
  const tableWaiters: ((table: RouteTable) => void)[] = [];
  let table = EMPTY_TABLE;
  let result: CompileResult | undefined;
  /** What the table in service was compiled from (see `CompileInputs.next`). */
  let compiledKey: string | undefined;
  /** Whether the statuses need a look at the next run, though no new table was made. */
  let statusesDue = false;
  let endpointIndex: EndpointIndex | undefined;
  let closed = false;
  let markReady!: () => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>(
    (resolve, reject) => ((markReady = resolve), (failReady = reject)),
  );
  ready.catch(() => {}); // closing before ready must not be an unhandled rejection

  const watched = (Object.keys(RESOURCES) as ResourceName[]).filter(
    (name) => name !== 'leases' && (name !== 'secrets' || config.tlsSecrets),
  );
  const informers = new Map<ResourceName, Informer>();
  const inputs = createCompileInputs({
    informers,
    gateway,
    servedGateway: () => servedGateway(),
    compileOptions: config.compileOptions,
    routeWeight: config.routeWeight,
    maxDelegationDepth: config.maxDelegationDepth,
  });
  for (const name of watched) {
    const resource: ApiResource = RESOURCES[name];
    const affectsEndpoints = name === 'services' || name === 'endpointSlices';
    const fieldSelector = name === 'secrets' ? 'type=kubernetes.io/tls' : undefined;
    const informer = createInformer({
      kubeConfig: config.kubeConfig,
      resource,
      // The watch too: without it, every Secret of the cluster would stream into the cache.
      ...(fieldSelector === undefined ? {} : { fieldSelector }),
      list: () =>
        listAll(client, resource, {
          pageSize: config.listPageSize,
          ...(fieldSelector === undefined ? {} : { fieldSelector }),
          onEvent: emit,
        }),
      backoff: config.backoff,
      onChange: (change) => {
        if (affectsEndpoints) endpointIndex = undefined;
        if (!inputs.record(name, change)) return;
        // Pods moving change no status; anything else may (an object of ours rewritten, too).
        if (name !== 'endpointSlices') statusesDue = true;
        loop.schedule();
      },
      onEvent: (event) => {
        emit(event);
        checkProblems();
      },
    });
    void informer.synced.then(() => loop.schedule());
    informers.set(name, informer);
  }
  const cache = (name: ResourceName) => informers.get(name)?.list() ?? [];

  const writer: StatusWriter | undefined = config.statusWrites
    ? createStatusWriter({
        client,
        controllerName: config.controllerName,
        gateway,
        routes: () => cache('httpRoutes'),
        gatewayObject: () => servedGateway(),
        gatewayClasses: () => ourClasses(),
        ...(config.addresses === undefined
          ? {}
          : { addresses: () => gatewayAddresses(config.addresses!, cache('services')) }),
        onEvent: emit,
        backoff: config.backoff,
        mayWrite: (): boolean => isLeader(),
      })
    : undefined;
  const elector: LeaderElector | undefined =
    writer && config.leaderElection
      ? createLeaderElector(client, config.leaderElection, (event) => {
          emit(event);
          if (event.type === 'leader' && event.leading && result) writer.reconcile(result);
        })
      : undefined;
  const isLeader = (): boolean => (writer ? (elector ? elector.isLeader() : true) : false);

  /** The GatewayClasses whose controllerName is ours. */
  const ourClasses = (): RawObject[] =>
    cache('gatewayClasses').filter((c) => controllerNameOf(c) === config.controllerName);

  /** Our Gateway, when it exists and its class is ours; anything else is not ours to serve. */
  function servedGateway(): RawObject | undefined {
    const object = informers.get('gateways')?.get(gateway.namespace, gateway.name);
    if (!object) return undefined;
    const className = gatewayClassNameOf(object);
    return ourClasses().some((c) => c.metadata?.name === className) ? object : undefined;
  }

  let problems: SourceProblem[] = [];
  let problemsKey = '[]';
  const server = config.kubeConfig.getCurrentCluster()?.server ?? 'the API server';
  /** Recomputes why the Gateway cannot be served; says so when that changed. */
  function checkProblems() {
    if (closed) return;
    const all = [...informers.entries()];
    const next = problemsOf({
      server,
      resources: all.map(([name, informer]) => ({
        resource: resourceLabel(informer.resource),
        error: informer.lastError(),
        absent: informer.isAbsent(),
        required: REQUIRED.includes(name),
      })),
      synced: all.every(([, informer]) => informer.isSynced()),
      gateway,
      gatewayObject: informers.get('gateways')?.get(gateway.namespace, gateway.name),
      gatewayClasses: cache('gatewayClasses'),
      controllerName: config.controllerName,
    });
    const key = JSON.stringify(next);
    if (key === problemsKey) return;
    problems = next;
    problemsKey = key;
    emit({ type: 'problems', problems });
  }

  const loop = createRecompileLoop(config.debounceMs, recompute);

  /** One run of the loop: compiles when the input changed, then lets the writer catch up. */
  async function recompute(): Promise<void> {
    try {
      checkProblems();
      if (closed || ![...informers.values()].every((i) => i.isSynced())) return;
      const { options, key } = inputs.next();
      if (key !== compiledKey) {
        const compiled = await config.compiler(inputs.input(), options);
        // Closed while compiling: nobody is served from this source any more.
        if (closed) return;
        compiledKey = key;
        result = compiled;
        swap(compiled);
        statusesDue = true;
      }
      // Always the result in service: a compile in flight has not replaced it yet.
      if (writer && result && isLeader() && statusesDue) writer.reconcile(result);
      statusesDue = false;
    } catch (error) {
      // The last good table stays in service; the next change compiles again.
      if (!closed) emit({ type: 'compile-error', error });
    }
  }

  function swap(compiled: CompileResult) {
    table = compiled.table;
    const routes = table.listeners.reduce((n, l) => n + l.routes.length, 0);
    emit({
      type: 'table',
      listeners: table.listeners.length,
      routes,
      diagnostics: compiled.diagnostics.length,
    });
    markReady();
    for (const waiter of tableWaiters.splice(0)) waiter(table);
    for (const listener of listeners) {
      try {
        listener(table);
      } catch (error) {
        emit({ type: 'listener-error', error });
      }
    }
  }

  const endpoints = () =>
    (endpointIndex ??= buildEndpointIndex(cache('services'), cache('endpointSlices')));

  for (const informer of informers.values()) informer.start();
  elector?.start();

  return {
    ready,
    current: () => table,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    nextTable: () => new Promise<RouteTable>((resolve) => tableWaiters.push(resolve)),
    endpoints: (namespace, service, port) => endpoints().endpoints(namespace, service, port),
    resolveBackend: (backend) => resolveBackend(endpoints(), backend),
    result: () => result,
    objects: inputs.objects,
    isLeader,
    problems: () => problems,
    state: () => ({
      ready: result !== undefined,
      leader: isLeader(),
      resources: [...informers.values()].map((i) => ({
        resource: resourceLabel(i.resource),
        apiVersion: apiVersionOf(i.served()),
        synced: i.isSynced(),
        resourceVersion: i.resourceVersion(),
        objects: i.list().length,
      })),
    }),
    async reconfigure(next) {
      if (closed) return;
      inputs.reconfigure(next);
      loop.schedule();
      await loop.idle();
    },
    async settled() {
      for (;;) {
        if (!loop.isIdle()) await loop.idle();
        else if (writer && !writer.isIdle()) await writer.idle();
        else return;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      loop.close();
      failReady(new Error('the Kubernetes source was closed before its first table'));
      await Promise.all([...informers.values()].map((i) => i.stop()));
      await writer?.stop();
      await elector?.stop();
      listeners.clear();
    },
  };
}
