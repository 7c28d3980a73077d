/**
 * The case runner's target for the Kubernetes source: a case file's objects go into a fake API
 * server, one source per Gateway watches it (as one Switchyard deployment per Gateway would, each
 * with its own controllerName), requests are resolved on the source's table, and statuses are
 * read back from the server, where the sources wrote them. So every case checks the whole loop:
 * list/watch → compile → status write-back, not just `compile`.
 */
import { resolve, type GatewayStatus, type RouteStatus } from '@switchyard/core';
import {
  caseCompileOptions,
  coreTarget,
  observeDecision,
  type CaseFile,
  type CaseSession,
  type CaseTarget,
  type NormalizedRequest,
  type ObservedStatuses,
  withTlsMaterial,
} from '@switchyard/test-kit';
import { createKubernetesSource, type KubernetesSource } from '../src/index.js';
import { createFakeApiServer, type FakeApiServer, type FakeObject } from '../src/testing/index.js';
import { caughtUp } from './fixtures.js';

type CaseObject = Readonly<Record<string, unknown>>;
interface Key {
  readonly namespace: string;
  readonly name: string;
}

/** Kinds the fake serves; anything else in a case (TLSRoute, made-up kinds) is compile noise. */
const SERVED_KINDS = new Set([
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'ReferenceGrant',
  'Service',
  'Namespace',
  'Secret',
  'Backend',
]);

/** @example runCases({ target: kubernetesTarget(), dirs: [casesDir.gatewayApi, casesDir.delegation] }); */
export function kubernetesTarget(): CaseTarget {
  const core = coreTarget();
  return {
    name: 'kubernetes',
    supports: (feature) => core.supports(feature),
    canObserve: (what) => core.canObserve(what),
    open: (caseFile) => KubernetesSession.open(caseFile),
  };
}

class KubernetesSession implements CaseSession {
  private readonly sources = new Map<string, KubernetesSource>();
  private settled = false;

  private constructor(
    private readonly caseFile: CaseFile,
    private readonly api: FakeApiServer,
  ) {}

  static async open(caseFile: CaseFile): Promise<KubernetesSession> {
    // Precedence ties fall to creation times, which the case files give.
    const api = await createFakeApiServer({ keepCreationTimestamps: true });
    const session = new KubernetesSession(caseFile, api);
    session.sync(caseFile.objects);
    // Every Gateway gets its replica, so that every Gateway's statuses are written.
    for (const gateway of gatewaysOf(caseFile.objects)) session.sourceFor(gateway);
    session.sourceFor(defaultGateway(caseFile));
    await Promise.all([...session.sources.values()].map((s) => s.ready));
    return session;
  }

  async send(original: NormalizedRequest) {
    await this.settle();
    const request = withGatewayAddress(original);
    const source = this.sourceFor(request.gateway);
    await source.ready;
    await this.settle();
    const decision = resolve(source.current(), {
      method: request.method,
      path: request.path,
      ...(request.host === undefined ? {} : { host: request.host }),
      headers: request.headers,
      port: request.port,
      scheme: request.scheme,
      ...(request.sni === undefined ? {} : { sni: request.sni }),
    });
    return observeDecision(decision, request, true);
  }

  async statuses(): Promise<ObservedStatuses> {
    await this.settle();
    return readStatuses(this.api);
  }

  async apply(_step: unknown, objects: readonly CaseObject[]): Promise<void> {
    this.sync(objects);
    this.settled = false;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sources.values()].map((s) => s.close()));
    await this.api.close();
  }

  private sourceFor(gateway: Key): KubernetesSource {
    const key = `${gateway.namespace}/${gateway.name}`;
    let source = this.sources.get(key);
    if (!source) {
      source = createKubernetesSource({
        kubeConfig: this.api.kubeConfig(),
        gateway,
        controllerName: controllerFor(gateway),
        debounceMs: 1,
        backoff: { initialMs: 5, maxMs: 50 },
        leaderElection: false,
        tlsSecrets: true,
        compileOptions: caseCompileOptions(this.caseFile),
      });
      this.sources.set(key, source);
      this.settled = false;
    }
    return source;
  }

  /** Until every source saw the server's revision and wrote what it had to. */
  private async settle(): Promise<void> {
    if (this.settled) return;
    for (let round = 0; round < 20; round++) {
      const revision = this.api.revision();
      for (const source of this.sources.values()) await caughtUp(this.api, source);
      if (this.api.revision() === revision) break;
    }
    this.settled = true;
  }

  /** Makes the server hold exactly `objects` (the kinds it serves). */
  private sync(objects: readonly CaseObject[]): void {
    // The corpus's placeholder TLS Secrets get real PEM, as the core checks their shape.
    const wanted = (
      withTlsMaterial(objects).filter(
        (o) => SERVED_KINDS.has(String(o['kind'])) && nameOf(o) !== '',
      ) as FakeObject[]
    ).flatMap(withOwnClass);
    const keep = new Set(wanted.map(refKey));
    for (const kind of SERVED_KINDS) {
      for (const stored of this.api.list(kind))
        if (!keep.has(refKey(stored))) this.api.delete(refOf(stored));
    }
    for (const object of wanted) {
      const { generation: _g, resourceVersion: _r, ...metadata } = object.metadata;
      this.api.apply({ ...structuredClone(object), metadata });
    }
  }
}

