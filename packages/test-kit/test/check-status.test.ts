import type { Condition, GatewayStatus, RouteStatus } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { checkListenerStatus, checkRouteStatus } from '../src/index.js';
import type { StatusExpectation } from '../src/index.js';

const GROUP = 'gateway.networking.k8s.io';
const condition = (
  type: string,
  status: Condition['status'],
  reason: string,
  extra: Partial<Condition> = {},
): Condition => ({
  type,
  status,
  reason,
  message: '',
  ...extra,
});
const gatewayRef = { group: GROUP, kind: 'Gateway', namespace: 'infra', name: 'gw' };

const routes: RouteStatus[] = [
  {
    kind: 'HTTPRoute',
    namespace: 'infra',
    name: 'r',
    parents: [
      {
        parentRef: { ...gatewayRef, sectionName: 'http' },
        conditions: [
          condition('Accepted', 'True', 'Accepted', { observedGeneration: 2 }),
          condition('ResolvedRefs', 'False', 'BackendNotFound', {
            observedGeneration: 2,
            message: 'service "nope" not found',
          }),
        ],
      },
    ],
  },
];

const status = (extra: Partial<StatusExpectation>): StatusExpectation => ({
  route: 'infra/r',
  parent: { name: 'gw' },
  unknownKeys: [],
  ...extra,
});

describe('checkRouteStatus', () => {
  it('finds the parent by group/kind/namespace/name, ignoring sectionName', () => {
    const expected = status({
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted' },
        { type: 'ResolvedRefs', status: 'False' },
      ],
    });
    expect(checkRouteStatus(expected, routes)).toEqual([]);
  });

  it('reports a wrong status or reason and a missing condition', () => {
    const expected = status({
      conditions: [
        { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted' },
        { type: 'PartiallyInvalid', status: 'True' },
      ],
    });
    expect(checkRouteStatus(expected, routes)).toEqual([
      'infra/r → Gateway infra/gw section http: condition ResolvedRefs is False/BackendNotFound ("service \\"nope\\" not found"), expected False/RefNotPermitted',
      'infra/r → Gateway infra/gw section http: condition PartiallyInvalid is missing, expected True',
    ]);
  });

  it('messageContains and observedGeneration look at every condition', () => {
    expect(
      checkRouteStatus(status({ messageContains: 'not found', observedGeneration: 2 }), routes),
    ).toEqual([]);
    expect(checkRouteStatus(status({ messageContains: 'cyclic' }), routes)).toHaveLength(1);
    expect(checkRouteStatus(status({ observedGeneration: 1 }), routes)).toEqual([
      'infra/r → Gateway infra/gw section http: condition Accepted has observedGeneration 2, expected 1',
      'infra/r → Gateway infra/gw section http: condition ResolvedRefs has observedGeneration 2, expected 1',
    ]);
  });

  it('absent passes only without an entry for that parent', () => {
    expect(checkRouteStatus(status({ absent: true }), routes)).toEqual([
      'route infra/r has a status entry for Gateway infra/gw, expected none',
    ]);
    expect(
      checkRouteStatus(
        status({ absent: true, parent: { kind: 'HTTPRoute', name: 'parent' } }),
        routes,
      ),
    ).toEqual([]);
    expect(checkRouteStatus(status({ route: 'infra/other', absent: true }), routes)).toEqual([]);
  });

  it('a missing route or parent entry is a problem', () => {
    const conditions = [{ type: 'Accepted', status: 'True' as const }];
    expect(checkRouteStatus(status({ route: 'infra/other', conditions }), routes)).toEqual([
      'route infra/other has no status at all',
    ]);
    expect(
      checkRouteStatus(status({ parent: { namespace: 'web', name: 'gw' }, conditions }), routes),
    ).toEqual(['route infra/r has no status entry for Gateway web/gw (entries: Gateway infra/gw)']);
  });
});

describe('checkListenerStatus', () => {
  const gateways: GatewayStatus[] = [
    {
      kind: 'Gateway',
      namespace: 'infra',
      name: 'gw',
      conditions: [],
      listeners: [
        {
          name: 'http',
          attachedRoutes: 2,
          supportedKinds: [{ group: GROUP, kind: 'HTTPRoute' }],
          conditions: [condition('ResolvedRefs', 'False', 'InvalidRouteKinds')],
        },
        { name: 'empty', attachedRoutes: 0, supportedKinds: [], conditions: [] },
      ],
    },
  ];
  const listener = {
    gateway: { namespace: 'infra', name: 'gw' },
    listener: 'http',
    unknownKeys: [],
  };

  it('checks attachedRoutes, supportedKinds (exactly) and conditions', () => {
    const expected = {
      ...listener,
      attachedRoutes: 2,
      supportedKinds: ['HTTPRoute'],
      conditions: [{ type: 'ResolvedRefs', status: 'False' as const, reason: 'InvalidRouteKinds' }],
    };
    expect(checkListenerStatus(expected, gateways)).toEqual([]);
    expect(
      checkListenerStatus({ ...expected, attachedRoutes: 1, supportedKinds: [] }, gateways),
    ).toEqual([
      'Gateway infra/gw listener http: attachedRoutes is 2, expected 1',
      'Gateway infra/gw listener http: supportedKinds is [HTTPRoute], expected []',
    ]);
    expect(
      checkListenerStatus({ ...listener, listener: 'empty', supportedKinds: [] }, gateways),
    ).toEqual([]);
    expect(
      checkListenerStatus(
        { ...listener, listener: 'empty', supportedKinds: ['HTTPRoute'] },
        gateways,
      ),
    ).toHaveLength(1);
  });

  it('names a missing Gateway or listener', () => {
    expect(
      checkListenerStatus({ ...listener, gateway: { namespace: 'infra', name: 'x' } }, gateways),
    ).toEqual(['Gateway infra/x has no status']);
    expect(checkListenerStatus({ ...listener, listener: 'tls' }, gateways)).toEqual([
      'Gateway infra/gw listener tls: no such listener status (listeners: http, empty)',
    ]);
  });
});
