/**
 * `compile`: Kubernetes objects in, an immutable route table and statuses out. Stages, each in
 * its own file: normalise (api/) → listeners → attach → flatten/delegate → precedence → index
 * (match/) → freeze. Invalid input never throws: it becomes a status condition or a diagnostic.
 */
import type {
  NormalizedGateway,
  NormalizedMatch,
  NormalizedRoute,
  ObjectKey,
} from '../api/normalized.js';
import { normalize } from '../api/normalize.js';
import type { RouteRef } from '../decision.js';
import { buildListenerIndex } from '../match/build-index.js';
import { compileMatch } from '../match/compile-match.js';
import { tableLimits } from '../match/limits.js';
import { NONE } from '../match/none.js';
import type {
  Diagnostic,
  Finding,
  GatewayStatus,
  RouteStatus,
  StatusParentRef,
} from '../status.js';
import type {
  CompiledMatch,
  DelegatedScope,
  DelegationTarget,
  FlatRoute,
  RouteTable,
  TableListener,
} from '../table.js';
import { attachToGateway, isGatewayRef } from './attach.js';
import { isDelegationRef } from './delegate.js';
import { CompileEnv, type Candidate, type CompileOptions, type Link } from './env.js';
import { flattenRoute } from './flatten.js';
import { addressFindings, shadowFindings } from './gateway-findings.js';
import { deepFreeze } from '../match/freeze.js';
import { evaluateListeners, renderGatewayStatus, type ListenerState } from './listeners.js';
import { comparePrecedence } from './precedence.js';
import { StatusBook, statusParentRef } from './status-book.js';

export type { CompileOptions } from './env.js';

export interface CompileResult {
  /** The route table of the selected Gateway. */
  readonly table: RouteTable;
  /** One entry per HTTPRoute that any parent (Gateway or delegating route) evaluated. */
  readonly statuses: readonly RouteStatus[];
  /** Every Gateway, with listener statuses and attached route counts. */
  readonly gateways: readonly GatewayStatus[];
  /** Problems that belong to no route status: unparsable objects, unknown kinds, unknown parents. */
  readonly diagnostics: readonly Diagnostic[];
  /** Tenant situations that compile but that the platform must see (delegation.md rule 27). */
  readonly findings: readonly Finding[];
}

interface Served {
  readonly candidates: readonly Candidate[];
  readonly hostnames: readonly string[];
  readonly routeKey: string;
}

/**
 * Compiles Gateway API objects (and kgateway Backends) into a route table for one Gateway.
 *
 * @example
 * ```ts
 * const { table, statuses, diagnostics } = compile(objects, { gateway: { namespace: 'kgateway-system', name: 'http' } });
 * ```
 */
