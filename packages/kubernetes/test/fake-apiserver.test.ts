/**
 * The fake API server speaks the protocol the source depends on, checked over raw HTTP: if it
 * drifted from the API server's behaviour, the source tests would prove nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeApiServer, mergePatch, type FakeApiServer } from '../src/testing/index.js';
import { parsePath } from '../src/testing/fake-apiserver/paths.js';
import { DEFAULT_FAKE_RESOURCES } from '../src/testing/index.js';
import { gateway, namespace, route, service, waitFor } from './fixtures.js';

let api: FakeApiServer;
beforeEach(async () => {
  api = await createFakeApiServer();
  api.apply(namespace('shop'));
});
afterEach(async () => {
  await api.close();
});

const ROUTES = '/apis/gateway.networking.k8s.io/v1';
const json = (method: string, body: unknown, type = 'application/json') => ({
  method,
  headers: { 'content-type': type },
  body: JSON.stringify(body),
});
async function call(path: string, init?: RequestInit) {
  const response = await fetch(`${api.url}${path}`, init);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      metadata?: Record<string, unknown>;
    },
  };
}

/** Reads watch events until `count` arrived (or the stream ended). */
async function watchEvents(path: string, count: number) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}${path}`, { signal: controller.signal });
  const events: {
    type: string;
    object: Record<string, unknown> & { metadata: Record<string, unknown> };
  }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
      }
    }
  } finally {
    controller.abort();
  }
  return { status: response.status, headers: response.headers, events };
}

describe('paths', () => {
  it('addresses core and group resources, namespaced and cluster-wide, and the status subresource', () => {
    const r = (path: string) => {
      const target = parsePath(path, DEFAULT_FAKE_RESOURCES);
      if (!target) return undefined;
      const { version: _version, ...rest } = target;
      return { ...rest, resource: target.resource.plural };
    };
    expect(r('/api/v1/namespaces')).toEqual({ resource: 'namespaces' });
    expect(r('/api/v1/namespaces/shop')).toEqual({ resource: 'namespaces', name: 'shop' });
    expect(r('/api/v1/namespaces/shop/status')).toEqual({
      resource: 'namespaces',
      name: 'shop',
      subresource: 'status',
    });
    expect(r('/api/v1/namespaces/shop/services')).toEqual({
      resource: 'services',
      namespace: 'shop',
    });
    expect(r('/api/v1/services')).toEqual({ resource: 'services' });
    expect(r(`${ROUTES}/namespaces/shop/httproutes/web/status`)).toEqual({
      resource: 'httproutes',
      namespace: 'shop',
      name: 'web',
      subresource: 'status',
    });
    expect(r('/apis/gateway.networking.k8s.io/v2/httproutes')).toBeUndefined();
    expect(r('/api/v1/services/web')).toBeUndefined();
  });

  it('addresses a resource at each version it is served at, and no other', () => {
    const version = (path: string) => parsePath(path, DEFAULT_FAKE_RESOURCES)?.version;
    expect(version('/apis/gateway.networking.k8s.io/v1/referencegrants')).toBe('v1');
    expect(version('/apis/gateway.networking.k8s.io/v1beta1/namespaces/a/referencegrants')).toBe(
      'v1beta1',
    );
    expect(version('/apis/gateway.networking.k8s.io/v1beta1/httproutes')).toBeUndefined();
    expect(version('/apis/gateway.networking.k8s.io/v1alpha2/referencegrants')).toBeUndefined();
  });
});

describe('list', () => {
  it('answers with the current resourceVersion; built-in items without kind, custom ones with it', async () => {
    api.apply(service('shop', 'web'));
    api.apply(route('shop', 'web', {}));
    const services = await call('/api/v1/namespaces/shop/services');
    expect(services.body.metadata).toEqual({ resourceVersion: String(api.revision()) });
    expect(services.body['kind']).toBe('ServiceList');
    expect((services.body['items'] as object[])[0]).not.toHaveProperty('kind');
    const routes = await call(`${ROUTES}/httproutes`);
    expect((routes.body['items'] as object[])[0]).toMatchObject({
      kind: 'HTTPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1',
    });
  });

  it('filters by field selector', async () => {
    api.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'shop', name: 'tls' },
      type: 'kubernetes.io/tls',
    });
    api.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'shop', name: 'other' },
      type: 'Opaque',
    });
    const { body } = await call('/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls');
    expect((body['items'] as { metadata: { name: string } }[]).map((s) => s.metadata.name)).toEqual(
      ['tls'],
    );
  });
});

describe('list pages', () => {
  const names = (body: Record<string, unknown>) =>
    (body['items'] as { metadata: { name: string } }[]).map((o) => o.metadata.name);
  const more = (body: { metadata?: Record<string, unknown> }) =>
    encodeURIComponent(String(body.metadata?.['continue']));

  it('pages with limit and continue, in key order, every page from the snapshot of the first', async () => {
    for (const name of ['e', 'c', 'a', 'd', 'b']) api.apply(route('shop', name, {}));
    api.apply(route('another', 'z', {}));
    const snapshot = String(api.revision());
    const first = await call(`${ROUTES}/httproutes?limit=2`);
    expect(names(first.body)).toEqual(['z', 'a']);
    expect(first.body.metadata).toMatchObject({
      resourceVersion: snapshot,
      remainingItemCount: 4,
    });
    api.delete({ kind: 'HTTPRoute', namespace: 'shop', name: 'c' });
    api.apply(route('shop', 'bb', {}));
    const second = await call(`${ROUTES}/httproutes?limit=2&continue=${more(first.body)}`);
    expect(names(second.body)).toEqual(['b', 'c']);
    expect(second.body.metadata).toMatchObject({ resourceVersion: snapshot });
    const last = await call(`${ROUTES}/httproutes?limit=2&continue=${more(second.body)}`);
    expect(names(last.body)).toEqual(['d', 'e']);
    expect(last.body.metadata).toEqual({ resourceVersion: snapshot });
    // A fresh list sees the changes.
    expect(names((await call(`${ROUTES}/httproutes`)).body)).toEqual([
      'z',
      'a',
      'b',
      'bb',
      'd',
      'e',
    ]);
  });

  it('pages a namespace and a field selector, leaving remainingItemCount out with selectors', async () => {
    for (const name of ['a', 'b', 'c']) {
      api.apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { namespace: 'shop', name },
        type: 'kubernetes.io/tls',
      });
    }
    api.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'shop', name: 'ab' } });
    const selector = 'fieldSelector=type%3Dkubernetes.io%2Ftls';
    const first = await call(`/api/v1/namespaces/shop/secrets?limit=2&${selector}`);
    expect(names(first.body)).toEqual(['a', 'b']);
    expect(first.body.metadata).not.toHaveProperty('remainingItemCount');
    const rest = await call(
      `/api/v1/namespaces/shop/secrets?limit=2&${selector}&continue=${more(first.body)}`,
    );
    expect(names(rest.body)).toEqual(['c']);
    expect(rest.body.metadata).not.toHaveProperty('continue');
  });

  it('answers a continue token from before a compaction with 410 Expired, a garbled one with 400', async () => {
    for (const name of ['a', 'b', 'c']) api.apply(route('shop', name, {}));
    const first = await call(`${ROUTES}/httproutes?limit=1`);
    api.compact(); // nothing changed since the snapshot: it is still readable
    const second = await call(`${ROUTES}/httproutes?limit=1&continue=${more(first.body)}`);
    expect(names(second.body)).toEqual(['b']);
    api.apply(route('shop', 'd', {}));
    api.compact();
    const expired = await call(`${ROUTES}/httproutes?limit=1&continue=${more(second.body)}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    const garbled = await call(`${ROUTES}/httproutes?limit=1&continue=bm90IGpzb24`);
    expect(garbled.status).toBe(400);
  });
});

