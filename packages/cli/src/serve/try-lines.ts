/**
 * Sample curl commands for a served table: one per flattened route that can be reached with a
 * literal request (Exact and PathPrefix paths, exact header and query matches, the ancestors'
 * guards included), pointed at the local address of its listener. `serve` prints them so a
 * newcomer sees every team's routes answer.
 */
import type { CompiledMatch, FlatRoute, RouteTable } from '@switchyard/core';

export interface TryLine {
  readonly method: string;
  /** Full URL on the local address. */
  readonly url: string;
  /** Host header, when the route needs one. */
  readonly host?: string;
  readonly headers: readonly (readonly [string, string])[];
  /** What the route does: `Service banking/accounts:8080`, `redirect 302`, `respond 500`. */
  readonly expect: string;
  /** The curl command line. */
  readonly command: string;
}

/**
 * @param local maps a listener port to the `host:port` it is served on locally.
 *
 * @example
 * ```ts
 * tryLines(table, (port) => `127.0.0.1:${port}`);
 * // [{ command: "curl -H 'Host: api.example.com' http://127.0.0.1:8080/banking/accounts", expect: 'Service banking/accounts:8080', ... }]
 * ```
 */
export function tryLines(
  table: RouteTable,
  local: (listenerPort: number) => string | undefined,
): TryLine[] {
  const lines: TryLine[] = [];
  const seen = new Set<string>();
  for (const listener of table.listeners) {
    const address = local(listener.port);
    if (address === undefined) continue;
    const scheme = listener.protocol === 'HTTPS' ? 'https' : 'http';
    for (const route of listener.routes) {
      const request = literalRequest(route);
      if (request === undefined) continue;
      const host = sampleHost(route.hostnames[0] ?? listener.hostname);
      const url = `${scheme}://${address}${request.path}`;
      const key = `${request.method} ${host ?? ''} ${url} ${JSON.stringify(request.headers)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const parts = ['curl'];
      if (scheme === 'https') parts.push('-k');
      if (request.method !== 'GET') parts.push('-X', request.method);
      if (host !== undefined) parts.push('-H', quote(`Host: ${host}`));
      for (const [name, value] of request.headers) parts.push('-H', quote(`${name}: ${value}`));
      parts.push(url.includes('?') || url.includes('&') ? quote(url) : url);
      lines.push({
        method: request.method,
        url,
        ...(host === undefined ? {} : { host }),
        headers: request.headers,
        expect: expectation(route),
        command: parts.join(' '),
      });
    }
  }
  return lines;
}

interface LiteralRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
}

function literalRequest(route: FlatRoute): LiteralRequest | undefined {
  const matches = [...route.guards, route.match];
  if (matches.some((m) => m.path.type === 'RegularExpression')) return undefined;
  const headers = new Map<string, string>();
  const query = new Map<string, string>();
  let method: string | undefined;
  for (const match of matches) {
    if (!exactOnly(match)) return undefined;
    for (const h of match.headers) headers.set(h.name, h.value);
    for (const q of match.queryParams) query.set(q.name, q.value);
    method = match.method ?? method;
  }
  const search = [...query]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return {
    method: method ?? 'GET',
    path: `${route.match.path.value}${search === '' ? '' : `?${search}`}`,
    headers: [...headers],
  };
}

function exactOnly(match: CompiledMatch): boolean {
  return (
    match.headers.every((h) => h.type === 'Exact') &&
    match.queryParams.every((q) => q.type === 'Exact')
  );
}

/** `*.example.com` → `www.example.com`; undefined when any host will do. */
function sampleHost(hostname: string | undefined): string | undefined {
  if (hostname === undefined) return undefined;
  return hostname.startsWith('*.') ? `www.${hostname.slice(2)}` : hostname;
}

function expectation(route: FlatRoute): string {
  const action = route.action;
  switch (action.kind) {
    case 'forward':
      return action.backends
        .map(
          (b) =>
            `${b.group === '' && b.kind === 'Service' ? 'Service' : b.kind} ${b.namespace}/${b.name}:${b.port}`,
        )
        .join(' | ');
    case 'redirect':
      return `redirect ${action.redirect.statusCode}`;
    case 'respond':
      return `respond ${action.status} (${action.reason})`;
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
