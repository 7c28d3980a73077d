/**
 * Backend addresses. A decision names backends the Kubernetes way (`Service payments/bff:8080`,
 * a kgateway `Backend`); a resolver turns one into the origins to dial. Resolvers are consulted
 * per request and may change their answer at any time (EndpointSlices come and go), so the proxy
 * never caches what they say; they cache for themselves.
 */
import type { DecisionBackend } from '@switchyard/core';

/** What a resolver needs to know about a backend: the reference, plus how to speak to it. */
export type BackendTarget = Pick<
  DecisionBackend,
  'group' | 'kind' | 'namespace' | 'name' | 'port' | 'address' | 'appProtocol'
>;

/**
 * Where to send a backend's share of traffic: one or more origins (`http://10.0.0.7:8080`,
 * `https://api.example.com`), or a status when there is nowhere to send it (503: no endpoints).
 */
export type BackendAddress =
  { readonly origins: readonly string[] } | { readonly status: 503; readonly reason: string };

/**
 * Turns a backend reference into addresses. Answer `undefined` for backends this resolver does
 * not handle, so that `chainResolvers` asks the next one.
 *
 * @example
 * ```ts
 * const endpointSlices: BackendResolver = {
 *   resolve: (backend) => {
 *     const ips = slices.get(`${backend.namespace}/${backend.name}`);
 *     if (ips === undefined) return undefined; // not a Service we watch: next resolver
 *     if (ips.length === 0) return { status: 503, reason: 'no ready endpoints' };
 *     return { origins: ips.map((ip) => `http://${ip}:${targetPort(backend)}`) };
 *   },
 * };
 * ```
 */
export interface BackendResolver {
  resolve(backend: BackendTarget): BackendAddress | undefined;
}

/**
 * The first answer of several resolvers, in order.
 *
 * @example chainResolvers(staticResolver({ 'payments/bff:8080': 'http://127.0.0.1:9003' }), dnsResolver())
 */
export function chainResolvers(...resolvers: readonly BackendResolver[]): BackendResolver {
  if (resolvers.length === 1) return resolvers[0]!;
  return {
    resolve(backend) {
      for (const resolver of resolvers) {
        const address = resolver.resolve(backend);
        if (address !== undefined) return address;
      }
      return undefined;
    },
  };
}

/** The origin of a host and port: `https` when asked for or on 443, else `http`; IPv6 bracketed. */
export function originOf(host: string, port: number, tls: boolean): string {
  const secure = tls || port === 443;
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const defaultPort = secure ? 443 : 80;
  return `${secure ? 'https' : 'http'}://${name}${port === defaultPort ? '' : `:${port}`}`;
}
