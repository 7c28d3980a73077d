/**
 * The one route table every candidate serves: a Gateway with 24 path-prefix rules in three
 * HTTPRoutes (a small real API; a route holds at most 16 rules), all to the same echo backend. The load hits one of them; the Switchyard candidates match
 * it through the compiled table, the others through their own prefix routing.
 */
export const NAMESPACE = 'bench';
export const SERVICE = 'api';
export const PORT = 8080;

/** The path every load generator requests. */
export const REQUEST_PATH = '/api/orders/12345?expand=items';

const PREFIXES = [
  'orders',
  'users',
  'payments',
  'invoices',
  'carts',
  'catalog',
  'search',
  'reviews',
  'shipping',
  'returns',
  'coupons',
  'loyalty',
  'stores',
  'inventory',
  'pricing',
  'tax',
  'auth',
  'sessions',
  'notifications',
  'webhooks',
  'reports',
  'exports',
  'admin',
  'health',
];

/** Gateway + Service + HTTPRoute, as a user would apply them. */
export function routeObjects(): unknown[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: NAMESPACE, name: 'gw' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: NAMESPACE, name: SERVICE },
      spec: { ports: [{ port: PORT }] },
    },
    ...[0, 1, 2].map((part) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { namespace: NAMESPACE, name: `api-${part}` },
      spec: {
        parentRefs: [{ name: 'gw' }],
        rules: PREFIXES.slice(part * 8, part * 8 + 8).map((prefix) => ({
          matches: [{ path: { type: 'PathPrefix', value: `/api/${prefix}` } }],
          backendRefs: [{ name: SERVICE, port: PORT }],
        })),
      },
    })),
  ];
}
