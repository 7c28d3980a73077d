/**
 * The source against the protocol situations a real API server produces, one by one: lists whose
 * items lack `kind`, ADDED/MODIFIED/DELETED, bookmarks, dropped connections, watches ended by the
 * server, 410 Gone (as an ERROR event and as HTTP 410), failing and missing resources, an
 * unreachable server. The real @kubernetes/client-node talks to the fake API server throughout.
 */
import { formatTable } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_RESOURCES } from '../src/testing/index.js';
import {
  basicObjects,
  caughtUp,
  cluster,
  endpointSlice,
  gateway,
  requestsTo,
  simpleRoute,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

async function setup(
  options: Parameters<typeof startSource>[1] = {},
  apiOptions: Parameters<typeof cluster>[1] = {},
) {
  const api = await cluster(basicObjects(), apiOptions);
  open.api = api;
  const started = startSource(api, options);
  open.sources.push(started.source);
  return { api, ...started };
}

const ROUTES = '/gateway.networking.k8s.io/v1/httproutes';

describe('list', () => {
  it('compiles list items that come without kind and apiVersion (core types) as well as custom resources', async () => {
    const { api, source } = await setup();
    const raw = (await (await fetch(`${api.url}/api/v1/services`)).json()) as { items: object[] };
    expect(raw.items[0]).not.toHaveProperty('kind');
    await source.ready;
    // A Service the compile input lost would turn the backend invalid (500).
    expect(formatTable(source.current())).toContain(
      'PathPrefix /shop  shop/web#0  => forward shop/web:8080 w1',
    );
    expect(formatTable(source.current())).not.toContain('invalid');
  });

  it('retries a failing list with backoff and serves the first table once it succeeds', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    api.fail({ method: 'GET', path: ROUTES, watch: false, status: 500, times: 3 });
    const { source, events } = startSource(api);
    open.sources.push(source);
    await source.ready;
    expect(requestsTo(api, 'list', ROUTES).map((r) => r.status)).toEqual([500, 500, 500, 200]);
    const retries = events.filter(
      (e) => e.type === 'watch-error' && e.resource.startsWith('httproutes'),
    );
    expect(retries).toHaveLength(3);
    expect(formatTable(source.current())).toContain('shop/web#0');
  });

  it('serves without a resource whose CRD is not installed (404), and keeps looking for it', async () => {
    const api = await cluster(basicObjects(), {
      resources: DEFAULT_FAKE_RESOURCES.filter((r) => r.plural !== 'backends'),
    });
    open.api = api;
    const { source, events } = startSource(api);
    open.sources.push(source);
    await source.ready;
    expect(events).toContainEqual({ type: 'absent', resource: 'backends.gateway.kgateway.dev' });
    expect(formatTable(source.current())).toContain('shop/web#0');
    await waitFor(
      () => requestsTo(api, 'list', '/backends').length >= 2,
      2000,
      'another list of backends',
    );
  });
});

