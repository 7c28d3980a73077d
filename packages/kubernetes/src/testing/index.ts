/**
 * @switchyard/kubernetes/testing: an in-process Kubernetes API server for tests of anything built
 * on `createKubernetesSource` (the CLI's `serve --kubernetes`, the node proxy with Pod
 * addresses). It speaks the protocol @kubernetes/client-node speaks, over a real socket.
 *
 * @example
 * ```ts
 * import { createKubernetesSource } from '@switchyard/kubernetes';
 * import { createFakeApiServer } from '@switchyard/kubernetes/testing';
 *
 * const api = await createFakeApiServer();
 * api.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { namespace: 'gw', name: 'http' }, spec: { gatewayClassName: 'switchyard', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } });
 * const source = createKubernetesSource({ kubeConfig: api.kubeConfig(), gateway: { namespace: 'gw', name: 'http' }, controllerName: 'example.com/switchyard', leaderElection: false });
 * await source.ready;
 * api.dropWatches(); // the source resumes from its last resourceVersion
 * await source.close();
 * await api.close();
 * ```
 */
export { createFakeApiServer } from './fake-apiserver/server.js';
export type {
  FailureRule,
  FakeApiServer,
  FakeApiServerOptions,
  ObjectRef,
  RecordedRequest,
} from './fake-apiserver/server.js';
export { DEFAULT_FAKE_RESOURCES, ApiError } from './fake-apiserver/types.js';
export type { FakeObject, FakeResource } from './fake-apiserver/types.js';
export { mergePatch } from './fake-apiserver/merge-patch.js';
export {
  allowingRules,
  forbiddenMessage,
  rbacPolicyFor,
  requestAttributes,
} from './fake-apiserver/rbac.js';
export type { RbacPolicy, RbacRule, RequestAttributes } from './fake-apiserver/rbac.js';
