/**
 * A Node request as the core's `ResolveRequest`: method, request target, Host (or HTTP/2
 * `:authority`), headers, and where it arrived (listener port, scheme, TLS server name).
 */
import type { ResolveRequest } from '@switchyard/core';
import type { ProxyRequest } from './respond.js';

/** Where a request arrived, when the caller knows better than the socket. */
export interface ArrivalInfo {
  /** The Gateway listener port (not necessarily the port the socket is bound to). */
  readonly port?: number | undefined;
  readonly scheme?: 'http' | 'https' | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Translates a Node request for `resolve`. Scheme and SNI come from the socket unless `arrival`
 * says otherwise; without `arrival.port` the core uses the first listener for the scheme.
 *
 * @example resolve(table, toResolveRequest(req, { port: 80 }))
 */
export function toResolveRequest(req: ProxyRequest, arrival: ArrivalInfo = {}): ResolveRequest {
  const headers = req.headers;
  const socket = req.socket as { encrypted?: boolean; servername?: string | false } | undefined;
  const request: Mutable<ResolveRequest> = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
  };
  const host = headers.host ?? (headers[':authority'] as string | undefined);
  if (host !== undefined) request.host = host;
  if (arrival.port !== undefined) request.port = arrival.port;
  const encrypted = socket?.encrypted === true;
  request.scheme = arrival.scheme ?? (encrypted ? 'https' : 'http');
  if (encrypted && typeof socket?.servername === 'string') request.sni = socket.servername;
  return request;
}
