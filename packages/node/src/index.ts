/**
 * @switchyard/node: a reverse proxy for Node that carries out `@switchyard/core` decisions.
 *
 * Three layers, each usable on its own:
 * - `createProxy()`: the engine. Give it a request, a response and a `Decision`; it answers,
 *   redirects or forwards (undici pools, streaming, retries, timeouts, mirrors, WebSocket).
 *   Framework adapters call it with decisions they made.
 * - `createRequestListener({ source })`: `(req, res)` for your own `http.Server`: resolves each
 *   request against the source's current table and hands the decision to the engine.
 * - `createGateway({ source })`: a whole gateway: one server per Gateway listener (HTTP, HTTPS
 *   with certificates from Secrets or files, HTTP/2), kept in step with table swaps, graceful
 *   shutdown, and an admin port with `/healthz`, `/readyz` and Prometheus `/metrics`.
 *
 * Errors have stable codes (`SWY_*`, see `docs/errors.md`); backends are found by a pluggable
 * `BackendResolver` (cluster DNS by default, a static map for local runs).
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { compile } from '@switchyard/core';
 * import { createRequestListener, guardServer, staticResolver } from '@switchyard/node';
 *
 * const { table } = compile(objects);
 * const listener = createRequestListener({
 *   source: table,
 *   resolver: staticResolver({ 'payments/payments-bff:8080': 'http://127.0.0.1:9003' }),
 * });
 * guardServer(http.createServer(listener)).on('upgrade', listener.upgrade).listen(8080);
 * ```
 *
 * @example
 * ```ts
 * import { certificatesFromSecrets, createGateway, swappableSource } from '@switchyard/node';
 *
 * const source = swappableSource(compile(objects).table);
 * const gateway = await createGateway({
 *   source,
 *   ports: { 80: 8080, 443: 8443 },
 *   certificates: certificatesFromSecrets(objects),
 *   admin: { port: 9901 },
 * });
 * source.swap(compile(nextObjects).table); // atomic; in-flight requests finish on the old table
 * process.on('SIGTERM', () => void gateway.close({ graceMs: 15_000 }));
 * ```
 */
export { createProxy } from './proxy.js';
export type { ExchangeOptions, ProxyEngine, ProxyOptions } from './proxy.js';
export { createRequestListener, toSource } from './listener.js';
export type { RequestListenerOptions, SwitchyardRequestListener } from './listener.js';
export { createGateway, handleClientError } from './gateway.js';
export type { Gateway, GatewayAddress, GatewayOptions } from './gateway.js';
export { toResolveRequest } from './request.js';
export type { ArrivalInfo } from './request.js';
export { swappableSource } from './source.js';
export type { SwappableSource } from './source.js';
export * from './backends/index.js';
export { certificatesFromFiles, certificatesFromSecrets } from './tls.js';
export type { CertificateFailure, CertificateProvider, TlsCertificate } from './tls.js';
export { createAdminServer } from './admin.js';
export type { AdminOptions } from './admin.js';
export { createMetrics } from './metrics.js';
export type { MetricsOptions, ProxyMetrics } from './metrics.js';
export { defaultLogger } from './logging.js';
export type { Logger } from './logging.js';
export type { PoolOptions } from './forward/pools.js';
export { DEFAULT_DENIED_DESTINATIONS } from './destinations/policy.js';
export type { DestinationPolicy } from './destinations/policy.js';
export type { OwnAddresses } from './destinations/own-addresses.js';
export { ERROR_HEADER } from './respond.js';
export type { ProxyRequest, ProxyResponse } from './respond.js';
export * from './errors.js';
export * from './intake-errors.js';
export { guardServer, handleCheckExpectation, handleConnect } from './guard.js';
export { admitRequest } from './intake.js';
export type { IntakeOptions, IntakePolicy } from './intake.js';
export type { TrustedProxies } from './forwarding.js';
export { isProtectedHeaderName } from './headers.js';
export { handOff, isUnrouted } from './handoff.js';
export type { Restore } from './handoff.js';
