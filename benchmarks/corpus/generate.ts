/**
 * The route corpus every core benchmark shares: the platform story at scale. One Gateway, the
 * platform team's HTTPRoutes delegating `/team-N` to the child routes labelled `team-N` in the
 * team's namespace (one rule per team, 16 teams per platform route: the Gateway API allows at
 * most 16 rules), and per team `svc-M` child routes with the {@link ROUTE_TEMPLATES} under
 * `/team-N/svc-M`, each forwarding to its own Service.
 */
import type {
  Gateway,
  HTTPRoute,
  HTTPRouteRule,
  KubernetesObject,
  Namespace,
  Service,
} from '@switchyard/core';
import { DELEGATION_GROUP, DELEGATION_LABEL, GATEWAY_GROUP } from '@switchyard/core';
import { layoutFor, ROUTE_TEMPLATES, type CorpusLayout } from './layout.js';

export const HOST = 'api.example.com';
export const GATEWAY = { namespace: 'infra', name: 'http' } as const;
/** `spec.rules` holds at most 16 items, so teams are spread over several platform routes. */
export const TEAMS_PER_PLATFORM_ROUTE = 16;
const CREATED = '2024-01-01T00:00:00Z';

export interface Corpus extends CorpusLayout {
  /** Kubernetes objects, ready for `compile`. */
  readonly objects: readonly KubernetesObject[];
}

export function teamName(team: number): string {
  return `team-${team}`;
}

export function childName(child: number): string {
  return `svc-${child}`;
}

/** `/team-N/svc-M`: the prefix every rule of that child route lives under. */
export function childPrefix(team: number, child: number): string {
  return `/${teamName(team)}/${childName(child)}`;
}

/**
 * Builds the objects for a corpus of `routes` flattened routes (a multiple of 10).
 *
 * @example
 * ```ts
 * const corpus = generateCorpus(1_000);
 * const { table } = compile(corpus.objects);
 * table.listeners[0]!.routes.length; // 1000
 * ```
 */
export function generateCorpus(routes: number): Corpus {
  const layout = layoutFor(routes);
  const objects: KubernetesObject[] = [namespace(GATEWAY.namespace), gateway()];
  for (let first = 0; first < layout.teams; first += TEAMS_PER_PLATFORM_ROUTE) {
    objects.push(platformRoute(first, Math.min(layout.teams, first + TEAMS_PER_PLATFORM_ROUTE)));
  }
  for (let team = 0; team < layout.teams; team++) {
    objects.push(namespace(teamName(team)));
    for (let child = 0; child < layout.childrenPerTeam; child++) {
      objects.push(service(team, child), childRoute(team, child));
    }
  }
  return { ...layout, objects };
}

function namespace(name: string): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  };
}

function gateway(): Gateway {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { ...GATEWAY },
    spec: {
      gatewayClassName: 'switchyard',
      listeners: [
        {
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    },
  };
}

/** The platform route that delegates `/team-N`. */
export function platformRouteName(team: number): string {
  return `platform-${Math.floor(team / TEAMS_PER_PLATFORM_ROUTE)}`;
}

/** A platform parent for teams `[first, end)`: one rule per team, delegating by label. */
function platformRoute(first: number, end: number): HTTPRoute {
  const rules: HTTPRouteRule[] = [];
  for (let team = first; team < end; team++) {
    rules.push({
      matches: [{ path: { type: 'PathPrefix', value: `/${teamName(team)}` } }],
      backendRefs: [
        { group: DELEGATION_GROUP, kind: 'label', name: teamName(team), namespace: teamName(team) },
      ],
    });
  }
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: {
      namespace: GATEWAY.namespace,
      name: platformRouteName(first),
      creationTimestamp: CREATED,
    },
    spec: { parentRefs: [{ name: GATEWAY.name }], hostnames: [HOST], rules },
  };
}

function service(team: number, child: number): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: childName(child), namespace: teamName(team) },
    spec: { ports: [{ port: 8080 }] },
  };
}

/** A team's child route; it consents to its platform parent only (delegation rule 3). */
function childRoute(team: number, child: number): HTTPRoute {
  const prefix = childPrefix(team, child);
  const rules: HTTPRouteRule[] = ROUTE_TEMPLATES.map((template) => ({
    matches: [
      {
        path: { type: template.type, value: prefix + template.suffix },
        ...(template.method !== undefined ? { method: template.method } : {}),
        ...(template.header !== undefined
          ? { headers: [{ type: 'Exact' as const, ...template.header }] }
          : {}),
      },
    ],
    backendRefs: [{ name: childName(child), port: 8080 }],
  }));
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: {
      name: childName(child),
      namespace: teamName(team),
      labels: { [DELEGATION_LABEL]: teamName(team) },
      creationTimestamp: CREATED,
    },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_GROUP,
          kind: 'HTTPRoute',
          namespace: GATEWAY.namespace,
          name: platformRouteName(team),
        },
      ],
      rules,
    },
  };
}