export function compile(input: readonly unknown[], options: CompileOptions = {}): CompileResult {
  const { objects, diagnostics } = normalize(input);
  const book = new StatusBook();
  const env = new CompileEnv(objects, book, options, diagnostics);
  const listenerStates = new Map<NormalizedGateway, ListenerState[]>();
  for (const gateway of objects.gateways)
    listenerStates.set(gateway, evaluateListeners(gateway, objects, options));
  const served = new Map<ListenerState, Served[]>();

  for (const route of objects.routes) {
    for (const ref of route.parentRefs.filter(isGatewayRef)) {
      const gateway = objects.gateways.find(
        (g) => g.namespace === ref.namespace && g.name === ref.name,
      );
      if (!gateway) {
        diagnostics.push({
          severity: 'warning',
          code: 'unknown-parent',
          message: `HTTPRoute ${route.key}: parent Gateway ${ref.namespace}/${ref.name} is not among the objects`,
          object: { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
        });
        continue;
      }
      const parentRef = statusParentRef(ref);
      const attached = attachToGateway(route, ref, listenerStates.get(gateway)!, objects);
      if (!attached.ok) {
        book.reject(route, parentRef, attached.reason, attached.message);
        reportReferences(route, parentRef, env);
        continue;
      }
      const candidates = flattenRoute(
        route,
        { parentRef, depth: 0, ancestors: [route.key], links: [] },
        env,
      );
      if (!book.isAccepted(route, parentRef)) continue;
      for (const { state, hostnames } of attached.listeners) {
        state.attached.add(route.key);
        const list = served.get(state) ?? [];
        if (!list.some((s) => s.routeKey === route.key))
          list.push({ candidates, hostnames, routeKey: route.key });
        served.set(state, list);
      }
    }
  }

  for (const list of served.values()) shadowFindings(list, env);
  addressFindings(objects, options.serviceAddresses ?? [], options.ownAddresses ?? [], env);

  const gateway = selectGateway(objects.gateways, options.gateway, diagnostics);
  const listeners = gateway ? listenerStates.get(gateway)!.filter((s) => s.serving) : [];
  const tableListeners = listeners.map((state) => buildListener(state, served.get(state) ?? []));
  const table: RouteTable = deepFreeze({
    ...(gateway ? { gateway: { namespace: gateway.namespace, name: gateway.name } } : {}),
    listeners: tableListeners,
    limits: tableLimits(options),
  });
  const gateways = objects.gateways.map((g) => renderGatewayStatus(g, listenerStates.get(g)!));
  return { table, statuses: book.render(), gateways, diagnostics, findings: env.findings };
}

/**
 * A parentRef that was not accepted still reports its references (S-3 with S-2): the route's own
 * backends are checked so that `ResolvedRefs` says what would be wrong once it attaches.
 * Delegations are not walked: children are evaluated only under a parent that is attached.
 */
function reportReferences(route: NormalizedRoute, parentRef: StatusParentRef, env: CompileEnv) {
  for (const rule of route.rules) {
    if (rule.backendRefs.some(isDelegationRef)) continue;
    for (const problem of env.action(route, rule).problems)
      env.book.unresolved(route, parentRef, problem.reason, problem.message);
  }
}

function buildListener(state: ListenerState, served: readonly Served[]): TableListener {
  const all = served.flatMap(({ candidates, hostnames }) =>
    candidates.map((candidate) => ({ candidate, hostnames })),
  );
  all.sort((a, b) => comparePrecedence(a.candidate, b.candidate));
  const entries = all.filter((entry) => entry.candidate.scope !== true);
  const scopeEntries = all.filter((entry) => entry.candidate.scope === true);
  // A parent's link and guard are shared by all the candidates flattened under it: one RouteRef
  // and one compiled guard each, instead of one per flattened route.
  const refs = new Map<Link, RouteRef>();
  const sharedRef = (link: Link): RouteRef => {
    let ref = refs.get(link);
    if (ref === undefined) refs.set(link, (ref = routeRef(link)));
    return ref;
  };
  const guards = new Map<NormalizedMatch, CompiledMatch>();
  const sharedGuard = (match: NormalizedMatch): CompiledMatch => {
    let compiled = guards.get(match);
    if (compiled === undefined) guards.set(match, (compiled = compileMatch(match)));
    return compiled;
  };
  const routes: FlatRoute[] = entries.map(({ candidate, hostnames }, rank) => ({
    rank,
    hostnames,
    match: compileMatch(candidate.match),
    guards: candidate.guards.length === 0 ? NONE : candidate.guards.map(sharedGuard),
    action: candidate.action,
    chain: candidate.links.map(sharedRef),
    weight: candidate.weight,
  }));
  const scopes: DelegatedScope[] = scopeEntries.map(({ candidate, hostnames }) => ({
    hostnames,
    match: compileMatch(candidate.match),
    guards: candidate.guards.length === 0 ? NONE : candidate.guards.map(sharedGuard),
    chain: candidate.links.map(sharedRef),
    selects: selectsOf(candidate.links[candidate.links.length - 1]!),
  }));
  const { listener } = state;
  return {
    name: listener.name,
    port: listener.port,
    protocol: listener.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    ...(listener.hostname !== undefined ? { hostname: listener.hostname } : {}),
    certificateRefs: (listener.tls?.certificateRefs ?? []).map(({ namespace, name }) => ({
      namespace,
      name,
    })),
    routes,
    ...(scopes.length > 0 ? { scopes } : {}),
    // The index is opaque outside match/ and never written after it is built: freezing it only at
    // the top keeps `deepFreeze` from walking every trie node (a fifth of compile at 10k routes).
    index: Object.freeze(buildListenerIndex(routes)),
  };
}

/** The delegation backendRefs of the delegating rule at `link`. */
function selectsOf(link: Link): DelegationTarget[] {
  return link.rule.backendRefs
    .filter(isDelegationRef)
    .map(({ group, kind, namespace, name }) => ({ group, kind, namespace, name }));
}

function routeRef(link: Link): RouteRef {
  return {
    namespace: link.route.namespace,
    name: link.route.name,
    ruleIndex: link.rule.index,
    matchIndex: link.matchIndex,
    ...(link.rule.name !== undefined ? { ruleName: link.rule.name } : {}),
  };
}

function selectGateway(
  gateways: readonly NormalizedGateway[],
  wanted: ObjectKey | undefined,
  diagnostics: Diagnostic[],
): NormalizedGateway | undefined {
  if (wanted) {
    const found = gateways.find((g) => g.namespace === wanted.namespace && g.name === wanted.name);
    if (!found) {
      diagnostics.push({
        severity: 'error',
        code: 'unknown-gateway',
        message: `Gateway ${wanted.namespace}/${wanted.name} is not among the objects; the table is empty`,
      });
    }
    return found;
  }
  return gateways[0];
}
