/**
 * `status.addresses` of the Gateway we serve: where clients reach it. Given as values (a flag), or
 * read from the Service in front of the gateway's Pods: its load balancer's ingress addresses when
 * it has them, else its cluster IP.
 */
import { isIP } from 'node:net';
import type { RawObject } from '../kube-client.js';
import { asList, asRecord } from './conditions.js';

export interface GatewayAddress {
  readonly type: 'IPAddress' | 'Hostname';
  readonly value: string;
}

/** Where the addresses come from; see `KubernetesSourceOptions.addresses`. */
export interface AddressSource {
  /** Fixed addresses: IPs or hostnames. */
  readonly values?: readonly string[];
  /** The Service whose load balancer (or cluster IP) is the Gateway's address. */
  readonly service?: { readonly namespace: string; readonly name: string };
}

/** `maxItems` of `status.addresses` in the Gateway CRD. */
const MAX_ADDRESSES = 16;

/**
 * @example
 * ```ts
 * gatewayAddresses({ values: ['203.0.113.7', 'gw.example.com'] }, [])
 * // [{ type: 'IPAddress', value: '203.0.113.7' }, { type: 'Hostname', value: 'gw.example.com' }]
 * ```
 */
export function gatewayAddresses(
  from: AddressSource,
  services: readonly RawObject[],
): GatewayAddress[] {
  const values = [...(from.values ?? [])];
  if (from.service) {
    const { namespace, name } = from.service;
    const service = services.find(
      (s) => s.metadata?.namespace === namespace && s.metadata?.name === name,
    );
    if (service) values.push(...serviceAddresses(service));
  }
  const unique = [...new Set(values.filter((v) => v !== ''))].slice(0, MAX_ADDRESSES);
  return unique.map((value) => ({ type: isIP(value) ? 'IPAddress' : 'Hostname', value }));
}

function serviceAddresses(service: RawObject): string[] {
  const ingress = asList(asRecord(asRecord(service['status'])['loadBalancer'])['ingress']);
  const external = ingress.flatMap((entry) => {
    const { ip, hostname } = asRecord(entry);
    return typeof ip === 'string' ? [ip] : typeof hostname === 'string' ? [hostname] : [];
  });
  if (external.length > 0) return external;
  const clusterIP = asRecord(service['spec'])['clusterIP'];
  return typeof clusterIP === 'string' && clusterIP !== 'None' ? [clusterIP] : [];
}
