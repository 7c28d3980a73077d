/**
 * Delegation rule 27 in the Kubernetes source: a static Backend whose host is a known address of
 * another namespace's Service (its cluster IP, its DNS name, one of its Pods) is reported on the
 * Backend, from what the source watches; and one at the gateway's own address (given with
 * `reconfigure`) is `self-target`.
 */
import type { Finding } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { FakeObject } from '../src/testing/index.js';
import {
  basicObjects,
  caughtUp,
  closeAfterEach,
  cluster,
  endpointSlice,
  namespace,
  service,
  startSource,
} from './fixtures.js';

function staticBackend(ns: string, name: string, host: string, port: number): FakeObject {
  return {
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { namespace: ns, name },
    spec: { type: 'Static', static: { hosts: [{ host, port }] } },
  };
}

function paymentsObjects(): FakeObject[] {
  return [
    ...basicObjects(),
    namespace('banking'),
    namespace('payments'),
    { ...service('payments', 'api'), spec: { clusterIP: '10.96.0.12', ports: [{ port: 8080 }] } },
    endpointSlice('payments', 'api-1', 'api', [{ ip: '10.244.1.7' }], [{ name: '', port: 9000 }]),
  ];
}

const addressFindings = (findings: readonly Finding[] | undefined) =>
  (findings ?? [])
    .filter((f) => f.code === 'backend-address-of-foreign-service' || f.code === 'self-target')
    .map((f) => ({
      code: f.code,
      object: `${f.object.namespace}/${f.object.name}`,
      affects: f.affects,
    }));

describe('rule 27: Backends at another team’s Service, found from the cluster', () => {
  const open = closeAfterEach();

  it('reports a Backend at a foreign Service’s cluster IP, DNS name or Pod address, not at its own nor at an ExternalName', async () => {
    const api = (open.api = await cluster([
      ...paymentsObjects(),
      staticBackend('banking', 'by-ip', '10.96.0.12', 8080),
      staticBackend('banking', 'by-name', 'api.payments.svc.cluster.local', 8080),
      staticBackend('banking', 'by-pod', '10.244.1.7', 9000),
      staticBackend('banking', 'other-port', '10.96.0.12', 9999),
      staticBackend('payments', 'own-team', '10.96.0.12', 8080),
      // An ExternalName Service names someone else's host, not an address of its own.
      {
        ...service('payments', 'legacy'),
        spec: { type: 'ExternalName', externalName: 'legacy.example.net', ports: [{ port: 443 }] },
      },
      staticBackend('banking', 'external', 'legacy.example.net', 443),
    ]));
    const { source } = startSource(api, { statusWrites: false });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);

    const foreign = { code: 'backend-address-of-foreign-service', affects: ['payments'] };
    expect(addressFindings(source.result()?.findings)).toEqual([
      { ...foreign, object: 'banking/by-ip' },
      { ...foreign, object: 'banking/by-name' },
      { ...foreign, object: 'banking/by-pod' },
    ]);
  });

  it('follows the cluster: a Pod moving to the Backend’s address makes the finding appear', async () => {
    const api = (open.api = await cluster([
      ...paymentsObjects(),
      staticBackend('banking', 'by-pod', '10.244.1.8', 9000),
    ]));
    const { source } = startSource(api, { statusWrites: false });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    expect(addressFindings(source.result()?.findings)).toEqual([]);

    api.apply(
      endpointSlice('payments', 'api-1', 'api', [{ ip: '10.244.1.8' }], [{ name: '', port: 9000 }]),
    );
    await caughtUp(api, source);
    expect(addressFindings(source.result()?.findings)).toEqual([
      {
        code: 'backend-address-of-foreign-service',
        object: 'banking/by-pod',
        affects: ['payments'],
      },
    ]);
  });

  it('reports a Backend at the gateway’s own address once reconfigure says where it listens', async () => {
    const api = (open.api = await cluster([
      ...paymentsObjects(),
      staticBackend('banking', 'loop', '127.0.0.1', 18080),
    ]));
    const { source } = startSource(api, { statusWrites: false });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    expect(addressFindings(source.result()?.findings)).toEqual([]);

    await source.reconfigure({ ownAddresses: [{ host: '127.0.0.1', port: 18080 }] });
    expect(addressFindings(source.result()?.findings)).toEqual([
      { code: 'self-target', object: 'banking/loop', affects: [] },
    ]);
  });
});
