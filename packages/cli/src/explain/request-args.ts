/**
 * `explain`'s request, written like curl: `GET http://api.example.com:8080/banking?x=1` plus
 * `-H 'Name: value'`. The path goes to the core exactly as typed (not through `URL`, which would
 * normalise it), so the trace shows what the gateway itself makes of `..`, `%2F` and friends.
 */
import type { ResolveRequest } from '@switchyard/core';
import { CliError } from '../errors.js';

const METHOD = /^[A-Za-z][A-Za-z-]*$/;
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

/**
 * Builds the request `explain` resolves.
 *
 * - `url` is `http(s)://host[:port]/path?query` or just `/path?query` (then `-H 'Host: ...'` names
 *   the host); a URL without a scheme (`api.example.com/x`) is read as `http://`.
 * - An explicit port selects the listener on that port; without one the core takes the first
 *   listener for the scheme.
 * - A `Host` header overrides the URL's host, as it does for curl; for `https` the TLS server
 *   name (SNI) is the URL's host name unless `sni` says otherwise.
 *
 * @example
 * ```ts
 * explainRequest('get', 'http://api.example.com:8080/banking/accounts', ['x-api-version: 2']);
 * // { method: 'GET', host: 'api.example.com:8080', port: 8080, scheme: 'http',
 * //   path: '/banking/accounts', headers: { 'x-api-version': '2', host: 'api.example.com:8080' } }
 * ```
 */
export function explainRequest(
  method: string,
  url: string,
  headerArgs: readonly string[],
  sni?: string,
): ResolveRequest {
  if (!METHOD.test(method)) throw new CliError(`not an HTTP method: '${method}'`);
  const headers = parseHeaders(headerArgs);
  const target = url.startsWith('/')
    ? { path: url }
    : absoluteTarget(url.includes('://') ? url : `http://${url}`);
  const hostHeader = headers.host;
  const host = typeof hostHeader === 'string' ? hostHeader : target.host;
  if (host !== undefined) headers.host = host;
  // As curl: TLS carries the URL's host name, whatever the Host header says.
  const serverName = sni ?? (target.scheme === 'https' ? target.hostname : undefined);
  return {
    method: method.toUpperCase(),
    path: target.path,
    ...(host === undefined ? {} : { host }),
    headers,
    ...(target.port === undefined ? {} : { port: target.port }),
    ...(target.scheme === undefined ? {} : { scheme: target.scheme }),
    ...(serverName === undefined || serverName === '' ? {} : { sni: serverName }),
  };
}

interface Target {
  readonly path: string;
  readonly host?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly scheme?: 'http' | 'https';
}

function absoluteTarget(url: string): Target {
  const found = ABSOLUTE.exec(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a URL: '${url}'`);
  }
  if (!found) throw new CliError(`not a URL: '${url}'`);
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https')
    throw new CliError(`unsupported scheme '${scheme}' in '${url}': use http or https`);
  const raw = found[3] ?? '';
  const path = raw === '' || raw.startsWith('?') ? `/${raw}` : raw;
  const authority = found[2] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  // An explicit port counts even when it is the scheme's default (`URL` drops `:443`).
  const port = /:(\d+)$/.exec(host)?.[1];
  return {
    path,
    host,
    hostname: parsed.hostname,
    scheme,
    ...(port === undefined ? {} : { port: Number(port) }),
  };
}

/** `Name: value` pairs → lower-case names, repeated names as lists. */
export function parseHeaders(args: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const arg of args) {
    const colon = arg.indexOf(':');
    const name = colon < 0 ? '' : arg.slice(0, colon).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))
      throw new CliError(`bad header '${arg}': expected 'Name: value'`);
    const value = arg.slice(colon + 1).trim();
    const before = headers[name];
    headers[name] =
      before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return headers;
}
