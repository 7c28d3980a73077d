import { chainResolvers } from './resolver.js';
import type { BackendResolver } from './resolver.js';
import { dnsResolver } from './dns.js';
import { staticBackendResolver } from './kgateway.js';

/**
 * The default: kgateway static Backends dialled directly, Services through cluster DNS.
 * @example createProxy({ resolver: chainResolvers(endpointSlices, defaultResolver()) })
 */
export function defaultResolver(): BackendResolver {
  return chainResolvers(staticBackendResolver(), dnsResolver());
}
