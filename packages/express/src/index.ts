/**
 * @switchyard/express: delegated routing inside an existing Express app (4 or 5). The middleware
 * decides every request with `@switchyard/core` (never with Express's router), puts the decision
 * on `req.switchyard`, and then proxies it through `@switchyard/node`'s engine (same filters,
 * errors and access logs as the Node proxy), hands it to an in-process handler registered for the
 * chosen backend, or, when no route matches, calls `next()` so the app's own routes answer.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { compile } from '@switchyard/core';
 * import { staticResolver, swappableSource } from '@switchyard/node';
 * import { switchyard } from '@switchyard/express';
 *
 * const source = swappableSource(compile(objects).table);
 * const app = express();
 * app.get('/health', (_req, res) => res.send('ok'));        // the app's own routes stay
 * app.use(
 *   switchyard({
 *     source,                                               // swap tables at any time
 *     resolver: staticResolver({ 'banking/accounts:8080': 'http://127.0.0.1:9101' }),
 *     handlers: { 'payments/payments-bff:8080': paymentsRouter }, // served in-process
 *   }),
 * );
 * app.use((req, res) => res.status(404).json({ route: req.switchyard?.kind }));
 * ```
 */
export { switchyard } from './middleware.js';
/** True for the decisions left to the app (no listener, no route); from `@switchyard/node`. */
export { isUnrouted } from '@switchyard/node';
export type { SwitchyardExpressOptions, SwitchyardMiddleware } from './middleware.js';
export { keepRawBody, SpentBodyError } from './body.js';
