/**
 * `tlsSecrets`: the source lists and watches Secrets of type `kubernetes.io/tls` only (the field
 * selector on the list and on the watch), compiles HTTPS listeners with them, hands them out
 * through `objects('secrets')` for the data plane's certificates, and follows their rotation.
 * Without it no Secret is read and an HTTPS listener stays out of the table.
 */
import { formatTable } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { KubernetesSource } from '../src/index.js';
import type { FakeObject } from '../src/testing/index.js';
import {
  GATEWAY,
  caughtUp,
  cluster,
  gateway,
  namespace,
  requestsTo,
  service,
  simpleRoute,
  startSource,
  waitFor,
  closeAfterEach,
} from './fixtures.js';

const open = closeAfterEach();

const SECRETS = '/api/v1/secrets';
const TLS_ONLY = 'type=kubernetes.io/tls';

// PEM-shaped (the core checks the shape of certificate Secrets); the bodies are markers, not keys.
const certPem = (body: string) =>
  `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
const keyPem = (body: string) =>
  `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;

function secret(name: string, type: string, data: Record<string, string>): FakeObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: GATEWAY.namespace, name },
    type,
    data: encoded,
  };
}

function objects(): FakeObject[] {
  return [
    namespace(GATEWAY.namespace),
    namespace('shop'),
    gateway([
      {
        name: 'https',
        port: 8443,
        protocol: 'HTTPS',
        hostname: 'secure.example',
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'secure-tls' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    ]),
    service('shop', 'web'),
    simpleRoute('shop', 'web', '/shop', 'web'),
    secret('secure-tls', 'kubernetes.io/tls', {
      'tls.crt': certPem('CERT 1'),
      'tls.key': keyPem('KEY 1'),
    }),
    secret('db-password', 'Opaque', { password: 'hunter2' }),
  ];
}

async function setup(tlsSecrets: boolean) {
  const api = await cluster(objects());
  open.api = api;
  const started = startSource(api, { tlsSecrets, statusWrites: false });
  open.sources.push(started.source);
  return { api, ...started };
}

const decoded = (source: KubernetesSource) =>
  source.objects('secrets').map((s) => {
    const data = s['data'] as Record<string, string>;
    return {
      kind: s.kind,
      name: s.metadata?.name,
      crt: Buffer.from(data['tls.crt'] ?? '', 'base64').toString(),
    };
  });

describe('tlsSecrets', () => {
  it('reads only TLS Secrets, on the list and the watch, and serves the HTTPS listener with them', async () => {
    const { api, source } = await setup(true);
    await source.ready;
    await waitFor(() => requestsTo(api, 'watch', SECRETS).length > 0, 2000, 'the Secret watch');
    const requests = api.requests.filter((r) => r.path === SECRETS);
    expect(requests.map((r) => r.query['fieldSelector'])).toEqual(requests.map(() => TLS_ONLY));
    expect(formatTable(source.current())).toContain('listener https HTTPS :8443 secure.example');
    expect(decoded(source)).toEqual([
      { kind: 'Secret', name: 'secure-tls', crt: certPem('CERT 1') },
    ]);

    // Other Secrets never reach the cache, however they arrive.
    api.apply(secret('api-token', 'Opaque', { token: 'abc' }));
    api.apply(secret('db-password', 'Opaque', { password: 'changed' }));
    await caughtUp(api, source);
    expect(decoded(source).map((s) => s.name)).toEqual(['secure-tls']);
  });

  it('follows a rotated certificate with a new table, so the data plane reloads it', async () => {
    const { api, source } = await setup(true);
    await source.ready;
    await waitFor(() => requestsTo(api, 'watch', SECRETS).length > 0, 2000, 'the Secret watch');
    api.apply(
      secret('secure-tls', 'kubernetes.io/tls', {
        'tls.crt': certPem('CERT 2'),
        'tls.key': keyPem('KEY 2'),
      }),
    );
    await source.nextTable();
    expect(decoded(source)).toEqual([
      { kind: 'Secret', name: 'secure-tls', crt: certPem('CERT 2') },
    ]);
  });

  it('reads no Secret without it, and leaves the HTTPS listener out of the table', async () => {
    const { api, source } = await setup(false);
    await source.ready;
    await caughtUp(api, source);
    expect(api.requests.filter((r) => r.path.includes('secrets'))).toEqual([]);
    expect(source.current().listeners).toEqual([]);
    expect(source.objects('secrets')).toEqual([]);
  });
});
