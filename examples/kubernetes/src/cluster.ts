/**
 * The cluster of the example: `@switchyard/kubernetes/testing`'s in-process API server (a real
 * HTTP server speaking the Kubernetes API: lists, watches, status subresources) holding the
 * delegation example's objects, with each Service's EndpointSlice pointing at a local echo server.
 */
import { createFakeApiServer, DEFAULT_FAKE_RESOURCES } from '@switchyard/kubernetes/testing';
import type { FakeApiServer, FakeResource } from '@switchyard/kubernetes/testing';
import {
  FOLDERS,
  delegationObjects,
  endpointSliceFor,
  gatewayClass,
  onSwitchyardClass,
} from './objects.js';

// GatewayClasses, for servers whose default resources do not list them yet.
const GATEWAY_CLASSES: FakeResource = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'gatewayclasses',
  kind: 'GatewayClass',
  namespaced: false,
  statusSubresource: true,
  unconditionalUpdate: false,
  listItemsHaveKind: true,
};

const RESOURCES: readonly FakeResource[] = DEFAULT_FAKE_RESOURCES.some(
  (r) => r.kind === 'GatewayClass',
)
  ? DEFAULT_FAKE_RESOURCES
  : [...DEFAULT_FAKE_RESOURCES, GATEWAY_CLASSES];

/**
 * An API server holding the GatewayClass, the platform's and the teams' objects, and an
 * EndpointSlice per Service whose endpoint is `127.0.0.1:<localPort(namespace/name:port)>`.
 */
export async function startCluster(localPort: (key: string) => number): Promise<FakeApiServer> {
  const api = await createFakeApiServer({ resources: RESOURCES });
  api.apply(gatewayClass());
  for (const folder of FOLDERS) {
    for (const object of delegationObjects(folder)) {
      api.apply(onSwitchyardClass(object));
      if (object.kind === 'Service') api.apply(endpointSliceFor(object, localPort));
    }
  }
  return api;
}