/** Each Gateway's replica has its own controllerName (their route status entries stay apart). */
function controllerFor(gateway: Key): string {
  return `switchyard.dev/${gateway.namespace}.${gateway.name}`;
}

/**
 * A Gateway is served only when its GatewayClass is its replica's: each Gateway gets a class of
 * its own, owned by its replica's controllerName (the class a case names is not the point of it).
 */
function withOwnClass(object: FakeObject): FakeObject[] {
  if (object.kind !== 'Gateway') return [object];
  const key = { namespace: object.metadata.namespace ?? 'default', name: object.metadata.name };
  const className = `switchyard-${key.namespace}.${key.name}`;
  const spec = { ...(object['spec'] as object), gatewayClassName: className };
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: className },
      spec: { controllerName: controllerFor(key) },
    },
    { ...object, spec },
  ];
}

function nameOf(object: CaseObject): string {
  const name = (object['metadata'] as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function refOf(object: FakeObject) {
  return {
    kind: object.kind ?? '',
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

function refKey(object: FakeObject): string {
  const namespace = object.kind === 'Namespace' ? '' : (object.metadata.namespace ?? 'default');
  return `${object.kind}/${namespace}/${object.metadata.name}`;
}

function gatewaysOf(objects: readonly CaseObject[]): Key[] {
  return objects
    .filter((o) => o['kind'] === 'Gateway' && nameOf(o) !== '')
    .map((o) => ({
      namespace: String((o['metadata'] as { namespace?: unknown }).namespace ?? 'default'),
      name: nameOf(o),
    }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** The Gateway statuses are checked against: the case's, else the first by namespace/name. */
function defaultGateway(caseFile: CaseFile): Key {
  return (
    caseFile.gateway ?? gatewaysOf(caseFile.objects)[0] ?? { namespace: 'default', name: 'none' }
  );
}

/** Route and Gateway statuses as the sources wrote them, in the core's shapes. */
function readStatuses(api: FakeApiServer): ObservedStatuses {
  const routes: RouteStatus[] = [];
  for (const route of api.list('HTTPRoute')) {
    const parents = (
      (route.status as { parents?: Record<string, unknown>[] } | undefined)?.parents ?? []
    ).map((entry) => ({
      parentRef: entry['parentRef'] as RouteStatus['parents'][number]['parentRef'],
      conditions: withoutTimes(entry['conditions']),
    }));
    if (parents.length > 0)
      routes.push({
        kind: 'HTTPRoute',
        namespace: route.metadata.namespace ?? '',
        name: route.metadata.name,
        parents,
      });
  }
  const gateways: GatewayStatus[] = api.list('Gateway').map((gateway) => {
    const status = (gateway.status ?? {}) as {
      conditions?: unknown;
      listeners?: Record<string, unknown>[];
    };
    return {
      kind: 'Gateway',
      namespace: gateway.metadata.namespace ?? '',
      name: gateway.metadata.name,
      conditions: withoutTimes(status.conditions),
      listeners: (status.listeners ?? []).map((listener) => ({
        name: String(listener['name']),
        attachedRoutes: Number(listener['attachedRoutes']),
        supportedKinds: listener[
          'supportedKinds'
        ] as GatewayStatus['listeners'][number]['supportedKinds'],
        conditions: withoutTimes(listener['conditions']),
      })),
    };
  });
  return { routes, gateways };
}

function withoutTimes(conditions: unknown): RouteStatus['parents'][number]['conditions'] {
  return ((conditions as Record<string, unknown>[] | undefined) ?? []).map(
    ({ lastTransitionTime: _t, ...rest }) => rest,
  ) as unknown as RouteStatus['parents'][number]['conditions'];
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/** As the core target: a request without a host carries the Gateway's address (RFC 5737). */
function withGatewayAddress(request: NormalizedRequest): NormalizedRequest {
  if (request.host !== undefined) return request;
  const port = request.port === DEFAULT_PORTS[request.scheme] ? '' : `:${request.port}`;
  return { ...request, host: `192.0.2.1${port}` };
}
