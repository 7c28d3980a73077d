/**
 * Rule 27 and decision 21, over the whole compile: routes attached to the Gateway that claim
 * requests inside a prefix delegated to another namespace, and static Backends (or Services)
 * whose address belongs to another namespace's Service or to the gateway itself.
 */
import type { NormalizedMatch, NormalizedObjects, NormalizedRoute } from '../api/normalized.js';
import { canonicalPathValue } from '../match/normalize-path.js';
import { regexLiteralPrefix } from '../match/regex.js';
import { prefixStem, withinPrefix } from './containment.js';
import type { Candidate, CompileEnv, Link } from './env.js';
import { intersectHostname } from './hostnames.js';

export interface ServedCandidates {
  readonly candidates: readonly Candidate[];
  readonly hostnames: readonly string[];
}

/** A top-level prefix delegated to one namespace (for shadowing findings; not a table scope). */
interface DelegatedPrefix {
  readonly parent: NormalizedRoute;
  readonly prefix: string;
  readonly namespace: string;
  readonly hostnames: readonly string[];
}

/** `shadows-delegated-prefix`, for the candidates served on one listener. */
export function shadowFindings(served: readonly ServedCandidates[], env: CompileEnv): void {
  const byPrefix = new Map<string, DelegatedPrefix[]>();
  // Candidates flattened under one parent match share its Link object: each (link, namespace,
  // hostnames) is looked at once, not once per flattened route.
  const seen = new Map<Link, Set<string>>();
  for (const { candidates, hostnames } of served) {
    const hostKey = hostnames.join(',');
    let lastTop: Link | undefined;
    let lastNamespace = '';
    for (const c of candidates) {
      if (c.links.length < 2) continue;
      const top = c.links[0]!;
      const namespace = c.links[1]!.route.namespace;
      // Candidates of one parent match come together: skip the repeats without building a key.
      if (top === lastTop && namespace === lastNamespace) continue;
      lastTop = top;
      lastNamespace = namespace;
      const key = `${namespace}|${hostKey}`;
      let keys = seen.get(top);
      if (keys === undefined) seen.set(top, (keys = new Set()));
      if (keys.has(key)) continue;
      keys.add(key);
      const path = top.rule.matches[top.matchIndex]?.path;
      if (path?.type !== 'PathPrefix') continue;
      const prefix = prefixStem(canonicalPathValue(path.value));
      const list = byPrefix.get(prefix) ?? [];
      list.push({ parent: top.route, prefix, namespace, hostnames });
      byPrefix.set(prefix, list);
    }
  }
  if (byPrefix.size === 0) return;
  const all = [...byPrefix.values()].flat();
  for (const { candidates, hostnames } of served) {
    for (const c of candidates) {
      if (c.links.length !== 1) continue;
      const route = c.links[0]!.route;
      for (const scope of claimedScopes(c.match, byPrefix, all)) {
        if (route === scope.parent || route.namespace === scope.parent.namespace) continue;
        if (route.namespace === scope.namespace || !overlap(hostnames, scope.hostnames)) continue;
        const link = c.links[0]!;
        env.find({
          code: 'shadows-delegated-prefix',
          severity: 'error',
          object: { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
          path: `spec.rules[${link.rule.index}].matches[${link.matchIndex}]`,
          affects: [scope.namespace],
          message: `${route.key} is attached to the Gateway and claims ${c.match.path.type} ${c.match.path.value}, inside the prefix ${scope.prefix} that ${scope.parent.key} delegates to namespace ${scope.namespace}`,
        });
      }
    }
  }
}

/**
 * The delegated scopes a direct match reaches into. An Exact or PathPrefix value inside a scope's
 * prefix; a regex (which ranks before every PathPrefix) whose literal prefix is inside the scope
 * or is itself a prefix of the scope's prefix.
 */
function claimedScopes(
  match: NormalizedMatch,
  byPrefix: ReadonlyMap<string, readonly DelegatedPrefix[]>,
  all: readonly DelegatedPrefix[],
): readonly DelegatedPrefix[] {
  if (match.path.type === 'RegularExpression') {
    const literal = canonicalPathValue(regexLiteralPrefix(match.path.value));
    return all.filter((s) => withinPrefix(s.prefix, literal) || s.prefix.startsWith(literal));
  }
  const value = match.path.value;
  const found: DelegatedPrefix[] = [...(byPrefix.get('/') ?? [])];
  // Every segment boundary of the value is a stem a scope may be keyed by (`/` is taken above).
  for (let i = value.length; i > 0; i = value.lastIndexOf('/', i - 1)) {
    const stem = value.slice(0, i);
    if (stem === '/') continue;
    for (const scope of byPrefix.get(stem) ?? [])
      if (withinPrefix(scope.prefix, value)) found.push(scope);
  }
  return found;
}

function overlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.some((x) => b.some((y) => intersectHostname(x, y) !== undefined));
}

