/**
 * The served Gateway's `status.addresses`: from fixed values, or from the Service in front of the
 * gateway (its load balancer ingress once assigned, its cluster IP before).
 */
import { describe, expect, it } from 'vitest';
import type { FakeApiServer, FakeObject } from '../src/testing/index.js';
import {
  GATEWAY,
  basicObjects,
  caughtUp,
  closeAfterEach,
  cluster,
  namespace,
  startSource,
  waitFor,
} from './fixtures.js';

const open = closeAfterEach();

const frontService: FakeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: 'switchyard-system', name: 'switchyard' },
  spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 8080 }] },
};

const addressesOf = (api: FakeApiServer) =>
  (api.get({ kind: 'Gateway', ...GATEWAY })?.status as { addresses?: unknown } | undefined)
    ?.addresses;

describe('Gateway status.addresses', () => {
  it('writes fixed values, typed IPAddress or Hostname', async () => {
    const api = (open.api = await cluster(basicObjects()));
    const { source } = startSource(api, {
      addresses: { values: ['203.0.113.7', 'gw.example.com'] },
    });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    expect(addressesOf(api)).toEqual([
      { type: 'IPAddress', value: '203.0.113.7' },
      { type: 'Hostname', value: 'gw.example.com' },
    ]);
  });

  it('follows the Service: cluster IP first, the load balancer ingress once assigned', async () => {
    const api = (open.api = await cluster([
      ...basicObjects(),
      namespace('switchyard-system'),
      frontService,
    ]));
    const { source } = startSource(api, {
      addresses: { service: { namespace: 'switchyard-system', name: 'switchyard' } },
    });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    expect(addressesOf(api)).toEqual([{ type: 'IPAddress', value: '10.96.0.10' }]);
    api.setStatus(
      { kind: 'Service', namespace: 'switchyard-system', name: 'switchyard' },
      { loadBalancer: { ingress: [{ ip: '198.51.100.4' }, { hostname: 'lb.example.net' }] } },
    );
    await waitFor(
      () => JSON.stringify(addressesOf(api)).includes('198.51.100.4'),
      5000,
      'the load balancer address',
    );
    expect(addressesOf(api)).toEqual([
      { type: 'IPAddress', value: '198.51.100.4' },
      { type: 'Hostname', value: 'lb.example.net' },
    ]);
  });
});
