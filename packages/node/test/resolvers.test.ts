// Backend resolvers: cluster DNS, a static map (plain object or live Map), kgateway static hosts,
// and the chain that asks them in order.
import { describe, expect, it } from 'vitest';
import {
  chainResolvers,
  defaultResolver,
  dnsResolver,
  originOf,
  staticBackendResolver,
  staticResolver,
} from '../src/index.js';
import type { BackendTarget } from '../src/index.js';

const service = (name: string, port = 8080, extra: Partial<BackendTarget> = {}): BackendTarget => ({
  group: '',
  kind: 'Service',
  namespace: 'payments',
  name,
  port,
  ...extra,
});

const staticBackend: BackendTarget = {
  group: 'gateway.kgateway.dev',
  kind: 'Backend',
  namespace: 'ext',
  name: 'api',
  port: 443,
  address: {
    hosts: [
      { host: 'api.example.com', port: 443 },
      { host: '10.0.0.5', port: 8443 },
    ],
    tls: true,
  },
};

describe('resolvers', () => {
  it('dnsResolver: Services by cluster DNS name, nothing else', () => {
    expect(dnsResolver().resolve(service('bff'))).toEqual({
      origins: ['http://bff.payments.svc.cluster.local:8080'],
    });
    expect(dnsResolver({ clusterDomain: 'corp.internal' }).resolve(service('bff', 9000))).toEqual({
      origins: ['http://bff.payments.svc.corp.internal:9000'],
    });
    expect(dnsResolver().resolve(staticBackend)).toBeUndefined();
  });

  it('staticResolver: by namespace/name:port, then namespace/name; a live Map is re-read', () => {
    const resolver = staticResolver({
      'payments/bff:8080': 'http://127.0.0.1:9003',
      'payments/web': ['http://127.0.0.1:9004/', 'http://127.0.0.1:9005'],
      'payments/none': [],
    });
    expect(resolver.resolve(service('bff'))).toEqual({ origins: ['http://127.0.0.1:9003'] });
    expect(resolver.resolve(service('bff', 9999))).toBeUndefined();
    expect(resolver.resolve(service('web', 1))).toEqual({
      origins: ['http://127.0.0.1:9004', 'http://127.0.0.1:9005'],
    });
    expect(resolver.resolve(service('none'))).toEqual({
      status: 503,
      reason: 'no endpoints configured',
    });
    expect(resolver.resolve(service('__proto__'))).toBeUndefined();
    const live = new Map<string, string>();
    const fromMap = staticResolver(live);
    expect(fromMap.resolve(service('bff'))).toBeUndefined();
    live.set('payments/bff:8080', 'http://127.0.0.1:1234');
    expect(fromMap.resolve(service('bff'))).toEqual({ origins: ['http://127.0.0.1:1234'] });
  });

  it('staticBackendResolver: dials static hosts, TLS when asked or on 443', () => {
    expect(staticBackendResolver().resolve(staticBackend)).toEqual({
      origins: ['https://api.example.com', 'https://10.0.0.5:8443'],
    });
    expect(
      staticBackendResolver().resolve({
        ...staticBackend,
        address: { hosts: [{ host: '::1', port: 80 }], tls: false },
      }),
    ).toEqual({ origins: ['http://[::1]'] });
    expect(staticBackendResolver().resolve(service('bff'))).toBeUndefined();
  });

  it('chainResolvers: the first answer wins; defaultResolver covers both kinds', () => {
    const chain = chainResolvers(
      staticResolver({ 'payments/bff:8080': 'http://127.0.0.1:1' }),
      dnsResolver(),
    );
    expect(chain.resolve(service('bff'))).toEqual({ origins: ['http://127.0.0.1:1'] });
    expect(chain.resolve(service('other'))).toEqual({
      origins: ['http://other.payments.svc.cluster.local:8080'],
    });
    expect(defaultResolver().resolve(staticBackend)).toEqual({
      origins: ['https://api.example.com', 'https://10.0.0.5:8443'],
    });
    expect(originOf('example.com', 8443, true)).toBe('https://example.com:8443');
  });
});
