/**
 * With several replicas, only the holder of the `coordination.k8s.io/v1` Lease writes statuses:
 * a live holder keeps everyone else out, an expired one is taken over, a released one is taken
 * over at once, and a leader that lost the Lease (or cannot renew it) stops writing.
 */
import { describe, expect, it } from 'vitest';
import type { KubernetesSourceOptions } from '../src/index.js';
import type { FakeApiServer, FakeObject } from '../src/testing/index.js';
import {
  GATEWAY,
  basicObjects,
  caughtUp,
  cluster,
  simpleRoute,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

const LEASE = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: GATEWAY.namespace,
  name: `switchyard-${GATEWAY.name}`,
};
const FAST = { leaseDurationSeconds: 1, renewIntervalMs: 100, retryIntervalMs: 50 };

function replica(
  api: FakeApiServer,
  identity: string,
  options: Partial<KubernetesSourceOptions> = {},
) {
  const started = startSource(api, { leaderElection: { ...FAST, identity }, ...options });
  open.sources.push(started.source);
  return started;
}

const micro = (date: Date) => date.toISOString().replace('Z', '000Z');
function leaseHeldBy(holderIdentity: string, resourceVersion?: string): FakeObject {
  return {
    apiVersion: LEASE.apiVersion,
    kind: 'Lease',
    metadata: {
      namespace: LEASE.namespace,
      name: LEASE.name,
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    spec: {
      holderIdentity,
      leaseDurationSeconds: 1,
      renewTime: micro(new Date()),
      leaseTransitions: 3,
    },
  };
}
const statusWrites = (api: FakeApiServer) =>
  api.requests.filter((r) => r.target?.subresource === 'status' && r.method !== 'GET');
const leaseSpec = (api: FakeApiServer) =>
  api.get(LEASE)?.['spec'] as Record<string, unknown> | undefined;

describe('leader election', () => {
  it('writes nothing while another live replica holds the Lease, and takes over once it expires', async () => {
    const api = await cluster([...basicObjects(), leaseHeldBy('other-replica')]);
    open.api = api;
    const renewing = setInterval(() => api.apply(leaseHeldBy('other-replica')), 150);
    const { source } = replica(api, 'me');
    try {
      await source.ready;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(source.isLeader()).toBe(false);
      expect(statusWrites(api)).toEqual([]);
    } finally {
      clearInterval(renewing);
    }
    await waitFor(() => source.isLeader(), 3000, 'the takeover');
    expect(leaseSpec(api)).toMatchObject({ holderIdentity: 'me', leaseTransitions: 4 });
    await caughtUp(api, source);
    expect(statusWrites(api).length).toBeGreaterThan(0);
  });

  it('lets exactly one of two replicas lead, and hands over at once when the leader closes', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    const a = replica(api, 'a', {
      leaderElection: {
        identity: 'a',
        leaseDurationSeconds: 30,
        renewIntervalMs: 100,
        retryIntervalMs: 50,
      },
    });
    const b = replica(api, 'b', {
      leaderElection: {
        identity: 'b',
        leaseDurationSeconds: 30,
        renewIntervalMs: 100,
        retryIntervalMs: 50,
      },
    });
    await Promise.all([a.source.ready, b.source.ready]);
    await waitFor(() => a.source.isLeader() || b.source.isLeader(), 2000, 'a leader');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([a.source.isLeader(), b.source.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.source.isLeader() ? [a, b] : [b, a];
    const started = Date.now();
    await leader.source.close();
    // Released (empty holder): no need to wait out the 30 s lease.
    await waitFor(() => follower.source.isLeader(), 2000, 'the handover');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(leaseSpec(api)?.['holderIdentity']).toBe(follower === a ? 'a' : 'b');
  });

  it('stops writing when it finds the Lease taken by another replica', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    const { source, events } = replica(api, 'me', {
      leaderElection: { ...FAST, identity: 'me', leaseDurationSeconds: 30 },
    });
    await source.ready;
    await waitFor(() => source.isLeader(), 2000, 'leadership');
    await caughtUp(api, source);
    const current = api.get(LEASE)!;
    api.apply({
      ...leaseHeldBy('intruder', current.metadata.resourceVersion),
      spec: { holderIdentity: 'intruder', leaseDurationSeconds: 30, renewTime: micro(new Date()) },
    });
    await waitFor(() => !source.isLeader(), 2000, 'stepping down');
    expect(events).toContainEqual({ type: 'leader', leading: false, identity: 'me' });
    const writes = statusWrites(api).length;
    api.apply(simpleRoute('shop', 'new', '/new', 'web'));
    await caughtUp(api, source);
    expect(statusWrites(api)).toHaveLength(writes);
  });

  it('steps down when it cannot renew within the lease duration', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    const { source } = replica(api, 'me');
    await source.ready;
    await waitFor(() => source.isLeader(), 2000, 'leadership');
    api.fail({ method: 'PUT', path: '/leases/', status: 500, times: 1000 });
    await waitFor(() => !source.isLeader(), 2500, 'stepping down');
  });

  it('writes renewTime and acquireTime as MicroTime, with holder, duration and transitions', async () => {
    const api = await cluster(basicObjects());
    open.api = api;
    const { source } = replica(api, 'me');
    await source.ready;
    await waitFor(() => source.isLeader(), 2000, 'leadership');
    const spec = leaseSpec(api)!;
    expect(spec).toMatchObject({
      holderIdentity: 'me',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
    });
    expect(spec['renewTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(spec['acquireTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const first = spec['renewTime'];
    await waitFor(() => leaseSpec(api)?.['renewTime'] !== first, 2000, 'a renewal');
    expect(leaseSpec(api)?.['acquireTime']).toBe(spec['acquireTime']);
  });
});
