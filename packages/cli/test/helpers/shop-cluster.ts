/**
 * The cluster objects the `serve --kubernetes` tests share: a Gateway `http` with one HTTP
 * listener on 8080 open to routes from every namespace, and the `shop` team's Service `web` whose
 * one ready endpoint is the test's backend, routed from `/shop` by the HTTPRoute `shop/web`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeObject } from '@switchyard/kubernetes/testing';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';

/** Gateway `<namespace>/http` of class `className`, one listener `http` on 8080. */
export function httpGateway(namespace: string, className: string): FakeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: { namespace, name: 'http' },
    spec: {
      gatewayClassName: className,
      listeners: [
        {
          name: 'http',
          port: 8080,
          protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    },
  };
}

export interface ShopOptions {
  /** Namespace of the Gateway `http` the route attaches to. */
  readonly gatewayNamespace: string;
  /** Port the test's backend listens on (127.0.0.1), the endpoint's port. */
  readonly backendPort: number;
  /** The Service port's `targetPort`, when the test sets one. */
  readonly targetPort?: number;
}

/** Service `shop/web:8080`, its EndpointSlice to the backend, and HTTPRoute `shop/web` (`/shop`). */
export function shopObjects(options: ShopOptions): FakeObject[] {
  const port = options.targetPort === undefined ? {} : { targetPort: options.targetPort };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'shop', name: 'web' },
      spec: { ports: [{ port: 8080, ...port }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        namespace: 'shop',
        name: 'web-1',
        labels: { 'kubernetes.io/service-name': 'web' },
      },
      addressType: 'IPv4',
      ports: [{ name: '', port: options.backendPort, protocol: 'TCP' }],
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    },
    {
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: { namespace: 'shop', name: 'web' },
      spec: {
        parentRefs: [{ name: 'http', namespace: options.gatewayNamespace }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/shop' } }],
            backendRefs: [{ name: 'web', port: 8080 }],
          },
        ],
      },
    },
  ];
}

/** The `shop/web` endpoint: answers `backend saw <request target>` on 127.0.0.1. */
export interface ShopBackend {
  readonly port: number;
  close(): Promise<void>;
}

export async function startShopBackend(): Promise<ShopBackend> {
  const server = createServer((req, res) => res.end(`backend saw ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
