/**
 * GatewayClass ownership: a controllerName decides which GatewayClasses are ours; only Gateways
 * of those classes are served, and nothing else gets status from us. Our classes get `Accepted`
 * and `SupportedVersion` (from the Gateway API CRDs' bundle-version annotation).
 */
import { describe, expect, it } from 'vitest';
import {
  gatewayClassConditions,
  mergeGatewayClassStatus,
} from '../src/status/gateway-class-status.js';
import { mergeRouteParents, MAX_PARENTS } from '../src/status/route-status.js';
import type { FakeObject } from '../src/testing/index.js';
import {
  CONTROLLER,
  GATEWAY,
  basicObjects,
  caughtUp,
  closeAfterEach,
  cluster,
  gateway,
  gatewayClass,
  startSource,
  waitFor,
} from './fixtures.js';

const open = closeAfterEach();
const KGATEWAY = 'kgateway.dev/kgateway';

function crd(bundleVersion: string | undefined): FakeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: 'gatewayclasses.gateway.networking.k8s.io',
      ...(bundleVersion === undefined
        ? {}
        : { annotations: { 'gateway.networking.k8s.io/bundle-version': bundleVersion } }),
    },
  };
}

function conditionsOf(object: FakeObject | undefined): Record<string, unknown>[] {
  return ((object?.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ??
    []) as Record<string, unknown>[];
}

async function start(objects: FakeObject[]) {
  const api = (open.api = await cluster(objects));
  const started = startSource(api);
  open.sources.push(started.source);
  await started.source.ready;
  await caughtUp(api, started.source);
  return { api, ...started };
}

describe('GatewayClass', () => {
  it('accepts our GatewayClass: Accepted and SupportedVersion True for a v1.x bundle', async () => {
    const { api } = await start([crd('v1.2.1'), ...basicObjects()]);
    const conditions = conditionsOf(api.get({ kind: 'GatewayClass', name: 'switchyard' }));
    expect(conditions.map((c) => [c['type'], c['status'], c['reason']])).toEqual([
      ['Accepted', 'True', 'Accepted'],
      ['SupportedVersion', 'True', 'SupportedVersion'],
    ]);
  });

  it('SupportedVersion is False (UnsupportedVersion) for an unknown bundle or none', async () => {
    const { api, source } = await start([crd('v2.0.0'), ...basicObjects()]);
    const read = () => conditionsOf(api.get({ kind: 'GatewayClass', name: 'switchyard' }));
    expect(read()[1]).toMatchObject({ status: 'False', reason: 'UnsupportedVersion' });
    expect(String(read()[1]!['message'])).toContain('v2.0.0');
    api.delete({ kind: 'CustomResourceDefinition', name: crd(undefined).metadata.name });
    // A spec change of the class makes a new pass; the annotation is read again.
    api.apply({ ...gatewayClass(), metadata: { name: 'switchyard', labels: { a: 'b' } } });
    await caughtUp(api, source);
    await waitFor(() => String(read()[1]?.['message']).includes('no gateway.networking'));
  });

  it('never writes the status of a GatewayClass of another controller', async () => {
    const { api } = await start([gatewayClass('kgateway', KGATEWAY), ...basicObjects()]);
    expect(api.get({ kind: 'GatewayClass', name: 'kgateway' })?.status).toBeUndefined();
  });

  it('does not serve a Gateway whose class is another controller’s, and writes no status on it or its routes', async () => {
    const foreign = {
      ...gateway(),
      spec: { ...(gateway()['spec'] as object), gatewayClassName: 'kgateway' },
    };
    const objects = basicObjects().map((o) => (o.kind === 'Gateway' ? foreign : o));
    const { api, source } = await start([
      gatewayClass(),
      gatewayClass('kgateway', KGATEWAY),
      ...objects,
    ]);
    api.setStatus(
      { kind: 'Gateway', namespace: GATEWAY.namespace, name: GATEWAY.name },
      {
        conditions: [
          {
            type: 'Programmed',
            status: 'True',
            reason: 'Programmed',
            message: 'kgateway',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    );
    await caughtUp(api, source);
    expect(source.current().listeners).toHaveLength(0);
    expect(source.problems()).toEqual([
      expect.objectContaining({ code: 'gateway-class-foreign', subject: 'Gateway gw/http' }),
    ]);
    expect(source.problems()[0]!.detail).toContain(KGATEWAY);
    const status = api.get({ kind: 'Gateway', namespace: 'gw', name: 'http' })?.status;
    expect(status).toEqual({ conditions: [expect.objectContaining({ message: 'kgateway' })] });
    expect(api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })?.status).toBeUndefined();

    // Moving the Gateway over: its class now names ours, and it is served.
    api.apply(gateway());
    await caughtUp(api, source);
    await waitFor(() => source.current().listeners.length === 1, 5000, 'the moved Gateway');
    expect(source.problems()).toEqual([]);
  });

  it('says when the GatewayClass a Gateway names does not exist', async () => {
    const api = (open.api = await cluster([gatewayClass('other', CONTROLLER), ...basicObjects()]));
    const { source } = startSource(api);
    open.sources.push(source);
    await source.ready;
    expect(source.problems()).toEqual([
      expect.objectContaining({ code: 'gateway-class-missing', subject: 'Gateway gw/http' }),
    ]);
  });
});

describe('GatewayClass conditions', () => {
  it('SupportedVersion: any v1.x release (pre-releases too) is supported, v0 and v2 are not', () => {
    const supported = (version: string) => gatewayClassConditions(1, { version })[1]!.status;
    expect(['v1.0.0', 'v1.3.0', 'v1.4.0-rc.1'].map(supported)).toEqual(['True', 'True', 'True']);
    expect(['v0.8.1', 'v2.0.0', '1.3.0', 'v1.3'].map(supported)).toEqual([
      'False',
      'False',
      'False',
      'False',
    ]);
  });

  it('keeps condition types written by others, and the transition time of an unchanged condition', () => {
    const theirs = {
      type: 'Vendor',
      status: 'True',
      reason: 'X',
      message: '',
      lastTransitionTime: 't0',
    };
    const desired = gatewayClassConditions(2, { version: 'v1.2.1' });
    const first = mergeGatewayClassStatus({ conditions: [theirs] }, desired, 't1');
    expect(first.changed).toBe(true);
    const again = mergeGatewayClassStatus(first.status, desired, 't2');
    expect(again.changed).toBe(false);
    const conditions = again.status['conditions'] as Record<string, unknown>[];
    expect(conditions[0]).toEqual(theirs);
    expect(conditions.slice(1).map((c) => c['lastTransitionTime'])).toEqual(['t1', 't1']);
  });
});

describe('status.parents', () => {
  const entry = (controllerName: string, name: string) => ({
    parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'x', name },
    controllerName,
    conditions: [],
  });

  it(`never exceeds the CRD's ${MAX_PARENTS} entries: other controllers' entries stay, ours fill the room left`, () => {
    const others = Array.from({ length: 30 }, (_, i) => entry(KGATEWAY, `g${i}`));
    const ours = Array.from({ length: 5 }, (_, i) => ({
      parentRef: {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute' as const,
        namespace: 'x',
        name: `parent${i}`,
      },
      conditions: [{ type: 'Accepted', status: 'True' as const, reason: 'Accepted', message: '' }],
    }));
    const merged = mergeRouteParents(
      others,
      ours,
      { controllerName: CONTROLLER, gateway: GATEWAY },
      'now',
    );
    expect(merged.parents).toHaveLength(MAX_PARENTS);
    expect(merged.parents.slice(0, 30)).toEqual(others);
    expect((merged.parents[30] as { parentRef: { name: string } }).parentRef.name).toBe('parent0');
  });
});
