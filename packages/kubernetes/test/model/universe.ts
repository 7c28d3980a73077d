/**
 * The objects the model-based test plays with: a fixed set of slots (kind/namespace/name), each
 * with a few versions that interact through the routing rules: listeners that admit namespaces
 * by label, delegation by label and by namespace, children in and out of their delegated scope,
 * cross-namespace backends with and without a ReferenceGrant, Services whose ports come and go,
 * kgateway Backends, routes on another controller's Gateway, EndpointSlices with ready, unready
 * and duplicate endpoints.
 */
import type { FakeObject } from '../../src/testing/index.js';
import { GATEWAY, GATEWAY_API } from '../fixtures.js';

export interface Slot {
  readonly id: string;
  readonly versions: readonly FakeObject[];
}

const ns = (name: string, labels: Record<string, string> = {}): FakeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});

const obj = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  body: object,
  metadata: object = {},
): FakeObject => ({
  apiVersion,
  kind,
  metadata: { namespace, name, ...metadata },
  ...body,
});

const ourGateway = { name: GATEWAY.name, namespace: GATEWAY.namespace };
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
const toService = (name: string, port = 8080, namespace?: string) => ({
  name,
  port,
  ...(namespace ? { namespace } : {}),
});
const httpRoute = (namespace: string, name: string, spec: object, metadata: object = {}) =>
  obj(GATEWAY_API, 'HTTPRoute', namespace, name, { spec }, metadata);
const teamLabel = (value: string) => ({ labels: { 'delegation.kgateway.dev/label': value } });

