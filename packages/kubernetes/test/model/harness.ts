/**
 * The real system (fake API server + Kubernetes source) next to the model (the objects the test
 * believes exist), and the check that ties them: after every step, the source's table, the
 * statuses on the server, the listener counts and the endpoints are what `compile` and a
 * reference endpoint lookup say about the model's objects.
 */
import { compile, formatTable, type RouteTable } from '@switchyard/core';
import { expect } from 'vitest';
import { createKubernetesSource, type KubernetesSource } from '../../src/index.js';
import {
  createFakeApiServer,
  type FakeApiServer,
  type FakeObject,
} from '../../src/testing/index.js';
import { CONTROLLER, GATEWAY, caughtUp } from '../fixtures.js';
import { BASE_OBJECTS, SLOTS } from './universe.js';

export interface Model {
  /** Slot id → the version the test last applied, with the generation it should have. */
  readonly objects: Map<string, { object: FakeObject; generation: number }>;
  /** Route slot id → `status.parents` entries other writers put there, which must survive. */
  readonly foreign: Map<string, unknown[]>;
}

export interface Real {
  readonly api: FakeApiServer;
  /** Replaced by the restart step. */
  source: KubernetesSource;
}

/** A fake API server holding the base objects; the source is started by `startSource`. */
export async function openApi(): Promise<FakeApiServer> {
  const api = await createFakeApiServer();
  // The Gateway's class is ours (a Gateway of another controller's class is not served).
  api.apply({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'switchyard' },
    spec: { controllerName: CONTROLLER },
  });
  for (const object of BASE_OBJECTS) api.apply(object);
  return api;
}

/** A source on `api`, once it served its first table (everything it knows came from lists). */
export async function startSource(api: FakeApiServer): Promise<KubernetesSource> {
  const source = createKubernetesSource({
    kubeConfig: api.kubeConfig(),
    gateway: GATEWAY,
    controllerName: CONTROLLER,
    debounceMs: 2,
    backoff: { initialMs: 5, maxMs: 50 },
    leaderElection: false,
  });
  await source.ready;
  return source;
}

export async function closeReal(real: Real): Promise<void> {
  await real.source.close();
  await real.api.close();
}

export function emptyModel(): Model {
  return { objects: new Map(), foreign: new Map() };
}