/** A known address of a Service, for `backend-address-of-foreign-service` (CompileOptions). */
export interface ServiceAddress {
  readonly namespace: string;
  readonly name: string;
  /** Undefined: every port of the host. */
  readonly port?: number;
  readonly host: string;
}

/** One of the gateway's own listener or admin addresses (decision 21). */
export interface OwnAddress {
  readonly host: string;
  /** Undefined: every port of the host. */
  readonly port?: number;
}

const sameAddress = (a: { host: string; port?: number }, host: string, port: number) =>
  a.host.toLowerCase() === host.toLowerCase() && (a.port === undefined || a.port === port);

/** `backend-address-of-foreign-service` and `self-target`. */
export function addressFindings(
  objects: NormalizedObjects,
  services: readonly ServiceAddress[],
  own: readonly OwnAddress[],
  env: CompileEnv,
): void {
  for (const backend of objects.backends.values()) {
    const object = { kind: 'Backend', namespace: backend.namespace, name: backend.name };
    backend.hosts.forEach(({ host, port }, i) => {
      const path = `spec.static.hosts[${i}]`;
      for (const service of services) {
        if (service.namespace === backend.namespace || !sameAddress(service, host, port)) continue;
        env.find({
          code: 'backend-address-of-foreign-service',
          severity: 'error',
          object,
          path,
          affects: [service.namespace],
          reached: [{ kind: 'Service', namespace: service.namespace, name: service.name }],
          message: `${host}:${port} is an address of Service ${service.namespace}/${service.name}; a Backend reaches another namespace's Service only through a backendRef and a ReferenceGrant`,
        });
      }
      if (own.some((a) => sameAddress(a, host, port)))
        env.find(selfTarget(object, path, `${host}:${port}`));
    });
  }
  // Services whose known address is the gateway's own, when a route sends (or mirrors) to them.
  const selfServices = new Set(
    services
      .filter((s) => own.some((a) => sameAddress(a, s.host, s.port ?? a.port ?? 0)))
      .map((s) => `${s.namespace}/${s.name}`),
  );
  if (selfServices.size === 0) return;
  for (const route of objects.routes) {
    for (const rule of route.rules) {
      const refs = [
        ...rule.backendRefs.map((ref, j) => ({
          ref,
          path: `spec.rules[${rule.index}].backendRefs[${j}]`,
        })),
        ...rule.filters.flatMap((f, j) =>
          f.type === 'RequestMirror'
            ? [{ ref: f.mirror.backendRef, path: `spec.rules[${rule.index}].filters[${j}]` }]
            : [],
        ),
      ];
      for (const { ref, path } of refs) {
        if (ref.group !== '' || ref.kind !== 'Service') continue;
        const key = `${ref.namespace}/${ref.name}`;
        if (!selfServices.has(key)) continue;
        env.find(
          selfTarget(
            { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
            path,
            `Service ${key}`,
          ),
        );
      }
    }
  }
}

function selfTarget(
  object: { kind: string; namespace: string; name: string },
  path: string,
  target: string,
) {
  return {
    code: 'self-target' as const,
    severity: 'error' as const,
    object,
    path,
    affects: [],
    message: `${target} is one of the gateway's own addresses: requests would loop back into the gateway (decision 21, answered 508 at run time)`,
  };
}
