/**
 * `switchyard()`: the Express middleware. Per request it reads the source's current table once,
 * decides with the core (never with Express's router), puts the decision on `req.switchyard`, and
 * then proxies through `@switchyard/node`'s engine, hands the request to an in-process handler
 * registered for the chosen backend, or, when no route matches, calls `next()`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { pickBackend, resolve } from '@switchyard/core';
import type {
  Decision,
  DecisionBackend,
  ForwardDecision,
  ResolveRequest,
  RouteSource,
  RouteTable,
} from '@switchyard/core';
import {
  InvalidOptionError,
  createProxy,
  handOff,
  isUnrouted,
  toResolveRequest,
  toSource,
} from '@switchyard/node';
import type { ArrivalInfo, ExchangeOptions, ProxyEngine, ProxyOptions } from '@switchyard/node';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { replayedBody } from './body.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The core's decision for this request, set by the Switchyard middleware. */
      switchyard?: Decision;
    }
  }
}

export interface SwitchyardExpressOptions extends ProxyOptions, ArrivalInfo {
  /** A route table compiled once, or a source whose table may be swapped at any time. */
  readonly source: RouteSource | RouteTable;
  /** Share an engine (pools, metrics, logs) with other listeners; default: one from the options. */
  readonly proxy?: ProxyEngine;
  /**
   * In-process handlers standing in for backends, keyed like `staticResolver`:
   * `namespace/name:port`, or `namespace/name` for every port. A forwarded request whose chosen
   * backend has a handler is handed to it (any Express handler: a Router, an app, a function)
   * with `req.url` set to the upstream path; others are proxied.
   */
  readonly handlers?: Readonly<Record<string, RequestHandler>>;
  /**
   * When no route matches (a 404 decision without a route: no listener or no route): `'next'`
   * (default) passes the request on to the rest of the app; `'respond'` answers 404.
   */
  readonly noRoute?: 'next' | 'respond';
}

/** The middleware, with what it runs on. */
export interface SwitchyardMiddleware extends RequestHandler {
  /**
   * For `server.on('upgrade', middleware.upgrade)`: WebSocket through the proxy. With `next`, an
   * upgrade no route matches is passed on (under `noRoute: 'next'`) instead of answered 404.
   */
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer, next?: () => void) => void;
  readonly proxy: ProxyEngine;
  readonly source: RouteSource;
  /** Closes the engine if the middleware created it. */
  close(): Promise<void>;
}

/** The handler registered for `backend`, by `namespace/name:port`, then `namespace/name`. */
function handlerLookup<H>(
  handlers: Readonly<Record<string, H>> | undefined,
): ((backend: DecisionBackend) => H | undefined) | undefined {
  if (handlers === undefined || Object.keys(handlers).length === 0) return undefined;
  const byKey = new Map(Object.entries(handlers));
  return (backend) => {
    if (backend.invalid !== undefined || backend.redirect !== undefined) return undefined;
    const base = `${backend.namespace}/${backend.name}`;
    return byKey.get(`${base}:${backend.port}`) ?? byKey.get(base);
  };
}

/**
 * Creates the middleware.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { compile } from '@switchyard/core';
 * import { staticResolver } from '@switchyard/node';
 * import { switchyard } from '@switchyard/express';
 *
 * const app = express();
 * app.get('/health', (_req, res) => res.send('ok'));
 * app.use(
 *   switchyard({
 *     source: compile(objects).table,
 *     resolver: staticResolver({ 'banking/accounts:8080': 'http://127.0.0.1:9101' }),
 *     handlers: { 'payments/payments-bff:8080': paymentsRouter },
 *   }),
 * );
 * app.listen(3000);
 * ```
 */
