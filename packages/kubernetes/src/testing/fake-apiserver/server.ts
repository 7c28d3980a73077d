/**
 * An in-process Kubernetes API server for tests: a real `node:http` server speaking the real
 * protocol (lists with resourceVersion, in pages with `limit`/`continue`, chunked watch streams,
 * 410 Gone, status subresource writes with 409 Conflicts, Leases, resources served at several
 * versions), so that @kubernetes/client-node runs unmodified against it.
 * Tests drive it directly (`apply`, `delete`, `setStatus`) and break it on purpose (`compact`,
 * `dropWatches`, `stop`, `fail`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type {
  FailureRule,
  FakeApiServer,
  FakeApiServerOptions,
  RecordedRequest,
} from './contract.js';
import { createRequestHandler } from './handler.js';
import { createStore } from './store.js';
import { DEFAULT_FAKE_RESOURCES, type FakeObject, type FakeResource } from './types.js';
import { bookmark, deliver, type WatchStream } from './watch.js';

export type {
  FailureRule,
  FakeApiServer,
  FakeApiServerOptions,
  ObjectRef,
  RecordedRequest,
} from './contract.js';

/**
 * @example
 * ```ts
 * const api = await createFakeApiServer();
 * api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
 * const source = createKubernetesSource({ kubeConfig: api.kubeConfig(), gateway, controllerName });
 * ...
 * await source.close();
 * await api.close();
 * ```
 */
export async function createFakeApiServer(
  options: FakeApiServerOptions = {},
): Promise<FakeApiServer> {
  const resources = options.resources ?? DEFAULT_FAKE_RESOURCES;
  const goneAs = options.goneAs ?? 'event';
  const store = createStore({
    clock: options.clock ?? (() => new Date()),
    keepCreationTimestamps: options.keepCreationTimestamps ?? false,
  });
  const streams = new Set<WatchStream>();
  const failures: FailureRule[] = [];
  const hooks = new Set<(request: RecordedRequest) => void | Promise<void>>();
  const requests: RecordedRequest[] = [];
  store.subscribe((event) => {
    for (const stream of streams) deliver(stream, event);
  });

  const server = createServer(
    createRequestHandler({
      store,
      resources,
      goneAs,
      streams,
      failures,
      hooks,
      requests,
      rbac: options.rbac,
    }),
  );

  const resourceOf = (ref: { apiVersion?: string; kind?: string }): FakeResource => {
    const group = ref.apiVersion?.includes('/')
      ? ref.apiVersion.split('/')[0]
      : ref.apiVersion
        ? ''
        : undefined;
    const found = resources.find(
      (r) => r.kind === ref.kind && (group === undefined || r.group === group),
    );
    if (!found)
      throw new Error(`the fake API server serves no ${ref.apiVersion ?? ''} ${ref.kind}`);
    return found;
  };
  const namespaceOf = (resource: FakeResource, namespace: string | undefined) =>
    resource.namespaced ? (namespace ?? 'default') : '';

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  function listen(on: number) {
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async function stop() {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stream of streams) stream.response.destroy();
    streams.clear();
    server.closeAllConnections();
    await closed;
  }

  return {
    url,
    kubeConfig() {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
        users: [{ name: 'fake' }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
        currentContext: 'fake',
      });
      return kubeConfig;
    },
    apply(object) {
      const resource = resourceOf(object);
      const namespace = namespaceOf(resource, object.metadata.namespace);
      const current = store.get(resource, namespace, object.metadata.name);
      if (!current) return store.create(resource, namespace, structuredClone(object) as FakeObject);
      const body = {
        ...structuredClone(object),
        metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion },
      };
      return store.update(resource, namespace, object.metadata.name, body as FakeObject);
    },
    get: (ref) => {
      const resource = resourceOf(ref);
      return store.get(resource, namespaceOf(resource, ref.namespace), ref.name);
    },
    list: (kind, apiVersion) =>
      store.list(resourceOf({ kind, ...(apiVersion ? { apiVersion } : {}) })),
    delete(ref) {
      const resource = resourceOf(ref);
      store.remove(resource, namespaceOf(resource, ref.namespace), ref.name);
    },
    setStatus(ref, status) {
      const resource = resourceOf(ref);
      const body = { metadata: { name: ref.name }, status };
      return store.update(resource, namespaceOf(resource, ref.namespace), ref.name, body, {
        status: true,
      });
    },
    revision: () => store.revision(),
    compact: () => store.compact(),
    bookmark: () => [...streams].filter((stream) => bookmark(stream, store.revision())).length,
    dropWatches() {
      const count = streams.size;
      for (const stream of streams) stream.response.socket?.destroy();
      streams.clear();
      return count;
    },
    endWatches() {
      const count = streams.size;
      for (const stream of streams) stream.response.end();
      streams.clear();
      return count;
    },
    openWatches: () => streams.size,
    stop,
    start: () => (server.listening ? Promise.resolve() : listen(port)),
    fail: (rule) => void failures.push({ ...rule }),
    onRequest(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    requests,
    close: stop,
  };
}
