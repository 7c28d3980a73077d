/**
 * A gateway that was there before Switchyard: a plain `node:http` handler with its own routes
 * (`/health`, and `/legacy/...` forwarded by hand-written code). It now asks the core first:
 * whatever the teams' manifests route, and every 404 inside a prefix the platform delegated, is
 * Switchyard's to answer through `@switchyard/node`'s engine; only unrouted requests (outside
 * every delegated prefix) reach the old code.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { resolve } from '@switchyard/core';
import type { RouteSource } from '@switchyard/core';
import { createProxy, isUnrouted, staticResolver, toResolveRequest } from '@switchyard/node';
import type { Logger, ProxyEngine } from '@switchyard/node';

export interface ExistingGatewayOptions {
  /** The compiled manifests; swap tables into it to reload. */
  readonly source: RouteSource;
  /** `namespace/name:port` -> origin, for the teams' backends. */
  readonly backends: Readonly<Record<string, string>>;
  /** What the old code answered for `/legacy/...` before Switchyard. */
  readonly legacy: (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger?: Logger | false;
}

export interface ExistingGateway {
  readonly handler: RequestListener;
  readonly proxy: ProxyEngine;
}

export function createExistingGateway(options: ExistingGatewayOptions): ExistingGateway {
  const proxy = createProxy({
    resolver: staticResolver(options.backends),
    logger: options.logger ?? false,
  });
  // The Gateway listener these requests count as arriving on (platform/gateway.yaml).
  const arrival = { port: 8080, scheme: 'http' } as const;

  const handler: RequestListener = (req, res) => {
    // One table per request: a swap while it is in flight does not change its answer.
    const table = options.source.current();
    const request = toResolveRequest(req, arrival);
    const decision = resolve(table, request);
    if (!isUnrouted(decision, table, request)) {
      proxy.handle(req, res, decision);
      return;
    }
    // The gateway's own routes, as they were.
    if (req.url === '/health') {
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"ok"}');
    } else if (req.url?.startsWith('/legacy/') === true) {
      options.legacy(req, res);
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'not found', path: req.url }));
    }
  };
  return { handler, proxy };
}