export const SLOTS: readonly Slot[] = [
  { id: 'ns/team-a', versions: [ns('team-a'), ns('team-a', { tier: 'gold' })] },
  { id: 'ns/team-b', versions: [ns('team-b'), ns('team-b', { tier: 'gold' })] },
  {
    id: 'gateway/gw/http',
    versions: [
      [
        {
          name: 'http',
          port: 8080,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
      [
        {
          name: 'http',
          port: 8080,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
        {
          name: 'gold',
          port: 8081,
          protocol: 'HTTP',
          hostname: '*.gold.example',
          allowedRoutes: {
            namespaces: { from: 'Selector', selector: { matchLabels: { tier: 'gold' } } },
          },
        },
      ],
      [
        {
          name: 'http',
          port: 8080,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
      ],
    ].map((listeners) =>
      obj(GATEWAY_API, 'Gateway', GATEWAY.namespace, GATEWAY.name, {
        spec: { gatewayClassName: 'switchyard', listeners },
      }),
    ),
  },
  {
    // Another controller's Gateway: never in our table, never in our statuses.
    id: 'gateway/other/gw2',
    versions: [
      obj(GATEWAY_API, 'Gateway', 'other', 'gw2', {
        spec: {
          gatewayClassName: 'someone-else',
          listeners: [
            {
              name: 'http',
              port: 80,
              protocol: 'HTTP',
              allowedRoutes: { namespaces: { from: 'All' } },
            },
          ],
        },
      }),
    ],
  },
  {
    id: 'route/gw/parent',
    versions: [
      httpRoute(GATEWAY.namespace, 'parent', {
        parentRefs: [ourGateway],
        hostnames: ['api.example'],
        rules: [
          {
            matches: [prefix('/a')],
            backendRefs: [
              { group: 'delegation.kgateway.dev', kind: 'label', name: 'team-a', namespace: 'all' },
            ],
          },
          {
            matches: [prefix('/b')],
            backendRefs: [
              {
                group: 'gateway.networking.k8s.io',
                kind: 'HTTPRoute',
                name: '*',
                namespace: 'team-b',
              },
            ],
          },
          { matches: [prefix('/direct')], backendRefs: [toService('a2', 8080, 'team-a')] },
        ],
      }),
      httpRoute(GATEWAY.namespace, 'parent', {
        parentRefs: [ourGateway],
        rules: [
          {
            matches: [prefix('/a')],
            backendRefs: [
              { group: 'delegation.kgateway.dev', kind: 'label', name: 'team-a', namespace: 'all' },
            ],
          },
        ],
      }),
    ],
  },
  {
    id: 'route/team-a/child',
    versions: [
      httpRoute(
        'team-a',
        'child',
        { rules: [{ matches: [prefix('/a/x')], backendRefs: [toService('a1')] }] },
        teamLabel('team-a'),
      ),
      httpRoute(
        'team-a',
        'child',
        {
          rules: [
            {
              matches: [prefix('/a/y'), prefix('/b/evil')],
              backendRefs: [toService('a1'), toService('a2')],
            },
            { matches: [prefix('/a/z')], backendRefs: [toService('missing')] },
          ],
        },
        teamLabel('team-a'),
      ),
      httpRoute(
        'team-a',
        'child',
        { rules: [{ matches: [prefix('/rel')], backendRefs: [toService('a1', 9090)] }] },
        {
          ...teamLabel('team-a'),
          annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' },
        },
      ),
    ],
  },
  {
    id: 'route/team-b/child',
    versions: [
      httpRoute('team-b', 'child', {
        rules: [{ matches: [prefix('/b')], backendRefs: [toService('b1')] }],
      }),
      httpRoute('team-b', 'child', {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'HTTPRoute',
            name: 'parent',
            namespace: GATEWAY.namespace,
          },
        ],
        rules: [
          {
            matches: [prefix('/b/ext')],
            backendRefs: [
              { group: 'gateway.kgateway.dev', kind: 'Backend', name: 'ext', port: 443 },
            ],
          },
        ],
      }),
      // Consents only to a parent that does not exist: skipped without a status entry.
      httpRoute('team-b', 'child', {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'HTTPRoute',
            name: 'nobody',
            namespace: 'team-b',
          },
        ],
        rules: [{ matches: [prefix('/b')], backendRefs: [toService('b1')] }],
      }),
    ],
  },
  {
    id: 'route/team-a/direct',
    versions: [
      httpRoute('team-a', 'direct', {
        parentRefs: [ourGateway],
        hostnames: ['shop.gold.example', 'www.example'],
        rules: [
          {
            matches: [prefix('/shop')],
            backendRefs: [toService('a1'), toService('b1', 8080, 'team-b')],
          },
        ],
      }),
      httpRoute('team-a', 'direct', {
        parentRefs: [
          { ...ourGateway, sectionName: 'gold' },
          { name: 'gw2', namespace: 'other' },
        ],
        rules: [{ matches: [prefix('/gold')], backendRefs: [toService('a2')] }],
      }),
      httpRoute('team-a', 'direct', {
        parentRefs: [{ name: 'gw2', namespace: 'other' }],
        rules: [{ backendRefs: [toService('a1')] }],
      }),
    ],
  },
  {
    id: 'grant/team-a/from-gw',
    versions: [
      obj(GATEWAY_API.replace('/v1', '/v1beta1'), 'ReferenceGrant', 'team-a', 'from-gw', {
        spec: {
          from: [
            { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: GATEWAY.namespace },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      }),
      obj(GATEWAY_API.replace('/v1', '/v1beta1'), 'ReferenceGrant', 'team-a', 'from-gw', {
        spec: {
          from: [
            { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: GATEWAY.namespace },
          ],
          to: [{ group: '', kind: 'Service', name: 'a1' }],
        },
      }),
    ],
  },
  {
    id: 'grant/team-b/from-a',
    versions: [
      obj(GATEWAY_API.replace('/v1', '/v1beta1'), 'ReferenceGrant', 'team-b', 'from-a', {
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-a' }],
          to: [{ group: '', kind: 'Service', name: 'b1' }],
        },
      }),
    ],
  },
  {
    id: 'service/team-a/a1',
    versions: [
      obj('v1', 'Service', 'team-a', 'a1', {
        spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 8080 }] },
      }),
      obj('v1', 'Service', 'team-a', 'a1', {
        spec: { type: 'ClusterIP', ports: [{ port: 9090 }] },
      }),
      obj('v1', 'Service', 'team-a', 'a1', {
        spec: {
          type: 'ClusterIP',
          ports: [
            { name: 'http', port: 8080 },
            { name: 'alt', port: 9090 },
          ],
        },
      }),
    ],
  },
  {
    id: 'service/team-a/a2',
    versions: [
      obj('v1', 'Service', 'team-a', 'a2', {
        spec: { type: 'ClusterIP', ports: [{ port: 8080 }] },
      }),
    ],
  },
  {
    id: 'service/team-b/b1',
    versions: [
      obj('v1', 'Service', 'team-b', 'b1', {
        spec: {
          type: 'ClusterIP',
          ports: [
            { name: 'http', port: 8080 },
            { name: 'admin', port: 9000 },
          ],
        },
      }),
      obj('v1', 'Service', 'team-b', 'b1', {
        spec: {
          type: 'ExternalName',
          externalName: 'b1.example.net',
          ports: [{ name: 'http', port: 8080 }],
        },
      }),
    ],
  },
  {
    id: 'backend/team-b/ext',
    versions: [
      obj('gateway.kgateway.dev/v1alpha1', 'Backend', 'team-b', 'ext', {
        spec: { type: 'Static', static: { hosts: [{ host: 'ext.example', port: 443 }] } },
      }),
      obj('gateway.kgateway.dev/v1alpha1', 'Backend', 'team-b', 'ext', {
        spec: { type: 'Static', static: { hosts: [{ host: 'ext2.example', port: 8443 }] } },
      }),
    ],
  },
  {
    id: 'slice/team-a/a1-x',
    versions: [
      slice(
        'team-a',
        'a1-x',
        'a1',
        [{ name: 'http', port: 3000 }],
        [
          ['10.0.1.1', true],
          ['10.0.1.2', false],
        ],
      ),
      slice(
        'team-a',
        'a1-x',
        'a1',
        [
          { name: '', port: 3001 },
          { name: 'alt', port: 3002 },
        ],
        [['10.0.1.3', undefined]],
      ),
      slice('team-a', 'a1-x', 'a1', [{ name: 'http', port: 3000 }], []),
    ],
  },
  {
    id: 'slice/team-a/a1-y',
    versions: [
      slice(
        'team-a',
        'a1-y',
        'a1',
        [{ name: 'http', port: 3000 }],
        [
          ['10.0.1.1', true],
          ['fd00::4', undefined],
        ],
      ),
    ],
  },
  {
    id: 'slice/team-b/b1-x',
    versions: [
      slice(
        'team-b',
        'b1-x',
        'b1',
        [
          { name: 'http', port: 4000 },
          { name: 'admin', port: 4001 },
        ],
        [['10.0.2.1', true]],
      ),
      slice(
        'team-b',
        'b1-x',
        'b1',
        [{ name: 'http', port: 4000 }],
        [
          ['10.0.2.1', false],
          ['10.0.2.2', false],
        ],
      ),
    ],
  },
];

/** Objects present before the first command (the namespaces the rest live in). */
export const BASE_OBJECTS: readonly FakeObject[] = [ns(GATEWAY.namespace), ns('other')];

function slice(
  namespace: string,
  name: string,
  service: string,
  ports: { name: string; port: number }[],
  endpoints: [string, boolean | undefined][],
): FakeObject {
  return obj(
    'discovery.k8s.io/v1',
    'EndpointSlice',
    namespace,
    name,
    {
      addressType: 'IPv4',
      ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
      endpoints: endpoints.map(([ip, ready]) => ({
        addresses: [ip],
        conditions: ready === undefined ? {} : { ready },
      })),
    },
    { labels: { 'kubernetes.io/service-name': service } },
  );
}