describe('versions', () => {
  it('serves the same ReferenceGrants at v1 and v1beta1, each answer in the version asked for', async () => {
    api.apply({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { namespace: 'shop', name: 'grant' },
      spec: { from: [], to: [] },
    });
    for (const version of ['v1', 'v1beta1']) {
      const base = `/apis/gateway.networking.k8s.io/${version}`;
      const listed = await call(`${base}/referencegrants`);
      expect(listed.body['apiVersion']).toBe(`gateway.networking.k8s.io/${version}`);
      expect(listed.body['items']).toMatchObject([
        { apiVersion: `gateway.networking.k8s.io/${version}`, metadata: { name: 'grant' } },
      ]);
      const one = await call(`${base}/namespaces/shop/referencegrants/grant`);
      expect(one.body['apiVersion']).toBe(`gateway.networking.k8s.io/${version}`);
    }
    const from = api.revision();
    const stream = watchEvents(
      `/apis/gateway.networking.k8s.io/v1beta1/referencegrants?watch=true&resourceVersion=${from}`,
      1,
    );
    await waitFor(() => api.openWatches() === 1, 2000, 'the watch');
    api.delete({ kind: 'ReferenceGrant', namespace: 'shop', name: 'grant' });
    expect((await stream).events[0]).toMatchObject({
      type: 'DELETED',
      object: { apiVersion: 'gateway.networking.k8s.io/v1beta1' },
    });
  });

  it('answers 404 at a version a resource is not served at', async () => {
    const only = await createFakeApiServer({
      resources: DEFAULT_FAKE_RESOURCES.map((r) =>
        r.plural === 'referencegrants' ? { ...r, version: 'v1beta1', alsoServedAs: [] } : r,
      ),
    });
    try {
      const at = (version: string) =>
        fetch(`${only.url}/apis/gateway.networking.k8s.io/${version}/referencegrants`);
      expect((await at('v1')).status).toBe(404);
      expect((await at('v1beta1')).status).toBe(200);
    } finally {
      await only.close();
    }
  });
});

