/**
 * Lists in pages against the fake API server's `limit`/`continue`: 1,200 HTTPRoutes arrive in
 * three pages of 500 and compile to the table of all of them; the watch starts from the first
 * page's snapshot, so changes made while the pages are read still arrive; an expired continue
 * token starts the list over, and repeated expiry ends in one unpaged list.
 */
import { compile, formatTable, type RouteTable } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { KubernetesSource } from '../src/index.js';
import type { FakeApiServer, RecordedRequest } from '../src/testing/index.js';
import {
  GATEWAY,
  basicObjects,
  caughtUp,
  cluster,
  requestsTo,
  simpleRoute,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

const ROUTES = '/gateway.networking.k8s.io/v1/httproutes';
const ROUTE_COUNT = 1200;

/** The basic cluster (one route, `web`) plus r0000 ... r1198: 1,200 HTTPRoutes. */
async function bigCluster(): Promise<FakeApiServer> {
  const objects = basicObjects();
  for (let i = 0; i < ROUTE_COUNT - 1; i++)
    objects.push(simpleRoute('shop', `r${String(i).padStart(4, '0')}`, `/r${i}`, 'web'));
  const api = await cluster(objects);
  open.api = api;
  return api;
}

function start(api: FakeApiServer, options: Parameters<typeof startSource>[1] = {}) {
  const started = startSource(api, { statusWrites: false, ...options });
  open.sources.push(started.source);
  return started;
}

/** The table `compile` makes of everything the server holds now. */
function expectedTable(api: FakeApiServer): RouteTable {
  const kinds = ['Namespace', 'Gateway', 'HTTPRoute', 'ReferenceGrant', 'Service', 'Backend'];
  return compile(
    kinds.flatMap((kind) => api.list(kind)),
    { gateway: GATEWAY },
  ).table;
}

/** Without the opaque lookup index, for a structural comparison. */
function comparable(table: RouteTable) {
  return {
    gateway: table.gateway,
    listeners: table.listeners.map(({ index: _index, ...listener }) => listener),
  };
}

function expectTableOfEverything(source: KubernetesSource, api: FakeApiServer) {
  const expected = expectedTable(api);
  expect(formatTable(source.current())).toBe(formatTable(expected));
  expect(comparable(source.current())).toEqual(comparable(expected));
}

/** The resourceVersion the first watch of HTTPRoutes started from (it opens right after `ready`). */
async function firstWatchFrom(api: FakeApiServer): Promise<string | undefined> {
  await waitFor(() => requestsTo(api, 'watch', ROUTES).length > 0, 5000, 'the routes watch');
  return requestsTo(api, 'watch', ROUTES)[0]!.query['resourceVersion'];
}

const routeLists = (api: FakeApiServer): RecordedRequest[] => requestsTo(api, 'list', ROUTES);
const page = (r: RecordedRequest) => ({
  limit: r.query['limit'],
  continued: r.query['continue'] !== undefined,
  status: r.status,
});

describe('paged lists', () => {
  it('lists 1,200 HTTPRoutes in three pages of 500, compiles all of them, and watches from the snapshot', async () => {
    const api = await bigCluster();
    const snapshot = String(api.revision());
    const { source, events } = start(api);
    await source.ready;
    expect(routeLists(api).map(page)).toEqual([
      { limit: '500', continued: false, status: 200 },
      { limit: '500', continued: true, status: 200 },
      { limit: '500', continued: true, status: 200 },
    ]);
    expect(await firstWatchFrom(api)).toBe(snapshot);
    expect(events).toContainEqual({
      type: 'listed',
      resource: 'httproutes.gateway.networking.k8s.io',
      count: ROUTE_COUNT,
      relist: false,
      apiVersion: 'gateway.networking.k8s.io/v1',
      pages: 3,
    });
    expect(source.current().listeners[0]?.routes).toHaveLength(ROUTE_COUNT);
    expectTableOfEverything(source, api);
  });

  it('gets what changed while the pages were read through the watch from the first page', async () => {
    const api = await bigCluster();
    const snapshot = String(api.revision());
    let changed = false;
    api.onRequest((request) => {
      if (changed || !request.path.endsWith(ROUTES) || request.query['continue'] === undefined)
        return;
      changed = true;
      api.apply(simpleRoute('shop', 'late', '/late', 'web'));
      api.delete({ kind: 'HTTPRoute', namespace: 'shop', name: 'r0000' });
    });
    const { source } = start(api);
    await source.ready;
    expect(changed).toBe(true);
    expect(await firstWatchFrom(api)).toBe(snapshot);
    await caughtUp(api, source);
    const table = formatTable(source.current());
    expect(table).toContain('shop/late#0');
    expect(table).not.toContain('shop/r0000#0');
    expectTableOfEverything(source, api);
    expect(routeLists(api)).toHaveLength(3);
  });

  it('starts the list over when a continue token expired (410), and compiles the fresh snapshot', async () => {
    const api = await bigCluster();
    let expired = false;
    api.onRequest((request) => {
      if (expired || !request.path.endsWith(ROUTES) || request.query['continue'] === undefined)
        return;
      expired = true;
      // etcd moved on and compacted: the first page's snapshot is gone.
      api.apply(simpleRoute('shop', 'late', '/late', 'web'));
      api.compact();
    });
    const { source, events } = start(api);
    await source.ready;
    expect(routeLists(api).map(page)).toEqual([
      { limit: '500', continued: false, status: 200 },
      { limit: '500', continued: true, status: 410 },
      { limit: '500', continued: false, status: 200 },
      { limit: '500', continued: true, status: 200 },
      { limit: '500', continued: true, status: 200 },
    ]);
    expect(events.filter((e) => e.type === 'list-expired')).toEqual([
      {
        type: 'list-expired',
        resource: 'httproutes.gateway.networking.k8s.io',
        pages: 1,
        next: 'paged',
      },
    ]);
    await caughtUp(api, source);
    expect(formatTable(source.current())).toContain('shop/late#0');
    expectTableOfEverything(source, api);
  });

  it('lists in one response after three expired attempts, and honours listPageSize', async () => {
    const api = await bigCluster();
    let expiries = 0;
    api.onRequest((request) => {
      if (!request.path.endsWith(ROUTES) || request.query['continue'] === undefined) return;
      expiries += 1;
      api.apply(simpleRoute('shop', `late${expiries}`, `/late${expiries}`, 'web'));
      api.compact();
    });
    const { source, events } = start(api, { listPageSize: 700 });
    await source.ready;
    const paged = { limit: '700', continued: false, status: 200 };
    const expiredPage = { limit: '700', continued: true, status: 410 };
    expect(routeLists(api).map(page)).toEqual([
      paged,
      expiredPage,
      paged,
      expiredPage,
      paged,
      expiredPage,
      { limit: undefined, continued: false, status: 200 },
    ]);
    expect(events.flatMap((e) => (e.type === 'list-expired' ? [e.next] : []))).toEqual([
      'paged',
      'paged',
      'unpaged',
    ]);
    await caughtUp(api, source);
    expect(source.current().listeners[0]?.routes).toHaveLength(ROUTE_COUNT + 3);
    expectTableOfEverything(source, api);
  });

  it('rejects a listPageSize that is not a positive integer', async () => {
    const api = await cluster([]);
    open.api = api;
    for (const listPageSize of [0, -1, 1.5, Number.NaN])
      expect(() => startSource(api, { listPageSize })).toThrow(TypeError);
  });
});
