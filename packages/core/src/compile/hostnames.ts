/**
 * Hostname intersection between a listener and a route (H-4, H-5). Hostnames here are
 * lower-case; a wildcard is `*.` followed by a suffix and matches one or more labels.
 */

/** Whether `host` (precise) is matched by `pattern` (precise or wildcard). */
export function hostnameMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/** The intersection of two hostnames, or undefined when they do not overlap. */
export function intersectHostname(a: string, b: string): string | undefined {
  const aWild = a.startsWith('*.');
  const bWild = b.startsWith('*.');
  if (!aWild && !bWild) return a === b ? a : undefined;
  if (aWild && !bWild) return hostnameMatches(a, b) ? b : undefined;
  if (!aWild && bWild) return hostnameMatches(b, a) ? a : undefined;
  // Both wildcards: the more specific one, when it lies within the other.
  if (a === b) return a;
  if (hostnameMatches(a, b.slice(2))) return b;
  if (hostnameMatches(b, a.slice(2))) return a;
  return undefined;
}

/**
 * The hostnames a route serves on a listener: `[]` means every host. `undefined` means the
 * route and the listener share no hostname, so the listener does not accept the route.
 */
export function effectiveHostnames(
  listenerHostname: string | undefined,
  routeHostnames: readonly string[],
): readonly string[] | undefined {
  if (routeHostnames.length === 0) return listenerHostname === undefined ? [] : [listenerHostname];
  if (listenerHostname === undefined) return routeHostnames;
  const result: string[] = [];
  for (const hostname of routeHostnames) {
    const shared = intersectHostname(listenerHostname, hostname);
    if (shared !== undefined && !result.includes(shared)) result.push(shared);
  }
  return result.length > 0 ? result : undefined;
}
