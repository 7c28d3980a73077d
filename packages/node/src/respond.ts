/**
 * Answers the gateway writes itself: errors (one short line of text, never a stack trace),
 * redirects, and the core's `respond` decisions (CORS preflights, 404, 500...). Works for
 * HTTP/1.1 and HTTP/2 (compatibility API) responses alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { SwitchyardError } from './errors.js';
import { flatToObject } from './headers.js';

/** A request as Node's HTTP/1.1 server or HTTP/2 compatibility API delivers it. */
export type ProxyRequest = IncomingMessage | Http2ServerRequest;
/** The matching response. */
export type ProxyResponse = ServerResponse | Http2ServerResponse;

/** True for HTTP/2 compatibility-API responses, which take headers as an object. */
export function isHttp2(res: ProxyResponse): res is Http2ServerResponse {
  return (res as Http2ServerResponse).stream !== undefined;
}

/** `res.writeHead` with a flat `[name, value, ...]` header list. */
export function writeHead(res: ProxyResponse, status: number, flat: string[]): void {
  if (isHttp2(res)) res.writeHead(status, flatToObject(flat));
  else res.writeHead(status, flat);
}

/** The header the error code travels in, so clients can tell gateway answers from backend ones. */
export const ERROR_HEADER = 'x-switchyard-error';

/** The header naming the backend an error answer is about (`SwitchyardError.backend`). */
export const BACKEND_HEADER = 'x-switchyard-backend';

/**
 * `text` with every byte outside visible ASCII (and `%`) percent-encoded: a backend's name comes
 * from a tenant's YAML and may be anything in file mode, but a header value or a one-line body
 * must stay one line of plain characters.
 */
export function headerSafe(text: string): string {
  return text.replace(/[^\x21-\x24\x26-\x7e]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/**
 * Answers with `error.status` and a one-line body (`no route\n`), or, when the response has
 * already started, cuts the connection so the client sees a truncated answer instead of a
 * wrong one. Never throws.
 */
export function sendError(res: ProxyResponse, error: SwitchyardError): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = `${error.message}\n`;
    const headers = [
      'content-type',
      'text/plain; charset=utf-8',
      'content-length',
      String(Buffer.byteLength(body)),
      'cache-control',
      'no-store',
      ERROR_HEADER,
      error.code,
    ];
    if (error.backend !== undefined) headers.push(BACKEND_HEADER, headerSafe(error.backend));
    writeHead(res, error.status, headers);
    res.end(body);
  } catch {
    res.destroy();
  }
}

/** Answers with a status and headers and no body (redirects, CORS preflights). */
export function sendEmpty(
  res: ProxyResponse,
  status: number,
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): void {
  const flat: string[] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'string') flat.push(name, value);
    else for (const item of value) flat.push(name, item);
  }
  if (status !== 204 && status !== 304) flat.push('content-length', '0');
  try {
    writeHead(res, status, flat);
    res.end();
  } catch {
    res.destroy();
  }
}

/** The remote address of the client, for `X-Forwarded-For`. */
export function remoteAddressOf(req: ProxyRequest): string | undefined {
  return req.socket?.remoteAddress;
}
