/**
 * `createRequestListener`: a `(req, res)` function for any Node HTTP server. Per request it reads
 * the source's current table once (a request finishes on the table it started with, however many
 * swaps happen meanwhile), resolves, and hands the decision to the proxy engine.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { resolve, staticSource } from '@switchyard/core';
import type { Decision, RouteSource, RouteTable } from '@switchyard/core';
import { InvalidConfigurationError, InvalidOptionError } from './errors.js';
import { createProxy, isProxyEngine } from './proxy.js';
import type { ProxyEngine, ProxyOptions } from './proxy.js';
import { toResolveRequest } from './request.js';
import type { ArrivalInfo } from './request.js';
import { sendError } from './respond.js';
import type { ProxyRequest, ProxyResponse } from './respond.js';
import { writeRawError } from './upgrade.js';

export interface RequestListenerOptions extends ProxyOptions, ArrivalInfo {
  /** A route table compiled once, or a source whose table may be swapped at any time. */
  readonly source: RouteSource | RouteTable;
  /** Share an engine (pools, metrics) between listeners; default: a new one from the options. */
  readonly proxy?: ProxyEngine;
}

/** A Node request listener that also carries upgrades; `close()` closes its engine if it made it. */
export interface SwitchyardRequestListener {
  (req: ProxyRequest, res: ProxyResponse): void;
  /** For `server.on('upgrade', listener.upgrade)`: WebSocket through the proxy. */
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  readonly proxy: ProxyEngine;
  readonly source: RouteSource;
  close(): Promise<void>;
}

/** A `RouteSource` for either a source or a plain table. */
export function toSource(source: RouteSource | RouteTable): RouteSource {
  if (typeof (source as RouteSource).current === 'function') return source as RouteSource;
  if (Array.isArray((source as RouteTable).listeners)) return staticSource(source as RouteTable);
  throw new InvalidOptionError('source must be a RouteSource or a RouteTable');
}

/**
 * Creates a request listener for your own `http.Server` (or `https`, or `http2` with
 * `allowHTTP1`).
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
 * // guardServer: coded answers for parser errors, CONNECT and Expect, in pipeline order.
 * const server = guardServer(http.createServer(listener)).on('upgrade', listener.upgrade);
 * server.listen(8080);
 * ```
 */
export function createRequestListener(options: RequestListenerOptions): SwitchyardRequestListener {
  const source = toSource(options.source);
  const owned = options.proxy === undefined;
  const proxy = owned ? createProxy(options) : options.proxy!;
  if (!isProxyEngine(proxy)) throw new InvalidOptionError('proxy must come from createProxy()');
  const arrival: ArrivalInfo = { port: options.port, scheme: options.scheme };
  const listener = (req: ProxyRequest, res: ProxyResponse): void => {
    if (!proxy.admit(req, res)) return;
    let decision;
    try {
      decision = resolve(source.current(), toResolveRequest(req, arrival));
    } catch {
      // The core does not throw on any input; this keeps a bug there from taking the process down.
      sendError(res, new InvalidConfigurationError('internal error'));
      return;
    }
    proxy.handle(req, res, decision);
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    proxy.admitUpgrade(req, socket, head, () => {
      let decision: Decision;
      try {
        decision = resolve(source.current(), toResolveRequest(req, arrival));
      } catch {
        writeRawError(socket, new InvalidConfigurationError('internal error'));
        return;
      }
      proxy.upgrade(req, socket, head, decision);
    });
  };
  return Object.assign(listener, {
    upgrade,
    proxy,
    source,
    close: async () => {
      if (owned) await proxy.close();
    },
  });
}
