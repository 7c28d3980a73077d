/**
 * The reference matcher: slow and obviously correct, for differential tests of `resolve`.
 *
 * No index, no precomputation: every route of the chosen listener is considered, sorted by
 * (route hostname specificity, rank), and checked match by match with the plainest definitions:
 * split-and-compare for PathPrefix, JavaScript's own RegExp (anchored) for the regexes (the
 * generated patterns mean the same in RE2 and JavaScript), a linear scan over the headers.
 * Only path normalisation is shared with the production code; it has its own tests.
 */
import type { ResolveRequest } from '../../src/decision.js';
import { normalizeRequestPath } from '../../src/match/normalize-path.js';
import type { CompiledMatch, FlatRoute, RouteTable, TableListener } from '../../src/table.js';

export interface ReferenceResult {
  readonly status?: number;
  readonly listener?: TableListener;
  readonly route?: FlatRoute;
}

export function referenceResolve(table: RouteTable, request: ResolveRequest): ReferenceResult {
  const normalized = normalizeRequestPath(request.path);
  if (!normalized.ok) return { status: 400 };
  const [path, ...rest] = normalized.path.split('?');
  const query = rest.length === 0 ? undefined : rest.join('?');
  const rawHost = request.host ?? headerValue(request, 'host');
  const host =
    rawHost === undefined || rawHost === '' ? undefined : stripPort(rawHost).toLowerCase();

  const protocol = request.scheme === 'https' ? 'HTTPS' : 'HTTP';
  const port = request.port ?? table.listeners.find((l) => l.protocol === protocol)?.port;
  const onPort = table.listeners.filter((l) => l.protocol === protocol && l.port === port);
  const byHost = best(onPort, (l) => listenerSpecificity(l.hostname, host));
  if (byHost === undefined) return { status: 404 };
  if (protocol === 'HTTPS' && request.sni !== undefined) {
    const bySni = best(onPort, (l) => listenerSpecificity(l.hostname, request.sni!.toLowerCase()));
    if (bySni !== byHost) return { status: 421, listener: byHost };
  }

  const candidates = byHost.routes
    .map((route) => ({ route, specificity: routeSpecificity(route.hostnames, host) }))
    .filter(
      (c): c is { route: FlatRoute; specificity: [number, number] } => c.specificity !== undefined,
    )
    .sort(
      (a, b) =>
        b.specificity[0] - a.specificity[0] ||
        b.specificity[1] - a.specificity[1] ||
        a.route.rank - b.route.rank,
    );
  const matches = (m: CompiledMatch) => matchHolds(m, request, path!, query);
  const winner = candidates.find(
    ({ route }) => matches(route.match) && route.guards.every(matches),
  );
  return winner === undefined
    ? { status: 404, listener: byHost }
    : { listener: byHost, route: winner.route };
}

function best<T>(
  items: readonly T[],
  score: (item: T) => [number, number] | undefined,
): T | undefined {
  let chosen: T | undefined;
  let chosenScore: [number, number] | undefined;
  for (const item of items) {
    const s = score(item);
    if (s === undefined) continue;
    if (
      chosenScore === undefined ||
      s[0] > chosenScore[0] ||
      (s[0] === chosenScore[0] && s[1] > chosenScore[1])
    ) {
      chosen = item;
      chosenScore = s;
    }
  }
  return chosen;
}

/** [2, 0] exact, [1, length] wildcard, [0, 0] any; undefined: no match. */
function listenerSpecificity(
  hostname: string | undefined,
  host: string | undefined,
): [number, number] | undefined {
  if (hostname === undefined) return [0, 0];
  if (host === undefined) return undefined;
  if (hostname === host) return [2, 0];
  if (hostname.startsWith('*.') && wildcardMatches(hostname, host)) return [1, hostname.length];
  return undefined;
}

function routeSpecificity(
  hostnames: readonly string[],
  host: string | undefined,
): [number, number] | undefined {
  if (hostnames.length === 0) return [0, 0];
  const scores = hostnames.map((h) => listenerSpecificity(h === '*' ? undefined : h, host));
  return best(
    scores.filter((s): s is [number, number] => s !== undefined),
    (s) => s,
  );
}

/** `*.example.com` matches `a.example.com` and `a.b.example.com`, never `example.com`. */
function wildcardMatches(pattern: string, host: string): boolean {
  const labels = host.split('.');
  const suffix = pattern.slice(2).split('.');
  if (labels.length <= suffix.length) return false;
  return suffix.every((label, i) => labels[labels.length - suffix.length + i] === label);
}

function matchHolds(
  match: CompiledMatch,
  request: ResolveRequest,
  path: string,
  query: string | undefined,
): boolean {
  if (match.method !== undefined && match.method !== request.method) return false;
  if (!pathHolds(match.path.type, match.path.value, path)) return false;
  for (const header of match.headers) {
    const value = headerValue(request, header.name);
    if (value === undefined || !valueHolds(header.type, header.value, value)) return false;
  }
  const params = parseQueryPlainly(query);
  for (const param of match.queryParams) {
    const value = params.find(([name]) => name === param.name)?.[1];
    if (value === undefined || !valueHolds(param.type, param.value, value)) return false;
  }
  return true;
}

export function pathHolds(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return new RegExp(`^(?:${value})$`).test(path);
  const prefix = value.replace(/\/+$/, '').split('/');
  const segments = path.split('/');
  return prefix.length <= segments.length && prefix.every((segment, i) => segments[i] === segment);
}

function valueHolds(type: string, expected: string, actual: string): boolean {
  return type === 'Exact' ? actual === expected : new RegExp(`^(?:${expected})$`).test(actual);
}

function headerValue(request: ResolveRequest, name: string): string | undefined {
  const values: string[] = [];
  for (const [key, value] of Object.entries(request.headers ?? {})) {
    if (key.toLowerCase() !== name.toLowerCase() || value === undefined) continue;
    values.push(typeof value === 'string' ? value : value.join(','));
  }
  return values.length === 0 ? undefined : values.join(',');
}

function parseQueryPlainly(query: string | undefined): [string, string][] {
  if (query === undefined) return [];
  return query
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const eq = piece.indexOf('=');
      return eq === -1
        ? [decodeOr(piece), '']
        : [decodeOr(piece.slice(0, eq)), decodeOr(piece.slice(eq + 1))];
    });
}

function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function stripPort(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  return authority.split(':')[0]!;
}
