/**
 * The Fastify plugin. An `onRequest` hook decides every request with the core, before Fastify's
 * router has any say and before any body parser runs, and puts the decision on
 * `request.switchyard`. Then:
 *
 * - no route (no listener, no route matched): the request carries on through Fastify, to the
 *   app's own routes or its 404 handler (or Switchyard answers 404 with `noRoute: 'respond'`);
 * - a backend with an in-process handler: the request is made to look as that backend would see
 *   it (upstream path, header modifiers), carries on through Fastify's body parsing, and a
 *   `preHandler` hook hands it to the handler in place of whatever route matched;
 * - anything else: the reply is hijacked and `@switchyard/node`'s engine answers on the raw
 *   request and response: the body streams through untouched, the answer is the backend's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { pickBackend, resolve } from '@switchyard/core';
import type {
  Decision,
  DecisionBackend,
  ForwardDecision,
  RouteSource,
  RouteTable,
} from '@switchyard/core';
import {
  InvalidOptionError,
  createProxy,
  guardServer,
  handOff,
  isUnrouted,
  toResolveRequest,
  toSource,
} from '@switchyard/node';
import type {
  ArrivalInfo,
  ExchangeOptions,
  Logger,
  ProxyEngine,
  ProxyOptions,
} from '@switchyard/node';
import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';
import { accessLogger } from './logger.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The core's decision for this request, set by the Switchyard plugin (null before). */
    switchyard: Decision | null;
  }
}

/**
 * An in-process handler standing in for a backend: a Fastify route handler. It sees the request
 * as the backend would (`request.url` is the upstream path) with its body parsed by Fastify.
 */
export type SwitchyardHandler = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
) => unknown;

export interface SwitchyardFastifyOptions extends Omit<ProxyOptions, 'logger'>, ArrivalInfo {
  /** A route table compiled once, or a source whose table may be swapped at any time. */
  readonly source: RouteSource | RouteTable;
  /** Share an engine (pools, metrics, logs) with other listeners; default: one from the options. */
  readonly proxy?: ProxyEngine;
  /** Access logs of proxied requests; default Fastify's logger (`fastify.log`); `false` for none. */
  readonly logger?: Logger | false;
  /**
   * In-process handlers standing in for backends, keyed like `staticResolver`:
   * `namespace/name:port`, or `namespace/name` for every port.
   */
  readonly handlers?: Readonly<Record<string, SwitchyardHandler>>;
  /**
   * When no route matches (a 404 decision without a route): `'next'` (default) leaves the request
   * to Fastify's own routes; `'respond'` answers 404.
   */
  readonly noRoute?: 'next' | 'respond';
  /**
   * Carry WebSocket upgrades through the proxy (an `upgrade` listener on `fastify.server`);
   * default false. Unrouted upgrades are left to other `upgrade` listeners when there are any.
   */
  readonly websocket?: boolean;
  /**
   * Answer what Node's parser refuses (400 bad bytes, 431, 408), `CONNECT` (501), `Expect` other
   * than `100-continue` (417) and a missing Host (400) with the gateway's coded answers, in
   * pipeline order, as `@switchyard/node` does: `guardServer` on `fastify.server`, in place of
   * Fastify's own `clientError` handler (so Fastify's `clientErrorHandler` option no longer
   * runs). Default true; `false` leaves the server as Fastify set it up.
   */
  readonly guardServer?: boolean;
}

interface PendingHandoff {
  readonly handler: SwitchyardHandler;
}