describe('watch', () => {
  it('turns ADDED, MODIFIED and DELETED events into new tables, without listing again', async () => {
    const { api, source } = await setup();
    await source.ready;
    api.apply(simpleRoute('shop', 'cart', '/cart', 'web'));
    expect(formatTable(await source.nextTable())).toContain('PathPrefix /cart  shop/cart#0');
    api.apply(simpleRoute('shop', 'cart', '/basket', 'web'));
    const modified = formatTable(await source.nextTable());
    expect(modified).toContain('PathPrefix /basket  shop/cart#0');
    expect(modified).not.toContain('/cart ');
    api.delete({ kind: 'HTTPRoute', namespace: 'shop', name: 'cart' });
    expect(formatTable(await source.nextTable())).not.toContain('shop/cart');
    expect(requestsTo(api, 'list', ROUTES)).toHaveLength(1);
  });

  it('asks for bookmarks and resumes from the bookmarked resourceVersion, so compaction costs no relist', async () => {
    const { api, source } = await setup();
    await source.ready;
    expect(
      requestsTo(api, 'watch', '/').every((r) => r.query['allowWatchBookmarks'] === 'true'),
    ).toBe(true);
    api.apply(simpleRoute('shop', 'cart', '/cart', 'web')); // moves the revision past the lists
    await caughtUp(api, source);
    const revision = api.revision();
    expect(source.state().resources.map((r) => r.resourceVersion)).toEqual(
      source.state().resources.map(() => String(revision)),
    );
    const lists = requestsTo(api, 'list', '/').length;
    const watches = requestsTo(api, 'watch', '/').length;
    api.compact();
    api.dropWatches();
    await waitFor(() => api.openWatches() === 8, 3000, 'every watch to reopen');
    const resumed = requestsTo(api, 'watch', '/').slice(watches);
    expect(resumed.map((r) => r.query['resourceVersion'])).toEqual(
      resumed.map(() => String(revision)),
    );
    expect(requestsTo(api, 'list', '/')).toHaveLength(lists);
  });

  it('resumes a dropped connection from its last resourceVersion and gets what changed meanwhile', async () => {
    const { api, source } = await setup();
    await source.ready;
    await waitFor(() => api.openWatches() === 8, 2000, 'every watch to open');
    await caughtUp(api, source); // the status write-back moved the routes' resourceVersion
    const lastSeen = source
      .state()
      .resources.find((r) => r.resource.startsWith('httproutes'))!.resourceVersion;
    const watches = requestsTo(api, 'watch', ROUTES).length;
    expect(api.dropWatches()).toBe(8);
    api.apply(simpleRoute('shop', 'late', '/late', 'web'));
    expect(formatTable(await source.nextTable())).toContain('shop/late#0');
    const resumed = requestsTo(api, 'watch', ROUTES).slice(watches);
    expect(resumed[0]?.query['resourceVersion']).toBe(lastSeen);
    expect(requestsTo(api, 'list', ROUTES)).toHaveLength(1);
  });

  it('retries a watch the server refuses (HTTP 500) from the same resourceVersion, without relisting', async () => {
    const { api, source, events } = await setup();
    await source.ready;
    await waitFor(() => api.openWatches() === 8, 2000, 'every watch to open');
    await caughtUp(api, source); // the status write-back moved the routes' resourceVersion
    const lastSeen = source
      .state()
      .resources.find((r) => r.resource.startsWith('httproutes'))!.resourceVersion;
    api.fail({ path: ROUTES, watch: true, status: 500, times: 2 });
    api.dropWatches();
    api.apply(simpleRoute('shop', 'late', '/late', 'web'));
    expect(formatTable(await source.nextTable())).toContain('shop/late#0');
    const refused = requestsTo(api, 'watch', ROUTES).filter((r) => r.status === 500);
    expect(refused.map((r) => r.query['resourceVersion'])).toEqual([lastSeen, lastSeen]);
    expect(
      events.filter((e) => e.type === 'watch-error' && e.resource.startsWith('httproutes')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(requestsTo(api, 'list', ROUTES)).toHaveLength(1);
  });

  it('re-opens watches the server ends (timeoutSeconds) without an error', async () => {
    const { api, source, events } = await setup();
    await source.ready;
    await waitFor(() => api.openWatches() === 8, 2000, 'every watch to open');
    const watches = requestsTo(api, 'watch', '/').length;
    expect(api.endWatches()).toBe(8);
    await waitFor(
      () => requestsTo(api, 'watch', '/').length >= watches + 8,
      3000,
      'watches to reopen',
    );
    api.apply(simpleRoute('shop', 'after', '/after', 'web'));
    expect(formatTable(await source.nextTable())).toContain('shop/after#0');
    expect(events.filter((e) => e.type === 'watch-error')).toEqual([]);
  });

  for (const goneAs of ['event', 'http'] as const) {
    it(`relists after 410 Gone (${goneAs === 'event' ? 'an ERROR event with a 410 Status' : 'HTTP 410'}), dropping what was deleted meanwhile`, async () => {
      const { api, source } = await setup({}, { goneAs });
      await source.ready;
      await api.stop();
      api.delete({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' });
      api.apply(simpleRoute('shop', 'fresh', '/fresh', 'web'));
      api.compact();
      await api.start();
      const table = formatTable(await source.nextTable());
      expect(table).toContain('shop/fresh#0');
      expect(table).not.toContain('shop/web#0');
      expect(requestsTo(api, 'list', ROUTES)).toHaveLength(2);
      const gone = requestsTo(api, 'watch', ROUTES).filter(
        (r) => r.status === (goneAs === 'http' ? 410 : 200),
      );
      expect(gone.length).toBeGreaterThan(0);
    });
  }

  it('keeps the last good table while the API server is unreachable, then catches up', async () => {
    const { api, source, events } = await setup();
    await source.ready;
    const before = source.current();
    await api.stop();
    await waitFor(
      () => events.filter((e) => e.type === 'watch-error').length >= 14,
      3000,
      'failed reconnects',
    );
    expect(source.current()).toBe(before);
    expect(source.endpoints('shop', 'web', 8080)).toEqual(['10.0.0.1:9000']);
    api.apply(simpleRoute('shop', 'back', '/back', 'web'));
    await api.start();
    expect(formatTable(await source.nextTable())).toContain('shop/back#0');
  });

  it('backs off between reconnects to an unreachable server', async () => {
    const { api, source, events } = await setup({ backoff: { initialMs: 50, maxMs: 400 } });
    await source.ready;
    await api.stop();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const delays = events.flatMap((e) =>
      e.type === 'watch-error' && e.resource === 'namespaces' ? [e.retryInMs] : [],
    );
    // 50 → 100 → 200 → 400 (±50% jitter): a handful of attempts in 600 ms, not hundreds.
    expect(delays.length).toBeGreaterThanOrEqual(2);
    expect(delays.length).toBeLessThanOrEqual(6);
    expect(Math.max(...delays)).toBeGreaterThan(Math.min(...delays));
    await api.start();
  });
});

describe('tables', () => {
  it('makes no new table for status writes, resourceVersion bumps and EndpointSlice changes', async () => {
    const { api, source } = await setup({ statusWrites: false });
    await source.ready;
    let tables = 0;
    source.subscribe(() => tables++);
    api.setStatus({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' }, { parents: [] });
    api.apply(endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }]));
    await caughtUp(api, source);
    expect(tables).toBe(0);
    expect(source.endpoints('shop', 'web', 8080)).toEqual(['10.0.0.1:9000', '10.0.0.2:9000']);
  });

  it('coalesces a burst of changes into a few tables', async () => {
    const { api, source } = await setup({ debounceMs: 50 });
    await source.ready;
    let tables = 0;
    source.subscribe(() => tables++);
    for (let i = 0; i < 20; i++) api.apply(simpleRoute('shop', `r${i}`, `/r${i}`, 'web'));
    await caughtUp(api, source);
    expect(tables).toBeGreaterThanOrEqual(1);
    expect(tables).toBeLessThanOrEqual(3);
    expect(source.current().listeners[0]?.routes).toHaveLength(21);
  });

  it('compiles only its own Gateway: routes of other Gateways are not in the table', async () => {
    const { api, source } = await setup();
    await source.ready;
    api.apply({ ...gateway(), metadata: { namespace: 'shop', name: 'theirs' } });
    api.apply({
      ...simpleRoute('shop', 'theirs', '/theirs', 'web'),
      spec: {
        parentRefs: [{ name: 'theirs' }],
        rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }],
      },
    });
    await caughtUp(api, source);
    expect(formatTable(source.current())).not.toContain('theirs');
    expect(source.result()?.statuses.map((s) => s.name)).toEqual(['web']);
  });
});

describe('close', () => {
  it('stops every watch and sends nothing afterwards', async () => {
    const { api, source } = await setup();
    await source.ready;
    await waitFor(() => api.openWatches() === 8, 2000, 'every watch to open');
    await source.close();
    await waitFor(() => api.openWatches() === 0, 2000, 'watches to close');
    const count = api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(api.requests.length).toBe(count);
  });

  it('rejects `ready` when closed before the first table', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    await api.stop();
    const { source } = startSource(api);
    await source.close();
    await expect(source.ready).rejects.toThrow(/closed before its first table/);
  });
});
