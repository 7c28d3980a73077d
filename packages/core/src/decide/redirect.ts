/**
 * The `Location` of a RequestRedirect (RR-1..RR-5). Pinned by `test/decide/redirect.test.ts`
 * (the HTTPRouteRedirectPortAndScheme truth table).
 */
import type { NormalizedRedirect } from '../api/normalized.js';
import { applyPathModifier } from './path-modifier.js';

export interface RedirectRequest {
  readonly scheme: 'http' | 'https';
  /** Lower-case, without port; undefined when the request named no host. */
  readonly host: string | undefined;
  /** The port of the listener that took the request. */
  readonly listenerPort: number;
  /** The listener's hostname, used when neither the filter nor the request names a host. */
  readonly listenerHostname?: string | undefined;
  /** Normalised, without query. */
  readonly path: string;
  /** Raw query without `?`; undefined when absent. */
  readonly query: string | undefined;
  /** The PathPrefix that matched, for ReplacePrefixMatch. */
  readonly matchedPrefix: string | undefined;
}

const WELL_KNOWN_PORTS = { http: 80, https: 443 } as const;

/**
 * Builds the redirect target: scheme from the filter or the request; host from the filter or the
 * request (port dropped); port from the filter, else the scheme's well-known port when the filter
 * sets a scheme, else the listener's port, left out when it is the scheme's default; path per the
 * modifier or unchanged; query preserved (decision 7). Without any host to name (no filter
 * hostname, no Host header, wildcard or no listener hostname) the Location is the path alone.
 *
 * @example
 * ```ts
 * redirectLocation({ scheme: 'https', statusCode: 302 }, { scheme: 'http', host: 'example.org', listenerPort: 80, path: '/a', query: 'x=1', matchedPrefix: '/' });
 * // 'https://example.org/a?x=1'
 * ```
 */
export function redirectLocation(redirect: NormalizedRedirect, request: RedirectRequest): string {
  const scheme = redirect.scheme ?? request.scheme;
  const port =
    redirect.port ??
    (redirect.scheme !== undefined ? WELL_KNOWN_PORTS[redirect.scheme] : request.listenerPort);
  const path =
    redirect.path === undefined
      ? request.path
      : applyPathModifier(request.path, redirect.path, request.matchedPrefix);
  const target = request.query === undefined ? path : `${path}?${request.query}`;
  const host =
    redirect.hostname ??
    request.host ??
    (request.listenerHostname?.startsWith('*') === false ? request.listenerHostname : undefined);
  if (host === undefined) return target;
  const portText = port === WELL_KNOWN_PORTS[scheme] ? '' : `:${port}`;
  return `${scheme}://${host}${portText}${target}`;
}
