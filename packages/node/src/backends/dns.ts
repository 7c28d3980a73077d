/**
 * In-cluster DNS: a Service `payments/bff` port 8080 is `http://bff.payments.svc.cluster.local:8080`,
 * which kube-proxy (or the mesh) balances over the Service's endpoints.
 */
import type { BackendAddress, BackendResolver, BackendTarget } from './resolver.js';

export interface DnsResolverOptions {
  /** Default `cluster.local`. */
  readonly clusterDomain?: string;
}

/**
 * Resolves core `Service` backends to their cluster DNS names; other kinds are left to the next
 * resolver. The answer depends only on the reference, so it is cached per backend object (tables
 * are immutable and share their backend objects across requests).
 *
 * @example dnsResolver().resolve({ group: '', kind: 'Service', namespace: 'payments', name: 'bff', port: 8080, ... })
 * // { origins: ['http://bff.payments.svc.cluster.local:8080'] }
 */
export function dnsResolver(options: DnsResolverOptions = {}): BackendResolver {
  const domain = options.clusterDomain ?? 'cluster.local';
  const cache = new WeakMap<BackendTarget, BackendAddress>();
  return {
    resolve(backend) {
      if (backend.kind !== 'Service' || backend.group !== '') return undefined;
      let address = cache.get(backend);
      if (address === undefined) {
        const tls =
          backend.appProtocol === 'https' || backend.appProtocol === 'kubernetes.io/https';
        const host = `${backend.name}.${backend.namespace}.svc.${domain}`;
        address = { origins: [`${tls ? 'https' : 'http'}://${host}:${backend.port}`] };
        cache.set(backend, address);
      }
      return address;
    },
  };
}
