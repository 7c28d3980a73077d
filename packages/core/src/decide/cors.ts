/**
 * The CORS filter (CO-1..CO-6): which origins are allowed, and the response headers for simple
 * requests and for preflights. Header names are returned in lower case.
 *
 * Pinned by `test/decide/cors.test.ts` (the HTTPRouteCORS conformance rows).
 */
import type { NormalizedCors } from '../api/normalized.js';
import { hostnameMatches } from '../match/hostname.js';

interface Origin {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
}

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]+)(?::(\d{1,5}))?\/?$/;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

function parseOrigin(text: string): Origin | undefined {
  const parts = ORIGIN.exec(text.toLowerCase());
  if (parts === null) return undefined;
  const scheme = parts[1]!;
  const port = parts[3] === undefined ? DEFAULT_PORTS[scheme] : Number(parts[3]);
  return port === undefined ? undefined : { scheme, host: parts[2]!, port };
}

/**
 * True when an `allowOrigins` entry admits the request's `Origin`: `*` admits every origin;
 * otherwise scheme and port must be equal (80/443 assumed when absent) and the host equal, or
 * matched by a `*.` wildcard over one or more labels, or `*` for any host.
 */
export function corsOriginAllowed(cors: NormalizedCors, origin: string): boolean {
  if (cors.allowOrigins.includes('*')) return true;
  const request = parseOrigin(origin);
  if (request === undefined) return false;
  return cors.allowOrigins.some((pattern) => {
    const allowed = parseOrigin(pattern);
    if (allowed === undefined) return false;
    if (allowed.scheme !== request.scheme || allowed.port !== request.port) return false;
    return allowed.host === '*' || hostnameMatches(allowed.host, request.host);
  });
}

/** `*` is answered only when every origin is allowed and credentials are not (CO-2, CO-3). */
function allowOriginValue(cors: NormalizedCors, origin: string): string {
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

/**
 * The CORS headers for an actual (non-preflight) response: allow-origin, allow-credentials and
 * expose-headers; empty when the request has no `Origin` or the origin is not allowed (CO-2).
 *
 * @example
 * ```ts
 * corsResponseHeaders(cors, 'https://www.bar.com');
 * // { 'access-control-allow-origin': 'https://www.bar.com', 'access-control-allow-credentials': 'true', ... }
 * ```
 */
export function corsResponseHeaders(
  cors: NormalizedCors,
  requestOrigin: string | undefined,
): Record<string, string> {
  if (requestOrigin === undefined || !corsOriginAllowed(cors, requestOrigin)) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': allowOriginValue(cors, requestOrigin),
  };
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (cors.exposeHeaders.length > 0) {
    headers['access-control-expose-headers'] = cors.exposeHeaders.join(', ');
  }
  return headers;
}

export interface PreflightRequest {
  /** The `Origin` header. */
  readonly origin: string | undefined;
  /** `Access-Control-Request-Method`. */
  readonly method: string | undefined;
  /** `Access-Control-Request-Headers`. */
  readonly headers?: string | undefined;
}

/**
 * The headers of a preflight answer; empty when the origin is not allowed (the preflight is
 * still answered, without CORS headers, so the browser refuses: CO-2). A `*` in `allowMethods`
 * or `allowHeaders` is answered with what the browser asked for, which is right with and without
 * credentials (CO-3, CO-4).
 *
 * @example
 * ```ts
 * corsPreflight(cors, { origin: 'https://www.foo.com', method: 'GET', headers: 'x-header-1' });
 * ```
 */
export function corsPreflight(
  cors: NormalizedCors,
  request: PreflightRequest,
): Record<string, string> {
  const headers = corsResponseHeaders(cors, request.origin);
  if (headers['access-control-allow-origin'] === undefined) return headers;
  if (cors.allowMethods.includes('*')) {
    if (request.method !== undefined) headers['access-control-allow-methods'] = request.method;
  } else if (cors.allowMethods.length > 0) {
    headers['access-control-allow-methods'] = cors.allowMethods.join(', ');
  }
  if (cors.allowHeaders.includes('*')) {
    if (request.headers !== undefined && request.headers !== '') {
      headers['access-control-allow-headers'] = request.headers;
    }
  } else if (cors.allowHeaders.length > 0) {
    headers['access-control-allow-headers'] = cors.allowHeaders.join(', ');
  }
  headers['access-control-max-age'] = String(cors.maxAge);
  return headers;
}
