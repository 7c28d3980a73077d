/**
 * Small builders for delegation tests: a Gateway `infra/gw` on port 80 admitting routes from every
 * namespace, a parent route on `api.example.com`, children, and Services.
 */
import {
  compile,
  resolve,
  type CompileOptions,
  type Decision,
  type RouteStatus,
} from '@switchyard/core';

type Json = Record<string, unknown>;

export const gateway: Json = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'infra' },
  spec: {
    gatewayClassName: 'switchyard',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ],
  },
};

export function service(namespace: string, name: string, port = 8080): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { ports: [{ port }] },
  };
}

export function route(
  namespace: string,
  name: string,
  spec: Json,
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  } = {},
): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace, name, ...metadata },
    spec,
  };
}

export const toGateway = { parentRefs: [{ name: 'gw', namespace: 'infra' }] };

export function prefix(value: string): Json {
  return { path: { type: 'PathPrefix', value } };
}

export function backend(name: string, port = 8080, namespace?: string): Json {
  return { name, port, ...(namespace ? { namespace } : {}) };
}

export function byLabel(value: string, namespace = 'all'): Json {
  return { group: 'delegation.kgateway.dev', kind: 'label', name: value, namespace };
}

export function byName(name: string, namespace?: string): Json {
  return {
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    name,
    ...(namespace ? { namespace } : {}),
  };
}

/** The platform's parent: `api.example.com`, one rule per prefix, each delegating by label. */
export function parent(delegations: Record<string, Json>, extra: Json = {}): Json {
  return route('infra', 'api', {
    ...toGateway,
    hostnames: ['api.example.com'],
    rules: Object.entries(delegations).map(([path, ref]) => ({
      matches: [prefix(path)],
      backendRefs: [ref],
    })),
    ...extra,
  });
}

export function child(
  namespace: string,
  name: string,
  rules: Json[],
  label?: string,
  extra: Json = {},
  metadata: Json = {},
): Json {
  return route(
    namespace,
    name,
    { rules, ...extra },
    { ...(label ? { labels: { 'delegation.kgateway.dev/label': label } } : {}), ...metadata },
  );
}

export function build(objects: Json[], options: CompileOptions = {}) {
  const result = compile([gateway, ...objects], options);
  const send = (
    path: string,
    init: { method?: string; host?: string; headers?: Record<string, string> } = {},
  ): Decision =>
    resolve(result.table, {
      method: init.method ?? 'GET',
      host: init.host ?? 'api.example.com',
      path,
      ...(init.headers ? { headers: init.headers } : {}),
    });
  const where = (path: string, init?: Parameters<typeof send>[1]): string =>
    describe(send(path, init));
  const status = (routeKey: string, parentKind: 'Gateway' | 'HTTPRoute', parentKey: string) =>
    findStatus(result.statuses, routeKey, parentKind, parentKey);
  return { ...result, send, where, status };
}

/** `ns/name:port` for a single forward, `status N` for a response, `redirect N location`. */
export function describe(decision: Decision): string {
  switch (decision.kind) {
    case 'forward':
      return decision.backends.map((b) => `${b.namespace}/${b.name}:${b.port}`).join(',');
    case 'redirect':
      return `redirect ${decision.status} ${decision.location}`;
    case 'respond':
      return `status ${decision.status}`;
  }
}

export function findStatus(
  statuses: readonly RouteStatus[],
  routeKey: string,
  parentKind: string,
  parentKey: string,
) {
  const [namespace, name] = routeKey.split('/');
  const [pns, pname] = parentKey.split('/');
  const route = statuses.find((s) => s.namespace === namespace && s.name === name);
  const entry = route?.parents.find(
    (p) =>
      p.parentRef.kind === parentKind &&
      p.parentRef.namespace === pns &&
      p.parentRef.name === pname,
  );
  if (!entry) return undefined;
  const byType = Object.fromEntries(entry.conditions.map((c) => [c.type, c]));
  return { entry, ...byType } as { entry: typeof entry } & Record<
    string,
    { status: string; reason: string; message: string } | undefined
  >;
}
