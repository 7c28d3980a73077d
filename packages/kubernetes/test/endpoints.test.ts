/**
 * Backend addresses from EndpointSlices: ready endpoints only, ports matched by the Service
 * port's name, every slice of a Service, and 503 for a Service without a ready endpoint.
 */
import type { DecisionBackend } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEndpointIndex, resolveBackend, type KubernetesSource } from '../src/index.js';
import type { FakeApiServer, FakeObject } from '../src/testing/index.js';
import {
  basicObjects,
  caughtUp,
  cluster,
  endpointSlice,
  service,
  startSource,
} from './fixtures.js';

const raw = (object: FakeObject) =>
  object as unknown as Parameters<typeof buildEndpointIndex>[0][number];

const services = [
  service('shop', 'web', [
    { name: 'http', port: 80 },
    { name: 'metrics', port: 9100 },
  ]),
  service('shop', 'single', [{ port: 8080 }]),
  {
    ...service('shop', 'legacy', [{ port: 443 }]),
    spec: { type: 'ExternalName', externalName: 'legacy.example.net', ports: [{ port: 443 }] },
  },
  service('shop', 'empty', [{ port: 8080 }]),
].map(raw);

const slices = [
  endpointSlice(
    'shop',
    'web-a',
    'web',
    [{ ip: '10.0.0.1', ready: true }, { ip: '10.0.0.2', ready: false }, { ip: '10.0.0.3' }],
    [
      { name: 'http', port: 8080 },
      { name: 'metrics', port: 9100 },
    ],
  ),
  // A second slice of the same Service, with one endpoint also in the first (during a rollout).
  endpointSlice(
    'shop',
    'web-b',
    'web',
    [{ ip: '10.0.0.3' }, { ip: 'fd00::7' }],
    [{ name: 'http', port: 8080 }],
  ),
  endpointSlice('shop', 'single-a', 'single', [{ ip: '10.0.1.1' }], [{ name: '', port: 3000 }]),
  endpointSlice(
    'shop',
    'empty-a',
    'empty',
    [{ ip: '10.0.2.1', ready: false }],
    [{ name: '', port: 3000 }],
  ),
  // Same Service name in another namespace: not ours.
  endpointSlice('elsewhere', 'web-z', 'web', [{ ip: '10.9.9.9' }], [{ name: 'http', port: 8080 }]),
].map(raw);

const index = buildEndpointIndex(services, slices);

describe('buildEndpointIndex', () => {
  it('lists the ready endpoints of every slice of a Service port, once each, with the Pod port', () => {
    expect(index.endpoints('shop', 'web', 80)).toEqual([
      '10.0.0.1:8080',
      '10.0.0.3:8080',
      '[fd00::7]:8080',
    ]);
  });

  it('matches slice ports by the Service port name', () => {
    expect(index.endpoints('shop', 'web', 9100)).toEqual(['10.0.0.1:9100', '10.0.0.3:9100']);
    expect(index.endpoints('shop', 'single', 8080)).toEqual(['10.0.1.1:3000']);
  });

  it('answers [] for a Service with no ready endpoint, undefined for an unknown Service or port', () => {
    expect(index.endpoints('shop', 'empty', 8080)).toEqual([]);
    expect(index.endpoints('shop', 'web', 81)).toBeUndefined();
    expect(index.endpoints('shop', 'nope', 80)).toBeUndefined();
  });

  it('resolves an ExternalName Service to its name', () => {
    expect(index.endpoints('shop', 'legacy', 443)).toEqual(['legacy.example.net:443']);
  });
});

describe('resolveBackend', () => {
  const backend = (b: Partial<DecisionBackend>): DecisionBackend => ({
    group: '',
    kind: 'Service',
    namespace: 'shop',
    name: 'web',
    port: 80,
    weight: 1,
    ...b,
  });

  it('gives the origins of a Service', () => {
    expect(resolveBackend(index, backend({}))).toEqual({
      origins: ['http://10.0.0.1:8080', 'http://10.0.0.3:8080', 'http://[fd00::7]:8080'],
    });
  });

  it('answers 503 for a Service without ready endpoints, or an unknown one', () => {
    expect(resolveBackend(index, backend({ name: 'empty', port: 8080 }))).toEqual({ status: 503 });
    expect(resolveBackend(index, backend({ name: 'nope' }))).toEqual({ status: 503 });
  });

  it('dials kgateway static Backends directly', () => {
    const address = { hosts: [{ host: 'payments.example.net', port: 443 }], tls: true };
    expect(
      resolveBackend(index, backend({ group: 'gateway.kgateway.dev', kind: 'Backend', address })),
    ).toEqual({
      origins: ['https://payments.example.net:443'],
    });
  });
});

describe('endpoints through the source', () => {
  const open: { api?: FakeApiServer; source?: KubernetesSource } = {};
  afterEach(async () => {
    await open.source?.close();
    await open.api?.close();
  });

  it('follows EndpointSlice changes, down to 503 when no endpoint is ready', async () => {
    const api = (open.api = await cluster(basicObjects()));
    const { source } = startSource(api, { statusWrites: false });
    open.source = source;
    await source.ready;
    const web = {
      group: '',
      kind: 'Service',
      namespace: 'shop',
      name: 'web',
      port: 8080,
      weight: 1,
    };
    expect(source.resolveBackend(web)).toEqual({ origins: ['http://10.0.0.1:9000'] });
    api.apply(endpointSlice('shop', 'web-2', 'web', [{ ip: '10.0.0.2' }]));
    await caughtUp(api, source);
    expect(source.endpoints('shop', 'web', 8080)).toEqual(['10.0.0.1:9000', '10.0.0.2:9000']);
    api.apply(endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.1', ready: false }]));
    api.delete({ kind: 'EndpointSlice', namespace: 'shop', name: 'web-2' });
    await caughtUp(api, source);
    expect(source.resolveBackend(web)).toEqual({ status: 503 });
  });
});