export function switchyard(options: SwitchyardExpressOptions): SwitchyardMiddleware {
  if (
    options.noRoute !== undefined &&
    options.noRoute !== 'next' &&
    options.noRoute !== 'respond'
  ) {
    throw new InvalidOptionError("noRoute must be 'next' or 'respond'");
  }
  const source = toSource(options.source);
  const owned = options.proxy === undefined;
  const proxy = options.proxy ?? createProxy(options);
  const arrival: ArrivalInfo = { port: options.port, scheme: options.scheme };
  const handlerFor = handlerLookup(options.handlers);
  const random = options.random ?? Math.random;
  const passOn = (options.noRoute ?? 'next') === 'next';
  // `X-Forwarded-Proto` follows the scheme the app was told, not its own socket.
  const wire: ExchangeOptions | undefined =
    options.scheme === undefined ? undefined : { scheme: options.scheme };

  /**
   * The decision, and whether it is the app's to answer: no route, and outside every prefix the
   * platform delegated (a 404 inside `/banking` that no banking route claims is the gateway's).
   */
  const decide = (
    req: IncomingMessage,
    originalUrl: string | undefined,
  ): { decision: Decision; unrouted: boolean } => {
    const table = source.current();
    const arrived: ResolveRequest = toResolveRequest(req, arrival);
    // Mounted under a path (`app.use('/api', middleware)`), Express strips it from `req.url`.
    const request =
      originalUrl === undefined || originalUrl === arrived.path
        ? arrived
        : { ...arrived, path: originalUrl };
    const decision = resolve(table, request);
    return { decision, unrouted: isUnrouted(decision, table, request) };
  };

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const target = req.url;
    // Intake (Host, absolute form, Via loop, target length) before anything is decided.
    if (!proxy.admit(req, res)) return;
    let decision: Decision;
    let unrouted: boolean;
    try {
      // An absolute-form target has just become origin form in `req.url`; Express's
      // `originalUrl` still holds the absolute form.
      ({ decision, unrouted } = decide(req, req.url === target ? req.originalUrl : req.url));
    } catch (error) {
      next(error);
      return;
    }
    req.switchyard = decision;
    if (passOn && unrouted) {
      next();
      return;
    }
    if (decision.kind !== 'forward') {
      proxy.handle(req, res, decision, wire);
      return;
    }
    const backend =
      decision.backends.length === 1
        ? decision.backends[0]!
        : pickBackend(decision.backends, random());
    const handler = handlerFor?.(backend);
    if (handler !== undefined) {
      const restore = handOff(req, res, decision, backend);
      callHandler(handler, req, res, (error?: unknown) => {
        restore();
        next(error);
      });
      return;
    }
    let body;
    try {
      body = replayedBody(req);
    } catch (error) {
      next(error);
      return;
    }
    // The engine honours this pick: a decision narrowed to one backend leaves it nothing to draw.
    let chosen: ForwardDecision =
      decision.backends.length === 1 ? decision : { ...decision, backends: [backend] };
    let exchange = wire;
    if (body !== undefined) {
      exchange = { ...wire, body: body.bytes };
      if (body.decoded !== undefined) {
        chosen = { ...chosen, requestHeaders: mergeModifiers(chosen.requestHeaders, body.decoded) };
      }
    }
    proxy.forward(req, res, chosen, exchange);
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, next?: () => void): void => {
    proxy.admitUpgrade(req, socket, head, () => {
      let decision: Decision;
      let unrouted: boolean;
      try {
        ({ decision, unrouted } = decide(req, undefined));
      } catch {
        socket.destroy();
        return;
      }
      (req as Request).switchyard = decision;
      if (next !== undefined && passOn && unrouted) {
        next();
        return;
      }
      proxy.upgrade(req, socket, head, decision);
    });
  };

  return Object.assign(middleware, {
    upgrade,
    proxy,
    source,
    close: async () => {
      if (owned) await proxy.close();
    },
  });
}

/** Runs an Express handler; a throw or a rejected promise goes to `next(error)`, as in Express 5. */
function callHandler(
  handler: RequestHandler,
  req: Request,
  res: Response,
  next: (error?: unknown) => void,
): void {
  try {
    const result: unknown = handler(req, res, next);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) =>
        next(error ?? new Error('handler rejected')),
      );
    }
  } catch (error) {
    next(error);
  }
}

function mergeModifiers(
  first: ForwardDecision['requestHeaders'],
  second: NonNullable<ForwardDecision['requestHeaders']>,
): NonNullable<ForwardDecision['requestHeaders']> {
  if (first === undefined) return second;
  return { set: first.set, add: first.add, remove: [...first.remove, ...second.remove] };
}
