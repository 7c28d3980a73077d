/**
 * The pure parts of status write-back: which `status.parents` entries are ours, how ours are
 * merged among others', when a write is needed, how `lastTransitionTime` is carried; plus the
 * backoff and option checks.
 */
import type { GatewayStatus, RouteParentStatus } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createKubernetesSource } from '../src/index.js';
import { timestamp, withTransitionTimes } from '../src/status/conditions.js';
import { mergeGatewayStatus } from '../src/status/gateway-status.js';
import { isOurEntry, mergeRouteParents } from '../src/status/route-status.js';
import { createBackoff } from '../src/watch/backoff.js';

const ME = 'example.com/me';
const GW = { namespace: 'gw', name: 'http' };
const OWNER = { controllerName: 'example.com/me', gateway: GW };
const NOW = '2025-06-01T12:00:00Z';
const EARLIER = '2025-01-01T00:00:00Z';
const gatewayRef = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  namespace: 'gw',
  name: 'http',
};
const accepted = (status: 'True' | 'False', observedGeneration = 1) => ({
  type: 'Accepted',
  status,
  reason: status === 'True' ? 'Accepted' : 'NotAllowedByListeners',
  message: 'm',
  observedGeneration,
});
const desired = (status: 'True' | 'False', generation = 1): RouteParentStatus[] => [
  { parentRef: gatewayRef, conditions: [accepted(status, generation)] },
];

describe('isOurEntry', () => {
  it('claims our controllerName on our Gateway and on delegating routes, nothing else', () => {
    const entry = (controllerName: string, parentRef: object) => ({
      controllerName,
      parentRef,
      conditions: [],
    });
    expect(isOurEntry(entry(ME, gatewayRef), OWNER)).toBe(true);
    expect(isOurEntry(entry(ME, { kind: 'HTTPRoute', namespace: 'a', name: 'p' }), OWNER)).toBe(
      true,
    );
    expect(isOurEntry(entry(ME, { ...gatewayRef, name: 'other' }), OWNER)).toBe(false);
    expect(isOurEntry(entry('example.com/them', gatewayRef), OWNER)).toBe(false);
    // Defaults: kind Gateway and group gateway.networking.k8s.io when omitted.
    expect(isOurEntry(entry(ME, { namespace: 'gw', name: 'http' }), OWNER)).toBe(true);
  });
});

describe('mergeRouteParents', () => {
  const theirs = {
    controllerName: 'example.com/them',
    parentRef: gatewayRef,
    conditions: [{ ...accepted('True'), lastTransitionTime: EARLIER }],
  };

  it('puts ours after the others, in compile order, with controllerName and times', () => {
    const { parents, changed } = mergeRouteParents([theirs], desired('True'), OWNER, NOW);
    expect(changed).toBe(true);
    expect(parents).toEqual([
      theirs,
      {
        parentRef: gatewayRef,
        controllerName: ME,
        conditions: [{ ...accepted('True'), lastTransitionTime: NOW }],
      },
    ]);
  });

  it('needs no write when only the time would differ', () => {
    const ours = {
      parentRef: gatewayRef,
      controllerName: ME,
      conditions: [{ ...accepted('True'), lastTransitionTime: EARLIER }],
    };
    expect(mergeRouteParents([ours, theirs], desired('True'), OWNER, NOW).changed).toBe(false);
  });

  it('keeps lastTransitionTime when the status stays, moves it when the status flips', () => {
    const ours = {
      parentRef: gatewayRef,
      controllerName: ME,
      conditions: [{ ...accepted('True'), lastTransitionTime: EARLIER }],
    };
    const bumped = mergeRouteParents([ours], desired('True', 2), OWNER, NOW);
    expect(bumped.changed).toBe(true);
    expect((bumped.parents[0] as typeof ours).conditions[0]!.lastTransitionTime).toBe(EARLIER);
    const flipped = mergeRouteParents([ours], desired('False', 2), OWNER, NOW);
    expect((flipped.parents[0] as typeof ours).conditions[0]!.lastTransitionTime).toBe(NOW);
  });

  it('removes our entries when compile reports none, and tolerates a missing or malformed status', () => {
    const ours = { parentRef: gatewayRef, controllerName: ME, conditions: [] };
    expect(mergeRouteParents([theirs, ours], [], OWNER, NOW)).toEqual({
      parents: [theirs],
      changed: true,
    });
    expect(mergeRouteParents(undefined, [], OWNER, NOW)).toEqual({ parents: [], changed: false });
    expect(mergeRouteParents('garbage', desired('True'), OWNER, NOW).changed).toBe(true);
  });
});

describe('mergeGatewayStatus', () => {
  const status: GatewayStatus = {
    kind: 'Gateway',
    namespace: 'gw',
    name: 'http',
    conditions: [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'ok',
        observedGeneration: 1,
      },
    ],
    listeners: [
      {
        name: 'http',
        attachedRoutes: 2,
        supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        conditions: [],
      },
    ],
  };

  it('replaces conditions and listeners, keeps the rest, and says when nothing changed', () => {
    const first = mergeGatewayStatus({ addresses: [{ value: '10.0.0.1' }] }, status, NOW);
    expect(first.changed).toBe(true);
    expect(first.status).toMatchObject({
      addresses: [{ value: '10.0.0.1' }],
      listeners: [{ name: 'http', attachedRoutes: 2 }],
    });
    expect(mergeGatewayStatus(first.status, status, '2030-01-01T00:00:00Z')).toEqual({
      status: first.status,
      changed: false,
    });
    const moreRoutes = { ...status, listeners: [{ ...status.listeners[0]!, attachedRoutes: 3 }] };
    expect(mergeGatewayStatus(first.status, moreRoutes, NOW).changed).toBe(true);
  });
});

describe('conditions', () => {
  it('writes times with second precision', () => {
    expect(timestamp(new Date('2025-06-01T12:00:00.987Z'))).toBe('2025-06-01T12:00:00Z');
  });

  it('cuts messages to the length the CRDs accept', () => {
    const long = { ...accepted('False'), message: 'x'.repeat(40_000) };
    const [written] = withTransitionTimes([long], [], NOW);
    expect(written!.message).toHaveLength(32768);
    expect(written!.message.endsWith('...')).toBe(true);
  });

  it('uses now for a condition type seen for the first time', () => {
    expect(withTransitionTimes([accepted('True')], [], NOW)[0]!.lastTransitionTime).toBe(NOW);
  });
});

describe('backoff', () => {
  it('doubles up to the maximum, with jitter in the upper half, and resets', () => {
    const half = createBackoff({ initialMs: 100, maxMs: 500 }, () => 0);
    expect([half.next(), half.next(), half.next(), half.next(), half.next()]).toEqual([
      50, 100, 200, 250, 250,
    ]);
    half.reset();
    expect(half.next()).toBe(50);
    const full = createBackoff({ initialMs: 100, maxMs: 500 }, () => 0.999999);
    expect(full.next()).toBe(100);
  });
});

describe('options', () => {
  it('rejects a controllerName that is not a domain-prefixed path, and a missing Gateway', () => {
    expect(() => createKubernetesSource({ gateway: GW, controllerName: 'switchyard' })).toThrow(
      /controllerName/,
    );
    expect(() =>
      createKubernetesSource({ gateway: { namespace: '', name: 'x' }, controllerName: ME }),
    ).toThrow(/gateway/);
  });
});
