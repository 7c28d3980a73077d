export type { BackendAddress, BackendResolver, BackendTarget } from './resolver.js';
export { chainResolvers, originOf } from './resolver.js';
export { defaultResolver } from './default.js';
export { dnsResolver } from './dns.js';
export type { DnsResolverOptions } from './dns.js';
export { staticResolver } from './static.js';
export type { StaticBackendMap } from './static.js';
export { staticBackendResolver } from './kgateway.js';
