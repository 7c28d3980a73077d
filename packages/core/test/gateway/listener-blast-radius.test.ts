// One listener's mistake stays on that listener: an unsupported protocol, an unusable certificate
// Secret or a malformed namespace selector on listener "broken" leaves every other listener's
// table entry (routes, order, actions) exactly as it was, and only "broken" leaves the table.
// (A conflict always involves two listeners; listener-conflicted.yaml pins that case.)
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import type { TableListener } from '../../src/index.js';

const pem = (label: string) => btoa(`-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`);
const secret = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace: 'infra', name },
  type: 'kubernetes.io/tls',
  data,
});
const goodData = { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') };
const https = (name: string, hostname: string, secretName: string) => ({
  name,
  port: 443,
  protocol: 'HTTPS',
  hostname,
  tls: { certificateRefs: [{ name: secretName }] },
  allowedRoutes: { namespaces: { from: 'All' } },
});
const http = (
  name: string,
  hostname: string,
  allowedRoutes: object = { namespaces: { from: 'All' } },
) => ({
  name,
  port: 80,
  protocol: 'HTTP',
  hostname,
  allowedRoutes,
});

function world(broken: object, extra: object[] = []) {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra', labels: { team: 'infra' } } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'infra', name: 'svc' },
      spec: { ports: [{ port: 8080 }] },
    },
    secret('good', goodData),
    ...extra,
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: 'gw' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [
          http('plain', 'a.example.com'),
          https('secure', 'b.example.com', 'good'),
          https('wild', '*.example.org', 'good'),
          broken,
        ],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { namespace: 'infra', name: 'all' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/x' } }],
            backendRefs: [{ name: 'svc', port: 8080 }],
          },
          { backendRefs: [{ name: 'svc', port: 8080 }] },
        ],
      },
    },
  ];
}

const others = (listeners: readonly TableListener[]) =>
  listeners.filter((l) => l.name !== 'broken').map(({ index: _index, ...rest }) => rest);

const healthy = https('broken', 'c.example.com', 'good');
const breakages: [string, object, object[]][] = [
  ['an unsupported protocol', { name: 'broken', port: 9000, protocol: 'TCP' }, []],
  [
    'a Secret without tls.key',
    https('broken', 'c.example.com', 'bad'),
    [secret('bad', { 'tls.crt': goodData['tls.crt'] })],
  ],
  [
    'a Secret that is not PEM',
    https('broken', 'c.example.com', 'bad'),
    [secret('bad', { 'tls.crt': btoa('junk'), 'tls.key': btoa('junk') })],
  ],
  ['a missing Secret', https('broken', 'c.example.com', 'absent'), []],
  [
    'Selector without a selector',
    http('broken', 'c.example.com', { namespaces: { from: 'Selector' } }),
    [],
  ],
  [
    'Exists with values',
    http('broken', 'c.example.com', {
      namespaces: {
        from: 'Selector',
        selector: { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['x'] }] },
      },
    }),
    [],
  ],
];

describe('listener blast radius: one broken listener changes nothing for the others', () => {
  const baseline = compile(world(healthy)).table.listeners;

  it('the healthy world serves every listener', () => {
    expect(baseline.map((l) => l.name).sort()).toEqual(['broken', 'plain', 'secure', 'wild']);
  });

  for (const [label, broken, extra] of breakages) {
    it(`${label}: only "broken" leaves the table; the others are unchanged`, () => {
      const table = compile(world(broken, extra)).table.listeners;
      expect(table.map((l) => l.name)).not.toContain('broken');
      expect(others(table)).toEqual(others(baseline));
    });
  }
});
