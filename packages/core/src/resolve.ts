/**
 * `resolve`: one request against a compiled table, to one Decision. Pure and synchronous; the
 * table is never written, so any number of requests may resolve against it at once.
 *
 * Order: refuse an oversized target (414), normalise the path (400), select the listener (404,
 * 421), find the route in that listener only (H-9; 404; 431 when a candidate's regex would have
 * read an oversized header value), decide.
 */
import type { Decision, ResolveRequest } from './decision.js';
import type { RouteTable } from './table.js';
import { headerTooLarge, inputTooLarge } from './match/limits.js';
import { decide, decidePlanned } from './decide/decide.js';
import { hostWithoutPort, requestHost } from './match/hostname.js';
import {
  selectListener,
  type ListenerRejection,
  type ListenerSelection,
} from './match/listener.js';
import { findRoute, listenerIndex, type LookupTracer } from './match/lookup.js';
import { normalizeTarget, type NormalizedTarget } from './match/normalize-path.js';
import { RequestView } from './match/request-view.js';
import type { ListenerIndex } from './match/build-index.js';

/**
 * Resolves a request against a route table.
 *
 * @example
 * ```ts
 * const decision = resolve(table, { method: 'GET', host: 'api.example.com', path: '/banking/accounts?id=7' });
 * if (decision.kind === 'forward') {
 *   const backend = pickBackend(decision.backends, Math.random());
 *   // send decision.upstream.path to backend ...
 * }
 * ```
 */
export function resolve(table: RouteTable, request: ResolveRequest): Decision {
  return resolveTraced(table, request, undefined);
}

/** What `explain` observes of a resolution; every hook is optional work `resolve` skips. */
export interface ResolveTracer extends LookupTracer {
  path(result: NormalizedTarget): void;
  listener(
    selection: ListenerSelection,
    rejected: readonly ListenerRejection[],
    host: string | undefined,
  ): void;
  hosts(index: ListenerIndex, host: string | undefined): void;
}

/** `resolve` with an observer; shared with `explain` so the two can never disagree. */
export function resolveTraced(
  table: RouteTable,
  request: ResolveRequest,
  tracer: ResolveTracer | undefined,
): Decision {
  const refused = inputTooLarge(table, request);
  if (refused !== undefined) return refused;
  const target = normalizeTarget(request.path);
  tracer?.path(target);
  if (!target.ok) return { kind: 'respond', status: 400, reason: `bad request: ${target.reason}` };
  const host = requestHost(request);
  const scheme = request.scheme ?? 'http';
  const rejected: ListenerRejection[] | undefined = tracer === undefined ? undefined : [];
  const selection = selectListener(
    table,
    {
      scheme,
      port: request.port,
      host,
      sni: request.sni === undefined ? undefined : hostWithoutPort(request.sni),
    },
    rejected,
  );
  tracer?.listener(selection, rejected ?? [], host);
  if (!selection.ok) {
    const listener = selection.listener;
    return listener === undefined
      ? { kind: 'respond', status: selection.status, reason: selection.reason }
      : {
          kind: 'respond',
          status: selection.status,
          reason: selection.reason,
          listener: { name: listener.name, port: listener.port },
        };
  }
  const listener = selection.listener;
  const index = listenerIndex(listener);
  tracer?.hosts(index, host);
  const view = new RequestView(
    request.method,
    target.path,
    target.query,
    request.headers,
    table.limits?.maxHeaderValueLength,
  );
  const entry = findRoute(index, host, view, tracer);
  // A candidate ranked before the winner (or any, without one) could not be judged: refuse.
  if (view.overlongHeader !== undefined) {
    return headerTooLarge(view.overlongHeader, view.maxRegexValueLength, listener);
  }
  if (entry === undefined) {
    return {
      kind: 'respond',
      status: 404,
      reason: 'no route',
      listener: { name: listener.name, port: listener.port },
    };
  }
  // The common case, a plain forward, is built from the entry alone (see `forwardPlan`).
  if (entry.plan !== undefined) return decidePlanned(entry.plan, listener, view);
  return decide({ route: entry.route, listener, scheme, host, request: view });
}