const plugin: FastifyPluginCallback<SwitchyardFastifyOptions> = (fastify, options, done) => {
  if (
    options.noRoute !== undefined &&
    options.noRoute !== 'next' &&
    options.noRoute !== 'respond'
  ) {
    done(new InvalidOptionError("noRoute must be 'next' or 'respond'"));
    return;
  }
  const source = toSource(options.source);
  const owned = options.proxy === undefined;
  const logger =
    options.logger === undefined ? (accessLogger(fastify.log) ?? false) : options.logger;
  const proxy = options.proxy ?? createProxy({ ...options, logger });
  const arrival: ArrivalInfo = { port: options.port, scheme: options.scheme };
  const random = options.random ?? Math.random;
  const passOn = (options.noRoute ?? 'next') === 'next';
  // `X-Forwarded-Proto` follows the scheme the app was told, not its own socket.
  const wire: ExchangeOptions | undefined =
    options.scheme === undefined ? undefined : { scheme: options.scheme };
  const handlers = new Map(Object.entries(options.handlers ?? {}));
  const pending = new WeakMap<FastifyRequest, PendingHandoff>();

  const handlerFor = (backend: DecisionBackend): SwitchyardHandler | undefined => {
    if (handlers.size === 0 || backend.invalid !== undefined || backend.redirect !== undefined)
      return undefined;
    const base = `${backend.namespace}/${backend.name}`;
    return handlers.get(`${base}:${backend.port}`) ?? handlers.get(base);
  };

  /**
   * The decision, and whether it is the app's to answer: no route, and outside every prefix the
   * platform delegated (a 404 inside `/banking` that no banking route claims is the gateway's).
   */
  const decide = (req: IncomingMessage): { decision: Decision; unrouted: boolean } => {
    const table = source.current();
    const request = toResolveRequest(req, arrival);
    const decision = resolve(table, request);
    return { decision, unrouted: isUnrouted(decision, table, request) };
  };

  if (options.guardServer !== false) guardFastifyServer(fastify.server);
  fastify.decorateRequest('switchyard', null);

  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction) => {
      // Intake (Host, absolute form, Via loop, target length) before anything is decided.
      if (!proxy.admit(request.raw, reply.raw)) {
        reply.hijack();
        next();
        return;
      }
      let decision: Decision;
      let unrouted: boolean;
      try {
        ({ decision, unrouted } = decide(request.raw));
      } catch (error) {
        next(error as Error);
        return;
      }
      request.switchyard = decision;
      if (passOn && unrouted) {
        next();
        return;
      }
      if (decision.kind !== 'forward') {
        reply.hijack();
        proxy.handle(request.raw, reply.raw, decision, wire);
        next();
        return;
      }
      const backend =
        decision.backends.length === 1
          ? decision.backends[0]!
          : pickBackend(decision.backends, random());
      const handler = handlerFor(backend);
      if (handler !== undefined) {
        handOff(request.raw, reply.raw, decision, backend);
        pending.set(request, { handler });
        next();
        return;
      }
      // The engine honours this pick: a decision narrowed to one backend leaves it nothing to draw.
      const chosen: ForwardDecision =
        decision.backends.length === 1 ? decision : { ...decision, backends: [backend] };
      reply.hijack();
      proxy.forward(request.raw, reply.raw, chosen, wire);
      next();
    },
  );

  if (handlers.size > 0) {
    fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const handoff = pending.get(request);
      if (handoff === undefined) return undefined;
      const value: unknown = await handoff.handler.call(fastify, request, reply);
      if (!reply.sent && value !== undefined) return reply.send(value);
      // A handler that answers later (callback style): hold the route's own handler back.
      if (!reply.sent) await finished(reply);
      return reply;
    });
  }

  let upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  if (options.websocket === true) {
    const server = fastify.server;
    upgrade = (req, socket, head) => {
      let unrouted: boolean;
      try {
        ({ unrouted } = decide(req));
      } catch {
        socket.destroy();
        return;
      }
      // Other upgrade listeners (@fastify/websocket...) answer what Switchyard does not route.
      if (passOn && unrouted && server.listenerCount('upgrade') > 1) return;
      proxy.admitUpgrade(req, socket, head, () => {
        // Decided again: intake may have moved an absolute-form authority into Host.
        let admitted: Decision;
        try {
          admitted = decide(req).decision;
        } catch {
          socket.destroy();
          return;
        }
        proxy.upgrade(req, socket, head, admitted);
      });
    };
    server.on('upgrade', upgrade);
  }

  fastify.addHook('onClose', async () => {
    if (upgrade !== undefined) fastify.server.off('upgrade', upgrade);
    if (owned) await proxy.close();
  });
  done();
};

const guardedServers = new WeakSet<object>();

/**
 * `guardServer` on Fastify's server, once per server (several instances may share one). Fastify
 * installs its own `clientError` listener, which answers parser errors without a code and closes
 * the socket at once, overtaking pipelined answers: it is removed so only the gateway's answers.
 */
function guardFastifyServer(server: FastifyInstance['server']): void {
  if (guardedServers.has(server)) return;
  guardedServers.add(server);
  const events = server as unknown as NodeJS.EventEmitter;
  for (const listener of events.listeners('clientError')) {
    events.off('clientError', listener as (...args: unknown[]) => void);
  }
  guardServer(server as unknown as Parameters<typeof guardServer>[0]);
}

function finished(reply: FastifyReply): Promise<void> {
  const res = reply.raw;
  if (res.writableEnded || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}

/**
 * The plugin: register it on any Fastify 4 or 5 instance; it is not encapsulated (its hooks see
 * every request of the instance).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { compile } from '@switchyard/core';
 * import { staticResolver } from '@switchyard/node';
 * import { switchyard } from '@switchyard/fastify';
 *
 * const app = Fastify({ logger: true });
 * app.get('/health', async () => 'ok');
 * await app.register(switchyard, {
 *   source: compile(objects).table,
 *   resolver: staticResolver({ 'banking/accounts:8080': 'http://127.0.0.1:9101' }),
 *   handlers: { 'payments/payments-bff:8080': async (request) => ({ path: request.url }) },
 * });
 * await app.listen({ port: 3000 });
 * ```
 */
export const switchyard = fp(plugin, { fastify: '4.x || 5.x', name: '@switchyard/fastify' });
