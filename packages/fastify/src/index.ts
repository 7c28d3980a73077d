/**
 * @switchyard/fastify: delegated routing inside an existing Fastify app (4 or 5). The plugin
 * decides every request with `@switchyard/core` in an `onRequest` hook (never with Fastify's
 * router), puts the decision on `request.switchyard`, and then proxies it through
 * `@switchyard/node`'s engine (same filters, errors and access logs as the Node proxy, logged
 * through Fastify's logger), hands it to an in-process handler registered for the chosen backend,
 * or, when no route matches, lets Fastify's own routes answer.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { compile } from '@switchyard/core';
 * import { staticResolver, swappableSource } from '@switchyard/node';
 * import switchyard from '@switchyard/fastify';
 *
 * const source = swappableSource(compile(objects).table);
 * const app = Fastify({ logger: true });
 * app.get('/health', async () => 'ok');                      // the app's own routes stay
 * await app.register(switchyard, {
 *   source,                                                   // swap tables at any time
 *   resolver: staticResolver({ 'banking/accounts:8080': 'http://127.0.0.1:9101' }),
 *   handlers: { 'payments/payments-bff:8080': async (request) => ({ charged: request.url }) },
 * });
 * ```
 */
import { switchyard } from './plugin.js';

export { switchyard } from './plugin.js';
/** True for the decisions left to the app (no listener, no route); from `@switchyard/node`. */
export { isUnrouted } from '@switchyard/node';
export type { SwitchyardFastifyOptions, SwitchyardHandler } from './plugin.js';
export default switchyard;
