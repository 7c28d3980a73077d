/**
 * What the example applies to the API server: the objects of `examples/delegation/` (the platform's
 * Namespace, Gateway and parent route; each team's Namespace, Services and child routes), this
 * folder's GatewayClass, and one EndpointSlice per Service that points it at a local echo backend,
 * as the EndpointSlice controller would point it at the Service's ready Pods.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { FakeObject } from '@switchyard/kubernetes/testing';

const DELEGATION = new URL('../../delegation/', import.meta.url);
const CLUSTER = new URL('../cluster/', import.meta.url);

/** The folders of examples/delegation, in the order a platform and its teams would apply them. */
export const FOLDERS = ['platform', 'banking', 'insurance', 'payments'] as const;

/** The Gateway the example serves (examples/delegation/platform/gateway.yaml). */
export const GATEWAY = { namespace: 'kgateway-system', name: 'http' } as const;

/** The controller the GatewayClass in cluster/gatewayclass.yaml names. */
export const CONTROLLER_NAME = 'switchyard.dev/gateway-controller';

function readObjects(file: URL): FakeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as FakeObject | null)
    .filter((object): object is FakeObject => object !== null && typeof object.kind === 'string');
}

/** Every Kubernetes object of `examples/delegation/<folder>/*.yaml`. */
export function delegationObjects(folder: (typeof FOLDERS)[number]): FakeObject[] {
  const dir = new URL(`${folder}/`, DELEGATION);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => readObjects(new URL(file, dir)));
}

/** The GatewayClass of cluster/gatewayclass.yaml. */
export function gatewayClass(): FakeObject {
  return readObjects(new URL('gatewayclass.yaml', CLUSTER))[0]!;
}

/**
 * The example's Gateway moved to Switchyard's GatewayClass (the `kubectl patch` of
 * cluster/gatewayclass.yaml); every other object as it is.
 */
export function onSwitchyardClass(object: FakeObject): FakeObject {
  if (
    object.kind !== 'Gateway' ||
    object.metadata.namespace !== GATEWAY.namespace ||
    object.metadata.name !== GATEWAY.name
  )
    return object;
  const spec = object['spec'] as Record<string, unknown>;
  return { ...object, spec: { ...spec, gatewayClassName: gatewayClass().metadata.name } };
}

/** A Service's ports, as `name`/`port` pairs. */
function servicePorts(service: FakeObject): { name: string; port: number }[] {
  const spec = service['spec'] as { ports?: { name?: string; port: number }[] };
  return (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port }));
}

/**
 * The EndpointSlice of `service`: one ready endpoint, 127.0.0.1, whose port for each Service port
 * is `localPort(namespace/name:port)` (the echo backend standing in for the Service's Pods).
 */
export function endpointSliceFor(
  service: FakeObject,
  localPort: (key: string) => number,
): FakeObject {
  const { namespace, name } = service.metadata;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: namespace!,
      name: `${name}-local`,
      labels: { 'kubernetes.io/service-name': name },
    },
    addressType: 'IPv4',
    // Slices name their ports after the Service's ports and give the Pods' port numbers.
    ports: servicePorts(service).map((p) => ({
      name: p.name,
      port: localPort(`${namespace}/${name}:${p.port}`),
      protocol: 'TCP',
    })),
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  };
}

/** `namespace/name:port` of every port of every Service among `objects`. */
export function serviceKeys(objects: readonly FakeObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Service')
    .flatMap((s) =>
      servicePorts(s).map((p) => `${s.metadata.namespace}/${s.metadata.name}:${p.port}`),
    );
}
