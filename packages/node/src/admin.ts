/**
 * The admin port: `/healthz` (the process is alive), `/readyz` (listening, not draining) and
 * `/metrics` (Prometheus text format). Kept off the traffic ports so that probes and scrapes
 * never compete with, or get routed like, user traffic.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface AdminOptions {
  /** Readiness: true when the gateway should receive traffic. */
  readonly ready: () => boolean;
  /** Why it is not ready, written into the 503 answer of `/readyz` (e.g. for `kubectl describe`). */
  readonly notReadyReason?: () => string | undefined;
  /** Metrics to expose at `/metrics`; absent: 404. */
  readonly registry?: Registry;
}

/**
 * An HTTP server answering the admin endpoints; listen on it yourself.
 *
 * @example createAdminServer({ ready: () => true, registry: metrics.registry }).listen(9901)
 */
export function createAdminServer(options: AdminOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      send(200, 'ok\n');
    } else if (path === '/readyz') {
      if (options.ready()) send(200, 'ready\n');
      else send(503, `not ready${reasonSuffix(options.notReadyReason?.())}\n`);
    } else if (path === '/metrics' && options.registry !== undefined) {
      const registry = options.registry;
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
        () => send(500, 'metrics unavailable\n'),
      );
    } else {
      send(404, 'not found\n');
    }
  });
}

function reasonSuffix(reason: string | undefined): string {
  // One line: a reason never spans lines or carries control characters into the probe's output.
  return reason ? `: ${reason.replace(/[\x00-\x1f\x7f]+/g, ' ')}` : '';
}
