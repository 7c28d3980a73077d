/**
 * The known addresses of the cluster's Services, for the core's rule-27 address findings: a
 * static Backend in one namespace whose host is another namespace's Service
 * (`backend-address-of-foreign-service`), and a route to a Service that is the gateway itself
 * (`self-target`). A Service is known at its cluster IPs and DNS names on its ports, and at its
 * Pods' addresses (EndpointSlices) on their ports.
 *
 * Only addresses whose host some static Backend or the gateway itself uses can make a finding,
 * so only those are passed to `compile`: Pod churn elsewhere leaves the compile input unchanged,
 * and the core compares a few addresses rather than every Pod of the cluster.
 */
import type { OwnAddress, ServiceAddress } from '@switchyard/core';
import { SERVICE_NAME_LABEL } from './endpoints.js';
import type { RawObject } from './kube-client.js';

/**
 * The hosts a finding can be about: those of static Backends' `spec.static.hosts`, and the
 * gateway's own, lower-cased.
 */
export function hostsOfInterest(
  backends: readonly RawObject[],
  own: readonly OwnAddress[],
): Set<string> {
  const hosts = new Set(own.map((a) => a.host.toLowerCase()));
  for (const backend of backends) {
    for (const entry of list(record(record(backend['spec'])['static'])['hosts'])) {
      const host = record(entry)['host'];
      if (typeof host === 'string') hosts.add(host.toLowerCase());
    }
  }
  return hosts;
}

/**
 * Every address of a Service or of its Pods whose host is in `hosts`, sorted. ExternalName
 * Services are left out: their name is somebody else's host, not the Service's own.
 *
 * @example
 * ```ts
 * serviceAddresses(services, slices, new Set(['10.96.0.12']));
 * // [{ namespace: 'payments', name: 'api', host: '10.96.0.12', port: 8080 }]
 * ```
 */
export function serviceAddresses(
  services: readonly RawObject[],
  slices: readonly RawObject[],
  hosts: ReadonlySet<string>,
): ServiceAddress[] {
  if (hosts.size === 0) return [];
  const found = new Map<string, ServiceAddress>();
  const add = (namespace: string, name: string, host: string, port: unknown): void => {
    if (!hosts.has(host.toLowerCase()) || typeof port !== 'number') return;
    const address = { namespace, name, host, port };
    found.set(JSON.stringify(address), address);
  };
  for (const service of services) {
    const { namespace, name } = service.metadata ?? {};
    const spec = record(service['spec']);
    if (!namespace || !name || spec['type'] === 'ExternalName') continue;
    const ips = [spec['clusterIP'], ...list(spec['clusterIPs'])].filter(
      (ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None',
    );
    const names = [
      `${name}.${namespace}`,
      `${name}.${namespace}.svc`,
      `${name}.${namespace}.svc.cluster.local`,
    ];
    for (const port of list(spec['ports']))
      for (const host of [...ips, ...names]) add(namespace, name, host, record(port)['port']);
  }
  for (const slice of slices) {
    const namespace = slice.metadata?.namespace;
    const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!namespace || !name) continue;
    const ports = list(slice['ports']).map((p) => record(p)['port']);
    for (const endpoint of list(slice['endpoints']))
      for (const host of list(record(endpoint)['addresses']))
        if (typeof host === 'string') for (const port of ports) add(namespace, name, host, port);
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, a]) => a);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