/** `kind/namespace/name` of a slot's objects, for the fake's API. */
export function refOf(object: FakeObject) {
  return {
    ...(object.apiVersion !== undefined ? { apiVersion: object.apiVersion } : {}),
    kind: object.kind ?? '',
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

/** What the API server bumps `generation` for: anything but metadata and status. */
export function specKey(object: FakeObject): string {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return JSON.stringify(rest);
}

/** Waits until the source saw every write and has nothing left to do (see `caughtUp`). */
export async function settle(real: Real): Promise<void> {
  await caughtUp(real.api, real.source, 10_000);
}

/** The model's objects as `compile` input: server-assigned creation times, model generations. */
export function modelObjects(model: Model, api: FakeApiServer): FakeObject[] {
  const objects = [...BASE_OBJECTS];
  for (const { object, generation } of model.objects.values()) {
    const stored = api.get(refOf(object));
    const creationTimestamp = stored?.metadata.creationTimestamp;
    objects.push({
      ...object,
      metadata: {
        ...object.metadata,
        generation,
        ...(creationTimestamp ? { creationTimestamp } : {}),
      },
    });
  }
  return objects;
}

/** Routes without the opaque lookup index, for a structural comparison. */
function comparable(table: RouteTable) {
  return {
    gateway: table.gateway,
    listeners: table.listeners.map(({ index: _index, ...listener }) => listener),
  };
}

const withoutTimes = (entry: unknown) => {
  const { parentRef, conditions } = entry as {
    parentRef: unknown;
    conditions: Record<string, unknown>[];
  };
  return { parentRef, conditions: conditions.map(({ lastTransitionTime: _t, ...c }) => c) };
};

/** Every observable of the source equals what the model implies. */
export function checkAgainstModel(model: Model, real: Real): void {
  const { api, source } = real;
  // Gateways of other controllers are not ours to compile (their routes' statuses are theirs).
  const input = modelObjects(model, api).filter(
    (o) =>
      o.kind !== 'Gateway' ||
      (o.metadata.namespace === GATEWAY.namespace && o.metadata.name === GATEWAY.name),
  );
  const expected = compile(input, { gateway: GATEWAY });
  const table = source.current();
  expect(formatTable(table)).toBe(formatTable(expected.table));
  expect(comparable(table)).toEqual(comparable(expected.table));

  for (const [id, { object, generation }] of model.objects) {
    const stored = api.get(refOf(object));
    expect(stored?.metadata.generation, `generation of ${id}`).toBe(generation);
    if (object.kind !== 'HTTPRoute') continue;
    const parents = ((stored?.status as { parents?: unknown[] } | undefined)?.parents ?? []) as {
      controllerName?: string;
      parentRef?: { kind?: string; namespace?: string; name?: string };
    }[];
    const isOurs = (p: (typeof parents)[number]) =>
      p.controllerName === CONTROLLER &&
      (p.parentRef?.kind === 'HTTPRoute' ||
        (p.parentRef?.namespace === GATEWAY.namespace && p.parentRef.name === GATEWAY.name));
    const wanted = expected.statuses.find(
      (s) => s.namespace === object.metadata.namespace && s.name === object.metadata.name,
    );
    expect(parents.filter(isOurs).map(withoutTimes), `status.parents of ${id}`).toEqual(
      (wanted?.parents ?? []).map((p) => ({ parentRef: p.parentRef, conditions: p.conditions })),
    );
    expect(
      parents.filter((p) => !isOurs(p)),
      `foreign status.parents of ${id}`,
    ).toEqual(model.foreign.get(id) ?? []);
  }

  const gatewayStatus = expected.gateways.find(
    (g) => g.namespace === GATEWAY.namespace && g.name === GATEWAY.name,
  );
  if (gatewayStatus) {
    const stored = api.get({ kind: 'Gateway', ...GATEWAY })?.status as
      { listeners?: { name: string; attachedRoutes: number }[] } | undefined;
    expect(
      stored?.listeners?.map((l) => [l.name, l.attachedRoutes]),
      'listener attachedRoutes',
    ).toEqual(gatewayStatus.listeners.map((l) => [l.name, l.attachedRoutes]));
  }

  for (const [service, port] of [
    ['team-a/a1', 8080],
    ['team-a/a1', 9090],
    ['team-a/a2', 8080],
    ['team-b/b1', 8080],
    ['team-b/b1', 9000],
  ] as const) {
    const [namespace, name] = service.split('/') as [string, string];
    expect(source.endpoints(namespace, name, port), `endpoints of ${service}:${port}`).toEqual(
      referenceEndpoints(model, namespace, name, port),
    );
  }
}

/** The endpoint lookup written the slow, obvious way, over the model's objects. */
export function referenceEndpoints(
  model: Model,
  namespace: string,
  name: string,
  port: number,
): string[] | undefined {
  const objects = [...model.objects.values()].map((o) => o.object);
  const service = objects.find(
    (o) => o.kind === 'Service' && o.metadata.namespace === namespace && o.metadata.name === name,
  );
  const spec = service?.['spec'] as
    { type?: string; externalName?: string; ports?: { name?: string; port: number }[] } | undefined;
  const servicePort = spec?.ports?.find((p) => p.port === port);
  if (!servicePort) return undefined;
  if (spec?.type === 'ExternalName') return [`${spec.externalName}:${port}`];
  const found: string[] = [];
  for (const slice of objects) {
    if (slice.kind !== 'EndpointSlice' || slice.metadata.namespace !== namespace) continue;
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
    const ports = slice['ports'] as { name: string; port: number }[];
    const target = ports.find((p) => p.name === (servicePort.name ?? ''));
    if (!target) continue;
    for (const endpoint of slice['endpoints'] as {
      addresses: string[];
      conditions: { ready?: boolean };
    }[]) {
      if (endpoint.conditions.ready === false) continue;
      const address = endpoint.addresses[0]!;
      const text = address.includes(':')
        ? `[${address}]:${target.port}`
        : `${address}:${target.port}`;
      if (!found.includes(text)) found.push(text);
    }
  }
  return found.sort();
}

export function slotById(id: string) {
  const slot = SLOTS.find((s) => s.id === id);
  if (!slot) throw new Error(`no slot ${id}`);
  return slot;
}
