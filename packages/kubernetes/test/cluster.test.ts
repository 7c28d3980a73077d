/**
 * The source against a real cluster, when `KUBECONFIG` names one (a kind cluster with the Gateway
 * API CRDs installed, as in docs/kubernetes.md). Everything lives in a fresh namespace that is
 * deleted afterwards. Without `KUBECONFIG` the suite is skipped, and says so.
 *
 *   KUBECONFIG=~/.kube/config npx vitest run packages/kubernetes/test/cluster.test.ts
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi, DiscoveryV1Api, KubeConfig } from '@kubernetes/client-node';
import { formatTable } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesSource, type KubernetesSource } from '../src/index.js';
import { waitFor } from './fixtures.js';

const kubeconfigPath = process.env.KUBECONFIG;
if (!kubeconfigPath) {
  console.log(
    'cluster.test.ts: KUBECONFIG is not set; the real-cluster suite is skipped (see docs/kubernetes.md)',
  );
}

const GROUP = 'gateway.networking.k8s.io';
const suffix = randomBytes(3).toString('hex');
const ns = `switchyard-test-${suffix}`;
const controllerName = `switchyard.dev/test-${suffix}`;
const gateway = { namespace: ns, name: 'http' };

describe.skipIf(!kubeconfigPath)('Kubernetes source on a real cluster', () => {
  const kubeConfig = new KubeConfig();
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  let source: KubernetesSource | undefined;

  const routeBody = (prefix: string) => ({
    apiVersion: `${GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: ns },
    spec: {
      parentRefs: [{ name: 'http' }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: prefix } }],
          backendRefs: [{ name: 'web', port: 8080 }],
        },
      ],
    },
  });
  const getRoute = async () =>
    (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: ns,
      plural: 'httproutes',
      name: 'web',
    })) as {
      metadata: { generation: number; resourceVersion: string };
      status?: {
        parents?: {
          controllerName: string;
          conditions: { type: string; status: string; observedGeneration?: number }[];
        }[];
      };
    };
  const ourEntry = async () =>
    (await getRoute()).status?.parents?.find((p) => p.controllerName === controllerName);

  beforeAll(async () => {
    kubeConfig.loadFromDefault();
    core = kubeConfig.makeApiClient(CoreV1Api);
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    try {
      await custom.listClusterCustomObject({
        group: GROUP,
        version: 'v1',
        plural: 'httproutes',
        limit: 1,
      });
    } catch (error) {
      throw new Error(
        `the Gateway API CRDs are not installed in this cluster (see docs/kubernetes.md): ${String(error)}`,
      );
    }
    await core.createNamespace({ body: { metadata: { name: ns } } });
    // Our GatewayClass (cluster-scoped, deleted in afterAll): a Gateway of another class is not served.
    await custom.createClusterCustomObject({
      group: GROUP,
      version: 'v1',
      plural: 'gatewayclasses',
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: 'GatewayClass',
        metadata: { name: `switchyard-test-${suffix}` },
        spec: { controllerName },
      },
    });
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: ns,
      plural: 'gateways',
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: 'Gateway',
        metadata: { name: 'http', namespace: ns },
        spec: {
          gatewayClassName: `switchyard-test-${suffix}`,
          listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }],
        },
      },
    });
    // No selector: the EndpointSlice below is ours to write, no Pod needed.
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 8080 }] } },
    });
    await discovery.createNamespacedEndpointSlice({
      namespace: ns,
      body: {
        metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 3000, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.250.0.1'], conditions: { ready: true } },
          { addresses: ['10.250.0.2'], conditions: { ready: false } },
        ],
      },
    });
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: ns,
      plural: 'httproutes',
      body: routeBody('/shop'),
    });
    source = createKubernetesSource({
      kubeConfig,
      gateway,
      controllerName,
      debounceMs: 50,
      leaderElection: {
        namespace: ns,
        leaseDurationSeconds: 5,
        renewIntervalMs: 1000,
        retryIntervalMs: 500,
      },
    });
    await source.ready;
  }, 60_000);

  afterAll(async () => {
    await source?.close();
    await core?.deleteNamespace({ name: ns }).catch(() => {});
    await custom
      ?.deleteClusterCustomObject({
        group: GROUP,
        version: 'v1',
        plural: 'gatewayclasses',
        name: `switchyard-test-${suffix}`,
      })
      .catch(() => {});
  }, 60_000);

  it('serves the route of its Gateway', async () => {
    await waitFor(
      () => formatTable(source!.current()).includes(`PathPrefix /shop  ${ns}/web#0`),
      20_000,
      'the route in the table',
    );
  });

  it('resolves the Service to its ready endpoints', () => {
    expect(source!.endpoints(ns, 'web', 8080)).toEqual(['10.250.0.1:3000']);
  });

  it('holds the Lease and writes the route status and the listener count', async () => {
    await waitFor(() => source!.isLeader(), 20_000, 'leadership');
    await waitFor(
      async () =>
        (await ourEntry())?.conditions.some((c) => c.type === 'Accepted' && c.status === 'True') ??
        false,
      20_000,
      'Accepted=True',
    );
    const gatewayObject = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: ns,
      plural: 'gateways',
      name: 'http',
    })) as {
      status?: { listeners?: { name: string; attachedRoutes: number }[] };
    };
    expect(gatewayObject.status?.listeners?.map((l) => [l.name, l.attachedRoutes])).toEqual([
      ['http', 1],
    ]);
  }, 45_000);

  it('follows a change of the route, and moves observedGeneration', async () => {
    const current = await getRoute();
    await custom.replaceNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: ns,
      plural: 'httproutes',
      name: 'web',
      body: {
        ...routeBody('/store'),
        metadata: { name: 'web', namespace: ns, resourceVersion: current.metadata.resourceVersion },
      },
    });
    await waitFor(
      () => formatTable(source!.current()).includes(`PathPrefix /store  ${ns}/web#0`),
      20_000,
      'the new path',
    );
    const generation = (await getRoute()).metadata.generation;
    await waitFor(
      async () =>
        (await ourEntry())?.conditions.every((c) => c.observedGeneration === generation) ?? false,
      20_000,
      'observedGeneration',
    );
  }, 45_000);
});
