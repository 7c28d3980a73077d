/**
 * A small world for the behaviour tests: a Gateway `infra/gw` (HTTP, port 80) and one HTTPRoute
 * whose rules cover what an adapter must carry out: a plain proxied prefix, a prefix served by an
 * in-process handler with a rewrite and header filters, a weighted split between a handler and a
 * socket backend, a redirect, and a rule whose only backend is missing (500).
 */
import { compile } from '@switchyard/core';
import type { RouteTable } from '@switchyard/core';

const NS = 'infra';

function route(name: string, rules: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace: NS, name },
    spec: { parentRefs: [{ name: 'gw' }], rules },
  };
}

const prefix = (value: string) => [{ path: { type: 'PathPrefix', value } }];
const service = (name: string, weight?: number) => ({
  name,
  port: 8080,
  ...(weight === undefined ? {} : { weight }),
});

export interface WorldOptions {
  /** Rules appended to the route (for swaps). */
  readonly extraRules?: readonly Record<string, unknown>[];
  /** Add an HTTPS listener on port 443 (certificate Secret `infra/cert`) next to HTTP on 80. */
  readonly https?: boolean;
}

const HTTPS_LISTENER = {
  name: 'https',
  port: 443,
  protocol: 'HTTPS',
  tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] },
};

const CERT_SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/tls',
  metadata: { namespace: NS, name: 'cert' },
  data: { 'tls.crt': 'PLACEHOLDER', 'tls.key': 'PLACEHOLDER' },
};

/** The objects. */
export function worldObjects(options: WorldOptions = {}): unknown[] {
  const listeners: Record<string, unknown>[] = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  if (options.https === true) listeners.push(HTTPS_LISTENER);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    ...(options.https === true ? [CERT_SECRET] : []),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: NS, name: 'gw' },
      spec: { gatewayClassName: 'switchyard', listeners },
    },
    ...['banking', 'payments', 'left', 'right', 'fresh'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: NS, name },
      spec: { ports: [{ port: 8080 }] },
    })),
    route('world', [
      { matches: prefix('/banking'), backendRefs: [service('banking')] },
      {
        matches: prefix('/payments'),
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
          },
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: {
              set: [{ name: 'X-Team', value: 'payments' }],
              remove: ['x-secret'],
            },
          },
          {
            type: 'ResponseHeaderModifier',
            responseHeaderModifier: {
              set: [{ name: 'X-Served-By', value: 'switchyard' }],
              remove: ['x-internal'],
            },
          },
        ],
        backendRefs: [service('payments')],
      },
      { matches: prefix('/split'), backendRefs: [service('left', 1), service('right', 1)] },
      {
        matches: prefix('/moved'),
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: { hostname: 'elsewhere.example', statusCode: 301 },
          },
        ],
      },
      { matches: prefix('/broken'), backendRefs: [service('missing')] },
      ...(options.extraRules ?? []),
    ]),
  ];
}

/** The world's table. */
export function worldTable(options: WorldOptions = {}): RouteTable {
  // The adapters load the key pair from files (`testCertificate()`); the Secret is only a name.
  return compile(worldObjects(options), { checkCertificateData: false }).table;
}

/** A rule sending `/fresh` to the Service `fresh` (added by a swap). */
export const FRESH_RULE = { matches: prefix('/fresh'), backendRefs: [service('fresh')] };
