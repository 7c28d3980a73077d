/** Objects the tests build clusters from, and small helpers to wait on a source. */
import {
  createKubernetesSource,
  type KubernetesSource,
  type KubernetesSourceEvent,
  type KubernetesSourceOptions,
} from '../src/index.js';
import {
  createFakeApiServer,
  type FakeApiServer,
  type FakeApiServerOptions,
  type RecordedRequest,
} from '../src/testing/index.js';
import type { FakeObject } from '../src/testing/index.js';
import { afterEach } from 'vitest';

/** What a test opened; {@link closeAfterEach} closes it after each test. */
export interface OpenHandles {
  api: FakeApiServer | undefined;
  readonly sources: KubernetesSource[];
}

/** Registers an `afterEach` that closes the sources and then the API server a test opened. */
export function closeAfterEach(): OpenHandles {
  const open: OpenHandles = { api: undefined, sources: [] };
  afterEach(async () => {
    for (const source of open.sources.splice(0)) await source.close();
    await open.api?.close();
    open.api = undefined;
  });
  return open;
}

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const CONTROLLER = 'switchyard.dev/gateway-controller';
export const GATEWAY = { namespace: 'gw', name: 'http' } as const;

export function namespace(name: string, labels: Record<string, string> = {}): FakeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

/** A GatewayClass; by default `switchyard`, ours, which the test Gateway names. */
export function gatewayClass(name = 'switchyard', controllerName = CONTROLLER): FakeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'GatewayClass',
    metadata: { name },
    spec: { controllerName },
  };
}

export function gateway(
  listeners: object[] = [
    { name: 'http', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
  ],
): FakeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: { ...GATEWAY },
    spec: { gatewayClassName: 'switchyard', listeners },
  };
}

export function service(
  ns: string,
  name: string,
  ports: { name?: string; port: number }[] = [{ port: 8080 }],
): FakeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name },
    spec: { type: 'ClusterIP', ports },
  };
}

export function endpointSlice(
  ns: string,
  name: string,
  service: string,
  endpoints: { ip: string; ready?: boolean }[],
  ports: { name?: string; port: number }[] = [{ name: '', port: 9000 }],
): FakeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
    endpoints: endpoints.map(({ ip, ready }) => ({
      addresses: [ip],
      conditions: ready === undefined ? {} : { ready },
    })),
  };
}

export function route(
  ns: string,
  name: string,
  spec: object,
  metadata: Partial<FakeObject['metadata']> = {},
): FakeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: { namespace: ns, name, ...metadata },
    spec,
  };
}

/** A route attached to the test Gateway, sending `prefix` to `service:8080`. */
export function simpleRoute(ns: string, name: string, prefix: string, backend: string): FakeObject {
  return route(ns, name, {
    parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace }],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: prefix } }],
        backendRefs: [{ name: backend, port: 8080 }],
      },
    ],
  });
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A fake API server holding `objects`, plus our GatewayClass `switchyard` when `objects` bring no
 * GatewayClass of their own (a Gateway of a class that is not ours is not served).
 */
export async function cluster(
  objects: FakeObject[],
  options: FakeApiServerOptions = {},
): Promise<FakeApiServer> {
  const api = await createFakeApiServer(options);
  if (!objects.some((o) => o.kind === 'GatewayClass')) api.apply(gatewayClass());
  for (const object of objects) api.apply(object);
  return api;
}

/** The objects most tests start from: one Gateway, one team namespace with a Service and a route. */
export function basicObjects(): FakeObject[] {
  return [
    namespace(GATEWAY.namespace),
    namespace('shop'),
    gateway(),
    service('shop', 'web'),
    endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.1' }]),
    simpleRoute('shop', 'web', '/shop', 'web'),
  ];
}

export interface TestSource {
  readonly source: KubernetesSource;
  readonly events: KubernetesSourceEvent[];
}

/** A source with test timings (short debounce and backoff) that records its events. */
export function startSource(
  api: FakeApiServer,
  options: Partial<KubernetesSourceOptions> = {},
): TestSource {
  const events: KubernetesSourceEvent[] = [];
  const source = createKubernetesSource({
    kubeConfig: api.kubeConfig(),
    gateway: GATEWAY,
    controllerName: CONTROLLER,
    debounceMs: 5,
    backoff: { initialMs: 10, maxMs: 100 },
    leaderElection: false,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { source, events };
}

/** Requests of one method to paths containing `path` (list = GET without watch). */
export function requestsTo(
  api: FakeApiServer,
  kind: 'list' | 'watch' | 'PATCH' | 'PUT' | 'POST' | 'GET',
  path: string,
): RecordedRequest[] {
  return api.requests.filter((r) => {
    if (!r.path.includes(path)) return false;
    if (kind === 'list') return r.method === 'GET' && !r.watch && r.target?.name === undefined;
    if (kind === 'watch') return r.watch;
    return r.method === kind;
  });
}

/** Waits until the source saw the server's current revision on every watch, then settles. */
export async function caughtUp(
  api: FakeApiServer,
  source: KubernetesSource,
  timeoutMs = 5000,
): Promise<void> {
  for (;;) {
    const target = api.revision();
    await waitFor(
      () => {
        api.bookmark();
        return source.state().resources.every((r) => Number(r.resourceVersion) >= target);
      },
      timeoutMs,
      `resourceVersion ${target}`,
    );
    await source.settled();
    if (api.revision() === target) return;
  }
}