describe('watch', () => {
  it('streams chunked JSON lines: the backlog after resourceVersion, then ADDED, MODIFIED, DELETED', async () => {
    const from = api.revision();
    api.apply(service('shop', 'a'));
    const stream = watchEvents(`/api/v1/services?watch=true&resourceVersion=${from}`, 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    api.apply(service('shop', 'b'));
    api.apply(service('shop', 'b', [{ port: 9090 }]));
    api.delete({ kind: 'Service', namespace: 'shop', name: 'a' });
    const { status, headers, events } = await stream;
    expect(status).toBe(200);
    expect(headers.get('transfer-encoding')).toBe('chunked');
    expect(events.map((e) => `${e.type} ${e.object.metadata['name']}`)).toEqual([
      'ADDED a',
      'ADDED b',
      'MODIFIED b',
      'DELETED a',
    ]);
    const versions = events.map((e) => Number(e.object.metadata['resourceVersion']));
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(events[0]!.object['kind']).toBe('Service');
  });

  it('starts a watch without resourceVersion with the current objects as ADDED', async () => {
    api.apply(service('shop', 'a'));
    const { events } = await watchEvents('/api/v1/namespaces/shop/services?watch=true', 1);
    expect(events.map((e) => `${e.type} ${e.object.metadata['name']}`)).toEqual(['ADDED a']);
  });

  it('sends bookmarks only to watches that asked for them', async () => {
    const plain = watchEvents('/api/v1/services?watch=true&resourceVersion=' + api.revision(), 1);
    const asked = watchEvents(
      '/api/v1/services?watch=true&allowWatchBookmarks=true&resourceVersion=' + api.revision(),
      1,
    );
    await waitFor(() => api.openWatches() === 2, 2000, 'both watches');
    expect(api.bookmark()).toBe(1);
    api.apply(service('shop', 'after'));
    expect((await plain).events.map((e) => e.type)).toEqual(['ADDED']);
    expect((await asked).events[0]).toEqual({
      type: 'BOOKMARK',
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { resourceVersion: String(api.revision() - 1) },
      },
    });
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired, or HTTP 410', async () => {
    const old = api.revision();
    api.apply(service('shop', 'a'));
    api.compact();
    const { status, events } = await watchEvents(
      `/api/v1/services?watch=true&resourceVersion=${old}`,
      1,
    );
    expect(status).toBe(200);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    const http = await createFakeApiServer({ goneAs: 'http' });
    try {
      http.apply(namespace('x'));
      http.compact();
      const response = await fetch(`${http.url}/api/v1/namespaces?watch=true&resourceVersion=1`);
      expect(response.status).toBe(410);
      expect(await response.json()).toMatchObject({ code: 410, reason: 'Expired' });
    } finally {
      await http.close();
    }
  });

  it('cuts connections on demand', async () => {
    const stream = watchEvents(`/api/v1/services?watch=true&resourceVersion=${api.revision()}`, 1);
    await waitFor(() => api.openWatches() === 1, 2000, 'the watch');
    expect(api.dropWatches()).toBe(1);
    await expect(stream).rejects.toThrow();
    expect(api.openWatches()).toBe(0);
  });
});

