/**
 * ReferenceGrant is read at `gateway.networking.k8s.io/v1` where the cluster serves it, and at
 * `v1beta1` where `v1` answers 404 (older Gateway API releases): listed, watched and compiled at
 * the version that answered. A cluster serving neither is looked at again with backoff, as a
 * missing CRD is; a watch answered 404 relists, which looks for the version again.
 */
import { formatTable } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { KubernetesSource } from '../src/index.js';
import {
  DEFAULT_FAKE_RESOURCES,
  type FakeObject,
  type FakeResource,
} from '../src/testing/index.js';
import {
  GATEWAY,
  caughtUp,
  cluster,
  gateway,
  namespace,
  requestsTo,
  route,
  service,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

const GROUP = 'gateway.networking.k8s.io';
const V1 = `/${GROUP}/v1/referencegrants`;
const V1BETA1 = `/${GROUP}/v1beta1/referencegrants`;

/** The fake's resources with ReferenceGrants served at exactly `versions` (none: not installed). */
function servingGrantsAt(versions: readonly string[]): FakeResource[] {
  return DEFAULT_FAKE_RESOURCES.flatMap((resource) => {
    if (resource.plural !== 'referencegrants') return [resource];
    const [version, ...more] = versions;
    return version === undefined ? [] : [{ ...resource, version, alsoServedAs: more }];
  });
}

/** A route in `shop` forwarding to `billing/pay`: allowed only by the grant in `billing`. */
function objects(): FakeObject[] {
  return [
    namespace(GATEWAY.namespace),
    namespace('shop'),
    namespace('billing'),
    gateway(),
    service('billing', 'pay'),
    route('shop', 'web', {
      parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace }],
      rules: [{ backendRefs: [{ name: 'pay', namespace: 'billing', port: 8080 }] }],
    }),
    grant('v1beta1'),
  ];
}

function grant(version: string): FakeObject {
  return {
    apiVersion: `${GROUP}/${version}`,
    kind: 'ReferenceGrant',
    metadata: { namespace: 'billing', name: 'from-shop' },
    spec: {
      from: [{ group: GROUP, kind: 'HTTPRoute', namespace: 'shop' }],
      to: [{ group: '', kind: 'Service' }],
    },
  };
}

const FORWARD = 'shop/web#0  => forward billing/pay:8080 w1';
const REFUSED = 'shop/web#0  => respond 500 (invalid backend)';

async function setup(versions: readonly string[]) {
  const served =
    versions.length > 0 ? objects() : objects().filter((o) => o.kind !== 'ReferenceGrant');
  const api = await cluster(served, { resources: servingGrantsAt(versions) });
  open.api = api;
  const started = startSource(api, { statusWrites: false });
  open.sources.push(started.source);
  return { api, ...started };
}

const grantState = (source: KubernetesSource) =>
  source.state().resources.find((r) => r.resource === `referencegrants.${GROUP}`);

describe('ReferenceGrant versions', () => {
  it('reads v1 where the cluster serves it, and never asks for v1beta1', async () => {
    const { api, source, events } = await setup(['v1', 'v1beta1']);
    await source.ready;
    expect(formatTable(source.current())).toContain(FORWARD);
    expect(grantState(source)?.apiVersion).toBe(`${GROUP}/v1`);
    expect(source.objects('referenceGrants')).toMatchObject([
      { apiVersion: `${GROUP}/v1`, kind: 'ReferenceGrant', metadata: { name: 'from-shop' } },
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'listed',
        resource: `referencegrants.${GROUP}`,
        apiVersion: `${GROUP}/v1`,
      }),
    );
    await waitFor(() => requestsTo(api, 'watch', V1).length > 0, 2000, 'the v1 watch');
    api.delete({ kind: 'ReferenceGrant', namespace: 'billing', name: 'from-shop' });
    expect(formatTable(await source.nextTable())).toContain(REFUSED);
    expect(requestsTo(api, 'list', V1).map((r) => r.status)).toEqual([200]);
    expect(api.requests.filter((r) => r.path.includes(V1BETA1))).toEqual([]);
  });

  it('falls back to v1beta1 where v1 answers 404, and watches there', async () => {
    const { api, source, events } = await setup(['v1beta1']);
    await source.ready;
    expect(formatTable(source.current())).toContain(FORWARD);
    expect(requestsTo(api, 'list', V1).map((r) => r.status)).toEqual([404]);
    expect(requestsTo(api, 'list', V1BETA1).map((r) => r.status)).toEqual([200]);
    expect(grantState(source)?.apiVersion).toBe(`${GROUP}/v1beta1`);
    expect(events.filter((e) => e.type === 'absent' || e.type === 'watch-error')).toEqual([]);
    await waitFor(() => requestsTo(api, 'watch', V1BETA1).length > 0, 2000, 'the v1beta1 watch');
    expect(requestsTo(api, 'watch', V1)).toEqual([]);
    api.delete({ kind: 'ReferenceGrant', namespace: 'billing', name: 'from-shop' });
    expect(formatTable(await source.nextTable())).toContain(REFUSED);
    api.apply(grant('v1beta1'));
    expect(formatTable(await source.nextTable())).toContain(FORWARD);
  });

  it('serves without ReferenceGrants when neither version is served, and keeps looking at both', async () => {
    const { api, source, events } = await setup([]);
    await source.ready;
    expect(events).toContainEqual({ type: 'absent', resource: `referencegrants.${GROUP}` });
    expect(formatTable(source.current())).toContain(REFUSED);
    await waitFor(
      () => requestsTo(api, 'list', V1BETA1).length >= 3,
      3000,
      'more looks at v1beta1',
    );
    // Each look tries v1 first: a cluster upgraded to v1 is read at v1.
    expect(requestsTo(api, 'list', V1).length).toBeGreaterThanOrEqual(3);
    expect(
      api.requests.filter((r) => r.path.includes('referencegrants') && r.status !== 404),
    ).toEqual([]);
  });

  it('relists when its watch is answered 404 (the version went away), looking at every version again', async () => {
    const { api, source, events } = await setup(['v1', 'v1beta1']);
    await source.ready;
    await waitFor(() => api.openWatches() === 8, 2000, 'every watch to open');
    await caughtUp(api, source);
    api.fail({ path: V1, watch: true, status: 404, times: 1 });
    api.dropWatches();
    await waitFor(() => requestsTo(api, 'list', V1).length === 2, 3000, 'a relist');
    expect(
      events.some((e) => e.type === 'watch-error' && e.resource === `referencegrants.${GROUP}`),
    ).toBe(true);
    // The first watch (cut), the one answered 404, and the one after the relist (a status is
    // recorded when a response ends: the open one has none yet).
    await waitFor(() => requestsTo(api, 'watch', V1).length >= 3, 3000, 'the watch to reopen');
    expect(requestsTo(api, 'watch', V1).map((r) => r.status)[1]).toBe(404);
    api.delete({ kind: 'ReferenceGrant', namespace: 'billing', name: 'from-shop' });
    expect(formatTable(await source.nextTable())).toContain(REFUSED);
  });
});
