/**
 * Status write-back through the status subresource: our `status.parents` entries (Gateway and
 * delegation parents) with observedGeneration, written only when they change, retried after a
 * 409 Conflict from a fresh GET, never touching anyone else's entries; and the Gateway's
 * listener statuses.
 */
import { describe, expect, it } from 'vitest';
import type { FakeApiServer, FakeObject } from '../src/testing/index.js';
import {
  CONTROLLER,
  GATEWAY,
  basicObjects,
  caughtUp,
  cluster,
  endpointSlice,
  route,
  requestsTo,
  service,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

async function setup(objects: FakeObject[], options: Parameters<typeof startSource>[1] = {}) {
  const api = await cluster(objects);
  open.api = api;
  const started = startSource(api, options);
  open.sources.push(started.source);
  await started.source.ready;
  await caughtUp(api, started.source);
  return { api, ...started };
}

interface Entry {
  parentRef: Record<string, unknown>;
  controllerName: string;
  conditions: {
    type: string;
    status: string;
    reason: string;
    observedGeneration?: number;
    lastTransitionTime?: string;
  }[];
}
const parentsOf = (api: FakeApiServer, namespace: string, name: string): Entry[] =>
  (api.get({ kind: 'HTTPRoute', namespace, name })?.status as { parents?: Entry[] } | undefined)
    ?.parents ?? [];
const statusWrites = (api: FakeApiServer) =>
  api.requests.filter((r) => r.target?.subresource === 'status' && r.method !== 'GET');

const OUR_GATEWAY_REF = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  namespace: GATEWAY.namespace,
  name: GATEWAY.name,
};
const FOREIGN: Entry = {
  parentRef: {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    namespace: 'elsewhere',
    name: 'theirs',
  },
  controllerName: 'example.net/another-controller',
  conditions: [
    {
      type: 'Accepted',
      status: 'True',
      reason: 'Accepted',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    },
  ],
};

function delegationObjects(): FakeObject[] {
  return [
    ...basicObjects().filter((o) => o.kind !== 'HTTPRoute'),
    route(GATEWAY.namespace, 'parent', {
      parentRefs: [{ name: GATEWAY.name }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/shop' } }],
          backendRefs: [
            { group: 'delegation.kgateway.dev', kind: 'label', name: 'shop', namespace: 'all' },
          ],
        },
      ],
    }),
    route(
      'shop',
      'child',
      {
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/shop/cart' } }],
            backendRefs: [{ name: 'web', port: 8080 }],
          },
        ],
      },
      {
        labels: { 'delegation.kgateway.dev/label': 'shop' },
      },
    ),
  ];
}

