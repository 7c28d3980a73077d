/**
 * The whole example, started and stopped as one: echo backends, the API server, a
 * `createKubernetesSource` watching it, and `@switchyard/node`'s `createGateway` serving the
 * Gateway kgateway-system/http. Against a real cluster, only `kubeConfig` changes (leave it out:
 * KUBECONFIG, ~/.kube/config or the Pod's ServiceAccount are found as kubectl finds them).
 */
import { createKubernetesSource } from '@switchyard/kubernetes';
import type { KubernetesSource, KubernetesSourceEvent } from '@switchyard/kubernetes';
import type { FakeApiServer } from '@switchyard/kubernetes/testing';
import { chainResolvers, createGateway, staticResolver } from '@switchyard/node';
import type { BackendResolver, Gateway, Logger } from '@switchyard/node';
import { startCluster } from './cluster.js';
import { startEchoBackends } from './echo.js';
import type { EchoBackends } from './echo.js';
import { CONTROLLER_NAME, FOLDERS, GATEWAY, delegationObjects, serviceKeys } from './objects.js';

/** The payments team's kgateway Backend: an external provider, outside any cluster. */
export const EXTERNAL_PROVIDER = 'payments/payments-external:443';

/** The Gateway's one listener port (examples/delegation/platform/gateway.yaml). */
export const LISTENER_PORT = 8080;

export interface ExampleOptions {
  /** Local port for the Gateway's listener; default 8080, `0` for a free one. */
  readonly port?: number;
  /** Access logs; default none. */
  readonly logger?: Logger | false;
  /** The source's events (new tables, status writes, watch errors). */
  readonly onEvent?: (event: KubernetesSourceEvent) => void;
}

export interface Example {
  readonly api: FakeApiServer;
  readonly source: KubernetesSource;
  readonly gateway: Gateway;
  readonly backends: EchoBackends;
  /** Where the Gateway's listener is served, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startExample(options: ExampleOptions = {}): Promise<Example> {
  const services = FOLDERS.flatMap((folder) => serviceKeys(delegationObjects(folder)));
  const backends = await startEchoBackends([...services, EXTERNAL_PROVIDER]);
  // What is open so far, closed in reverse order by close() or when a later step fails.
  const opened: (() => Promise<void>)[] = [() => backends.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  try {
    return await startOn(backends, opened, closeAll, options);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function startOn(
  backends: EchoBackends,
  opened: (() => Promise<void>)[],
  closeAll: () => Promise<void>,
  options: ExampleOptions,
): Promise<Example> {
  const localPort = (key: string): number => Number(new URL(backends.origins.get(key)!).port);
  const api = await startCluster(localPort);
  opened.push(() => api.close());

  const source = createKubernetesSource({
    kubeConfig: api.kubeConfig(),
    gateway: GATEWAY,
    controllerName: CONTROLLER_NAME,
    debounceMs: 20,
    // One replica writes statuses; with several, keep the default (a Lease picks the writer).
    leaderElection: false,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  opened.push(() => source.close());
  await source.ready;

  // Services resolve to their EndpointSlices' ready endpoints; a Service with none answers 503.
  const endpoints: BackendResolver = {
    resolve: (backend) => {
      const found = source.resolveBackend({ ...backend, weight: 1 });
      return 'origins' in found ? found : { status: 503, reason: 'no ready endpoints' };
    },
  };
  const gateway = await createGateway({
    source,
    host: '127.0.0.1',
    ports: () => options.port ?? LISTENER_PORT,
    resolver: chainResolvers(
      // The Backend's real host (payments.example.net) is replaced by a local echo server.
      staticResolver({ [EXTERNAL_PROVIDER]: backends.origins.get(EXTERNAL_PROVIDER)! }),
      endpoints,
    ),
    logger: options.logger ?? false,
    metrics: false,
    admin: false,
    shutdownGraceMs: 1_000,
  });
  opened.push(() => gateway.close());
  const at = gateway.addressFor(LISTENER_PORT)!;
  return {
    api,
    source,
    gateway,
    backends,
    url: `http://${at.host}:${at.port}`,
    close: closeAll,
  };
}
