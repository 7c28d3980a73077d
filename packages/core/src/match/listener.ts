/**
 * Listener selection (H-8, H-10): the scheme picks the protocol, the port the listener set, and
 * the most specific listener hostname for the request host wins. With TLS, the listener the SNI
 * selected must be the one the Host selects, or the request was misdirected (421).
 *
 * Pinned by `test/match/listener.test.ts`.
 */
import type { RouteTable, TableListener } from '../table.js';
import { hostnameScore } from './hostname.js';

export interface ListenerQuery {
  readonly scheme: 'http' | 'https';
  /** Default: the port of the first listener for the scheme's protocol. */
  readonly port?: number | undefined;
  /** Lower-case, without port; undefined when the request names no host. */
  readonly host: string | undefined;
  /** TLS server name, lower-case; only read for `https`. */
  readonly sni?: string | undefined;
}

export type ListenerSelection =
  | { readonly ok: true; readonly listener: TableListener }
  | {
      readonly ok: false;
      readonly status: 404 | 421;
      readonly reason: 'no listener' | 'misdirected request';
      /** For 421: the listener the SNI selected. */
      readonly listener?: TableListener;
    };

/** Why a listener was passed over, for `explain`. */
export interface ListenerRejection {
  readonly listener: TableListener;
  readonly reason: string;
}

/**
 * Chooses the listener for a request. When `rejected` is given, every listener not chosen is
 * pushed onto it with the reason.
 *
 * @example
 * ```ts
 * selectListener(table, { scheme: 'https', host: 'second-example.org', sni: 'example.org' });
 * // { ok: false, status: 421, reason: 'misdirected request', listener: <the SNI's listener> }
 * ```
 */
export function selectListener(
  table: RouteTable,
  query: ListenerQuery,
  rejected?: ListenerRejection[],
): ListenerSelection {
  const protocol = query.scheme === 'https' ? 'HTTPS' : 'HTTP';
  const listeners = table.listeners;
  if (rejected === undefined && listeners.length === 1) {
    const only = listeners[0]!;
    // The usual table: one listener. Same outcome as below, without the scans.
    if (only.protocol === protocol && (query.port === undefined || query.port === only.port)) {
      if (hostnameScore(only.hostname, query.host) < 0) {
        return { ok: false, status: 404, reason: 'no listener' };
      }
      const sni = query.sni;
      if (
        protocol === 'HTTPS' &&
        sni !== undefined &&
        sni !== '' &&
        hostnameScore(only.hostname, sni) < 0
      ) {
        return { ok: false, status: 421, reason: 'misdirected request' };
      }
      return { ok: true, listener: only };
    }
  }
  const port = query.port ?? defaultPort(table.listeners, protocol);
  const byHost = mostSpecific(table.listeners, protocol, port, query.host);
  const bySni =
    protocol === 'HTTPS' && query.sni !== undefined && query.sni !== ''
      ? mostSpecific(table.listeners, protocol, port, query.sni)
      : byHost;
  if (rejected !== undefined) {
    explainRejections(
      table.listeners,
      { protocol, port, host: query.host, chosen: bySni },
      rejected,
    );
  }
  if (byHost === undefined) return { ok: false, status: 404, reason: 'no listener' };
  if (bySni !== byHost) {
    return bySni === undefined
      ? { ok: false, status: 421, reason: 'misdirected request' }
      : { ok: false, status: 421, reason: 'misdirected request', listener: bySni };
  }
  return { ok: true, listener: byHost };
}

function defaultPort(listeners: readonly TableListener[], protocol: string): number | undefined {
  for (const listener of listeners) if (listener.protocol === protocol) return listener.port;
  return undefined;
}

function mostSpecific(
  listeners: readonly TableListener[],
  protocol: 'HTTP' | 'HTTPS',
  port: number | undefined,
  host: string | undefined,
): TableListener | undefined {
  let best: TableListener | undefined;
  let bestScore = -1;
  for (const listener of listeners) {
    if (listener.protocol !== protocol || listener.port !== port) continue;
    const score = hostnameScore(listener.hostname, host);
    if (score > bestScore) {
      best = listener;
      bestScore = score;
    }
  }
  return best;
}

function explainRejections(
  listeners: readonly TableListener[],
  context: {
    protocol: string;
    port: number | undefined;
    host: string | undefined;
    chosen: TableListener | undefined;
  },
  rejected: ListenerRejection[],
): void {
  for (const listener of listeners) {
    if (listener === context.chosen) continue;
    let reason: string;
    if (listener.protocol !== context.protocol) reason = `protocol is ${listener.protocol}`;
    else if (listener.port !== context.port) reason = `port is ${listener.port}`;
    else if (hostnameScore(listener.hostname, context.host) < 0) {
      reason = `hostname ${listener.hostname ?? '*'} does not match ${context.host ?? '(no host)'}`;
    } else reason = `less specific than ${context.chosen?.name ?? '?'}`;
    rejected.push({ listener, reason });
  }
}