describe('writes', () => {
  it('requires and checks resourceVersion on custom resource updates (422, 409)', async () => {
    const stored = api.apply(route('shop', 'web', { hostnames: ['a.example'] }));
    const path = `${ROUTES}/namespaces/shop/httproutes/web`;
    const { metadata: _m, ...rest } = stored;
    expect(
      (await call(path, json('PUT', { ...rest, metadata: { name: 'web', namespace: 'shop' } })))
        .status,
    ).toBe(422);
    const stale = { ...stored, metadata: { ...stored.metadata, resourceVersion: '1' } };
    const conflict = await call(path, json('PUT', stale));
    expect(conflict).toMatchObject({
      status: 409,
      body: { kind: 'Status', reason: 'Conflict', code: 409 },
    });
    const ok = await call(path, json('PUT', { ...stored, spec: { hostnames: ['b.example'] } }));
    expect(ok.status).toBe(200);
    expect(ok.body.metadata?.['generation']).toBe(2);
  });

  it('bumps generation on a spec change only, whatever the key order', async () => {
    api.apply(route('shop', 'web', { hostnames: ['a.example'], rules: [] }));
    expect(
      api.apply(route('shop', 'web', { rules: [], hostnames: ['a.example'] })).metadata.generation,
    ).toBe(1);
    const labelled = route('shop', 'web', { rules: [], hostnames: ['a.example'] });
    labelled.metadata.labels = { team: 'shop' };
    expect(api.apply(labelled).metadata.generation).toBe(1);
    expect(api.apply(route('shop', 'web', { hostnames: ['b.example'] })).metadata.generation).toBe(
      2,
    );
  });

  it('assigns creationTimestamp itself, unless told to keep the given one', async () => {
    const given = {
      ...route('shop', 'old', {}),
      metadata: { namespace: 'shop', name: 'old', creationTimestamp: '2020-01-01T00:00:00Z' },
    };
    expect(api.apply(given).metadata.creationTimestamp).not.toBe('2020-01-01T00:00:00Z');
    const keeping = await createFakeApiServer({ keepCreationTimestamps: true });
    try {
      expect(keeping.apply(given).metadata.creationTimestamp).toBe('2020-01-01T00:00:00Z');
    } finally {
      await keeping.close();
    }
  });

  it('changes status only through the status subresource, without bumping generation', async () => {
    const stored = api.apply(route('shop', 'web', {}));
    const path = `${ROUTES}/namespaces/shop/httproutes/web`;
    const main = await call(path, json('PUT', { ...stored, status: { parents: ['ignored'] } }));
    expect(main.body['status']).toBeUndefined();
    expect(main.body.metadata?.['generation']).toBe(1);
    const status = await call(
      `${path}/status`,
      json('PUT', {
        ...main.body,
        spec: { hostnames: ['ignored.example'] },
        status: { parents: [] },
      }),
    );
    expect(status.body['status']).toEqual({ parents: [] });
    expect(status.body['spec']).toEqual({});
    expect(status.body.metadata?.['generation']).toBe(1);
  });

  it('applies merge patches (RFC 7386) with an optional resourceVersion precondition', async () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: [1] } }, { b: { c: null, d: [2] }, e: 'x' })).toEqual({
      a: 1,
      b: { d: [2] },
      e: 'x',
    });
    const stored = api.apply(route('shop', 'web', {}));
    const path = `${ROUTES}/namespaces/shop/httproutes/web/status`;
    const merge = 'application/merge-patch+json';
    const patched = await call(
      path,
      json(
        'PATCH',
        { metadata: { resourceVersion: stored.metadata.resourceVersion }, status: { parents: [] } },
        merge,
      ),
    );
    expect(patched.status).toBe(200);
    expect(
      (
        await call(
          path,
          json(
            'PATCH',
            { metadata: { resourceVersion: stored.metadata.resourceVersion }, status: {} },
            merge,
          ),
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await call(
          path,
          json('PATCH', [{ op: 'add', path: '/status', value: {} }], 'application/json-patch+json'),
        )
      ).status,
    ).toBe(415);
  });

  it('creates, refuses duplicates, reads and deletes Leases', async () => {
    const path = '/apis/coordination.k8s.io/v1/namespaces/shop/leases';
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: { holderIdentity: 'me' },
    };
    expect((await call(path, json('POST', lease))).status).toBe(201);
    expect((await call(path, json('POST', lease))).body).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    expect((await call(`${path}/l`)).body['spec']).toEqual({ holderIdentity: 'me' });
    expect((await call(`${path}/l`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`${path}/l`)).status).toBe(404);
  });
});

describe('test controls', () => {
  it('injects failures, runs request hooks and records requests', async () => {
    api.apply(gateway());
    api.fail({ method: 'GET', path: '/gateways', status: 503, times: 1 });
    const seen: string[] = [];
    api.onRequest((request) => void seen.push(`${request.method} ${request.path}`));
    expect((await call(`${ROUTES}/gateways`)).status).toBe(503);
    expect((await call(`${ROUTES}/gateways`)).status).toBe(200);
    expect(seen).toEqual([`GET ${ROUTES}/gateways`, `GET ${ROUTES}/gateways`]);
    expect(api.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('becomes unreachable and comes back on the same port', async () => {
    await api.stop();
    await expect(fetch(`${api.url}/api/v1/namespaces`)).rejects.toThrow();
    await api.start();
    expect((await call('/api/v1/namespaces')).status).toBe(200);
  });
});
