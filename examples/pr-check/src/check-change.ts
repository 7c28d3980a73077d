/**
 * The check a team's pull request runs: compile the manifests as they are (base) and as the pull
 * request leaves them (head), then fail when
 *
 * - a route of the team would not attach: a parent entry of its status is not `Accepted` and
 *   `ResolvedRefs`, or no parent selects it at all;
 * - a route of the team would shadow another team: a request that one of the other team's routes
 *   serves on base is won by the team's route on head (probed with a request built from each of
 *   the other teams' matches, and explained with `explain`).
 *
 * Pure: objects in, problems out, as data. `main.ts` reads the folders and prints them.
 */
import { compile, explain, formatTrace, resolve } from '@switchyard/core';
import type {
  CompileOptions,
  Decision,
  FlatRoute,
  ResolveRequest,
  RouteRef,
  RouteTable,
} from '@switchyard/core';

export type Problem =
  | {
      readonly kind: 'not-attached';
      /** `namespace/name` of the team's route. */
      readonly route: string;
      /** The parent it was evaluated under, or undefined when nothing selects it. */
      readonly parent?: string;
      readonly reason: string;
      readonly message: string;
    }
  | {
      readonly kind: 'shadows';
      readonly route: string;
      /** The other team's route that serves the request on base. */
      readonly shadowed: string;
      readonly request: ResolveRequest;
      /** `explain` on head: why the team's route wins. */
      readonly explanation: string;
    };

export interface ChangeCheck {
  /** The namespace whose routes the pull request changes. */
  readonly team: string;
  readonly base: readonly unknown[];
  readonly head: readonly unknown[];
  readonly compile?: CompileOptions;
}

export function checkChange(check: ChangeCheck): Problem[] {
  const base = compile(check.base as Parameters<typeof compile>[0], check.compile);
  const head = compile(check.head as Parameters<typeof compile>[0], check.compile);
  return [...notAttached(check, head), ...shadows(check.team, base.table, head.table)];
}

function notAttached(check: ChangeCheck, head: ReturnType<typeof compile>): Problem[] {
  const problems: Problem[] = [];
  const teamRoutes = (
    check.head as { kind?: string; metadata?: { namespace?: string; name?: string } }[]
  )
    .filter((o) => o?.kind === 'HTTPRoute' && (o.metadata?.namespace ?? 'default') === check.team)
    .map((o) => `${check.team}/${o.metadata?.name ?? ''}`);
  for (const route of teamRoutes) {
    const status = head.statuses.find((s) => `${s.namespace}/${s.name}` === route);
    if (status === undefined || status.parents.length === 0) {
      problems.push({
        kind: 'not-attached',
        route,
        reason: 'NoParent',
        message:
          'no Gateway or parent route selects it: check its parentRefs, or the delegation label the parent selects',
      });
      continue;
    }
    for (const parent of status.parents) {
      for (const type of ['Accepted', 'ResolvedRefs']) {
        const condition = parent.conditions.find((c) => c.type === type);
        if (condition === undefined || condition.status === 'True') continue;
        const ref = parent.parentRef;
        problems.push({
          kind: 'not-attached',
          route,
          parent: `${ref.kind ?? 'Gateway'} ${ref.namespace ?? check.team}/${ref.name}`,
          reason: `${type}=False ${condition.reason}`,
          message: condition.message,
        });
      }
    }
  }
  return problems;
}

function owner(chain: readonly RouteRef[]): RouteRef {
  return chain[chain.length - 1]!;
}

function shadows(team: string, base: RouteTable, head: RouteTable): Problem[] {
  const problems: Problem[] = [];
  for (const listener of base.listeners) {
    for (const route of listener.routes) {
      const served = owner(route.chain);
      if (served.namespace === team) continue;
      const request = probe(route, listener.port, listener.protocol, listener.hostname);
      if (request === undefined) continue;
      const before = resolve(base, request);
      // The probe must reach this route on base, or it proves nothing about it.
      if (!wonBy(before, served)) continue;
      const after = resolve(head, request);
      if (after.kind === 'respond' && after.route === undefined) continue;
      const winner = after.kind === 'respond' ? after.route : after.route;
      if (winner === undefined || winner.namespace !== team) continue;
      problems.push({
        kind: 'shadows',
        route: `${winner.namespace}/${winner.name}`,
        shadowed: `${served.namespace}/${served.name}`,
        request,
        explanation: formatTrace(explain(head, request).trace),
      });
    }
  }
  return problems;
}

function wonBy(decision: Decision, ref: RouteRef): boolean {
  const route = decision.kind === 'respond' ? decision.route : decision.route;
  return (
    route !== undefined &&
    route.namespace === ref.namespace &&
    route.name === ref.name &&
    route.ruleIndex === ref.ruleIndex
  );
}

/** A request the route's match accepts, or undefined when it cannot be built (regexes). */
function probe(
  route: FlatRoute,
  port: number,
  protocol: 'HTTP' | 'HTTPS',
  listenerHost: string | undefined,
): ResolveRequest | undefined {
  const { match } = route;
  if (match.path.type === 'RegularExpression') return undefined;
  if (match.headers.some((h) => h.type !== 'Exact')) return undefined;
  if (match.queryParams.some((q) => q.type !== 'Exact')) return undefined;
  const host = concreteHost(route.hostnames[0] ?? listenerHost ?? 'probe.example.com');
  const query = match.queryParams.map(
    (q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`,
  );
  return {
    method: match.method ?? 'GET',
    host,
    path: query.length === 0 ? match.path.value : `${match.path.value}?${query.join('&')}`,
    headers: Object.fromEntries(match.headers.map((h) => [h.name, h.value])),
    port,
    scheme: protocol === 'HTTPS' ? 'https' : 'http',
  };
}

function concreteHost(pattern: string): string {
  return pattern.startsWith('*.') ? `probe${pattern.slice(1)}` : pattern;
}