describe('route status', () => {
  it('writes our Gateway and delegation entries with observedGeneration, as compile reports them', async () => {
    const { api, source } = await setup(delegationObjects());
    const parent = parentsOf(api, GATEWAY.namespace, 'parent');
    const child = parentsOf(api, 'shop', 'child');
    expect(parent.map((e) => [e.controllerName, e.parentRef])).toEqual([
      [CONTROLLER, OUR_GATEWAY_REF],
    ]);
    expect(child.map((e) => [e.controllerName, e.parentRef])).toEqual([
      [
        CONTROLLER,
        {
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          namespace: GATEWAY.namespace,
          name: 'parent',
        },
      ],
    ]);
    expect(child[0]!.conditions.map((c) => [c.type, c.status, c.observedGeneration])).toEqual([
      ['Accepted', 'True', 1],
      ['ResolvedRefs', 'True', 1],
    ]);
    for (const entry of [...parent, ...child]) {
      for (const condition of entry.conditions)
        expect(condition.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const expected = source.result()!.statuses.find((s) => s.name === 'child')!.parents;
    expect(
      child.map((e) => ({
        parentRef: e.parentRef,
        conditions: e.conditions.map(({ lastTransitionTime: _t, ...c }) => c),
      })),
    ).toEqual(expected);
  });

  it('moves observedGeneration with the spec and keeps lastTransitionTime of conditions that did not change', async () => {
    const { api, source } = await setup(basicObjects());
    const before = parentsOf(api, 'shop', 'web')[0]!;
    const stored = api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })!;
    api.apply({ ...stored, spec: { ...(stored['spec'] as object), hostnames: ['shop.example'] } });
    await caughtUp(api, source);
    const after = parentsOf(api, 'shop', 'web')[0]!;
    expect(after.conditions.map((c) => c.observedGeneration)).toEqual([2, 2]);
    expect(after.conditions.map((c) => c.lastTransitionTime)).toEqual(
      before.conditions.map((c) => c.lastTransitionTime),
    );
  });

  it('writes only when something changed', async () => {
    const { api, source } = await setup(basicObjects());
    const writes = statusWrites(api).length;
    expect(writes).toBe(3); // the route, the Gateway, our GatewayClass
    // A new table (a new Service) and endpoint churn, but no status of ours changes.
    api.apply(service('shop', 'unused'));
    api.apply(endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.9' }]));
    api.setStatus({ kind: 'Namespace', name: 'shop' }, { phase: 'Active' });
    await caughtUp(api, source);
    expect(statusWrites(api)).toHaveLength(writes);
  });

  it('keeps the entries of other controllers, and ours for Gateways other replicas serve', async () => {
    const { api, source } = await setup(basicObjects());
    const otherReplica: Entry = { ...FOREIGN, controllerName: CONTROLLER };
    api.setStatus(
      { kind: 'HTTPRoute', namespace: 'shop', name: 'web' },
      { parents: [FOREIGN, ...parentsOf(api, 'shop', 'web'), otherReplica] },
    );
    // A spec change makes us rewrite our entry.
    const stored = api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })!;
    api.apply({ ...stored, spec: { ...(stored['spec'] as object), hostnames: ['shop.example'] } });
    await caughtUp(api, source);
    const parents = parentsOf(api, 'shop', 'web');
    expect(parents.slice(0, 2)).toEqual([FOREIGN, otherReplica]);
    expect(parents[2]?.conditions[0]?.observedGeneration).toBe(2);
    expect(parents).toHaveLength(3);
  });

  it('repairs our entry when someone else overwrote it', async () => {
    const { api, source } = await setup(basicObjects());
    api.setStatus({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' }, { parents: [FOREIGN] });
    await caughtUp(api, source);
    expect(parentsOf(api, 'shop', 'web').map((e) => e.controllerName)).toEqual([
      FOREIGN.controllerName,
      CONTROLLER,
    ]);
  });

  it('retries a 409 Conflict from a fresh GET, keeping the entry another controller wrote in between', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    let raced = false;
    api.onRequest((request) => {
      if (raced || request.method !== 'PATCH' || request.target?.name !== 'web') return;
      raced = true;
      api.setStatus({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' }, { parents: [FOREIGN] });
    });
    const { source, events } = startSource(api);
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    const routeRequests = api.requests.filter(
      (r) => r.target?.name === 'web' && r.target.subresource === 'status',
    );
    expect(routeRequests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'PATCH 409',
      'GET 200',
      'PATCH 200',
    ]);
    expect(routeRequests[0]!.contentType).toBe('application/merge-patch+json');
    expect(parentsOf(api, 'shop', 'web').map((e) => e.controllerName)).toEqual([
      FOREIGN.controllerName,
      CONTROLLER,
    ]);
    expect(events).toContainEqual({
      type: 'status-written',
      kind: 'HTTPRoute',
      namespace: 'shop',
      name: 'web',
      attempts: 2,
    });
  });

  it('removes our entry when the route leaves our Gateway', async () => {
    const { api, source } = await setup(basicObjects());
    api.setStatus(
      { kind: 'HTTPRoute', namespace: 'shop', name: 'web' },
      { parents: [FOREIGN, ...parentsOf(api, 'shop', 'web')] },
    );
    const stored = api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })!;
    api.apply({
      ...stored,
      spec: {
        ...(stored['spec'] as object),
        parentRefs: [{ name: 'theirs', namespace: 'elsewhere' }],
      },
    });
    await caughtUp(api, source);
    expect(parentsOf(api, 'shop', 'web')).toEqual([FOREIGN]);
  });

  it('tries again later when a write fails', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    api.fail({ method: 'PATCH', path: '/httproutes/web/status', status: 500, times: 2 });
    const { source, events } = startSource(api);
    open.sources.push(source);
    await source.ready;
    await waitFor(
      () => parentsOf(api, 'shop', 'web').length === 1,
      3000,
      'the status to be written',
    );
    expect(events.filter((e) => e.type === 'status-error')).toHaveLength(2);
  });

  it('writes nothing with statusWrites: false', async () => {
    const { api } = await setup(basicObjects(), { statusWrites: false });
    expect(statusWrites(api)).toEqual([]);
  });
});

describe('Gateway status', () => {
  it('writes listener attachedRoutes, supportedKinds and conditions, keeping other status fields', async () => {
    const api = await cluster(delegationObjects());
    open.api = api;
    api.setStatus(
      { kind: 'Gateway', ...GATEWAY },
      { addresses: [{ type: 'IPAddress', value: '10.9.9.9' }] },
    );
    const { source } = startSource(api);
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    const status = api.get({ kind: 'Gateway', ...GATEWAY })!.status as {
      addresses: unknown[];
      conditions: { type: string; status: string }[];
      listeners: {
        name: string;
        attachedRoutes: number;
        supportedKinds: unknown[];
        conditions: { type: string; status: string }[];
      }[];
    };
    expect(status.addresses).toEqual([{ type: 'IPAddress', value: '10.9.9.9' }]);
    expect(status.conditions.map((c) => [c.type, c.status])).toEqual([
      ['Accepted', 'True'],
      ['Programmed', 'True'],
    ]);
    expect(status.listeners.map((l) => [l.name, l.attachedRoutes, l.supportedKinds])).toEqual([
      ['http', 1, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]],
    ]);
    const gatewayWrites = requestsTo(api, 'PUT', `/gateways/${GATEWAY.name}/status`);
    expect(gatewayWrites.map((r) => r.status)).toEqual([200]);
    // A second route attached directly: the count follows.
    api.apply(
      route('shop', 'direct', {
        parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace }],
        rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }],
      }),
    );
    await caughtUp(api, source);
    const listeners = (api.get({ kind: 'Gateway', ...GATEWAY })!.status as typeof status).listeners;
    expect(listeners[0]!.attachedRoutes).toBe(2);
  });
});
