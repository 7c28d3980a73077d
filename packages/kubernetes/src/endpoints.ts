/**
 * Backend addresses from EndpointSlices: a Service port → the ready Pod addresses behind it. The
 * route table names Services; the data plane needs `ip:port`s, and a Service without a ready
 * endpoint answers 503 (our decision 13).
 */
import type { DecisionBackend } from '@switchyard/core';
import type { RawObject } from './kube-client.js';

/** The EndpointSlice label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Where to send a backend's share of traffic, or the status to answer with. */
export type BackendResolution = { readonly origins: readonly string[] } | { readonly status: 503 };

export interface EndpointIndex {
  /**
   * `ip:port` (IPv6 in brackets) of each ready endpoint of a Service port, sorted. `[]` when the
   * Service has none ready; undefined when there is no such Service or port.
   */
  endpoints(namespace: string, service: string, port: number): string[] | undefined;
}

interface ServicePortInfo {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

interface ServiceInfo {
  readonly ports: readonly ServicePortInfo[];
  readonly externalName?: string;
  readonly slices: RawObject[];
}

/**
 * Indexes Services and EndpointSlices (both as the API server sends them).
 *
 * @example
 * ```ts
 * const index = buildEndpointIndex(services, slices);
 * index.endpoints('banking', 'accounts', 8080); // ['10.244.0.7:8080', '10.244.0.9:8080']
 * ```
 */
export function buildEndpointIndex(
  services: readonly RawObject[],
  slices: readonly RawObject[],
): EndpointIndex {
  const byKey = new Map<string, ServiceInfo>();
  for (const service of services) {
    const { namespace, name } = service.metadata ?? {};
    if (!namespace || !name) continue;
    const spec = record(service['spec']);
    const ports = list(spec['ports']).map((p) => {
      const port = record(p);
      return {
        name: text(port['name']),
        port: Number(port['port']),
        protocol: text(port['protocol']) || 'TCP',
      };
    });
    const externalName = spec['type'] === 'ExternalName' ? text(spec['externalName']) : '';
    byKey.set(`${namespace}/${name}`, {
      ports,
      slices: [],
      ...(externalName ? { externalName } : {}),
    });
  }
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    const info = service && byKey.get(`${slice.metadata?.namespace ?? ''}/${service}`);
    if (info) info.slices.push(slice);
  }
  return {
    endpoints(namespace, service, port) {
      const info = byKey.get(`${namespace}/${service}`);
      const servicePort = info?.ports.find((p) => p.port === port);
      if (!info || !servicePort) return undefined;
      if (info.externalName) return [hostPort(info.externalName, port)];
      const found = new Set<string>();
      for (const slice of info.slices) {
        // Slices name their ports after the Service's ports and give the Pods' port numbers.
        const slicePort = list(slice['ports'])
          .map(record)
          .find(
            (p) =>
              text(p['name']) === servicePort.name &&
              (text(p['protocol']) || 'TCP') === servicePort.protocol,
          );
        const target = slicePort?.['port'];
        if (typeof target !== 'number') continue;
        for (const endpoint of list(slice['endpoints']).map(record)) {
          // `ready` unset means ready (API convention); terminating Pods are ready=false.
          if (record(endpoint['conditions'])['ready'] === false) continue;
          // "Clients may choose to only use the first element": all addresses are one Pod.
          const address = list(endpoint['addresses'])[0];
          if (typeof address === 'string' && address !== '') found.add(hostPort(address, target));
        }
      }
      return [...found].sort();
    },
  };
}

/**
 * The node proxy's backend resolver over an endpoint index: Services by their ready endpoints,
 * kgateway static Backends by their hosts, anything else 503.
 */
export function resolveBackend(index: EndpointIndex, backend: DecisionBackend): BackendResolution {
  if (backend.address) {
    const scheme = backend.address.tls ? 'https' : 'http';
    const origins = backend.address.hosts.map(
      ({ host, port }) => `${scheme}://${hostPort(host, port)}`,
    );
    return origins.length > 0 ? { origins } : { status: 503 };
  }
  if (backend.group !== '' || backend.kind !== 'Service') return { status: 503 };
  const endpoints = index.endpoints(backend.namespace, backend.name, backend.port);
  if (!endpoints || endpoints.length === 0) return { status: 503 };
  return { origins: endpoints.map((endpoint) => `http://${endpoint}`) };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
