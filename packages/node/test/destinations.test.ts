// Decision 22: a configurable destination policy, checked before any connection (literal
// addresses) or in the DNS lookup (names). Link-local and cloud metadata addresses are denied by
// default; `deny` adds ranges; `allow` makes exceptions. Refused: 502 `SWY_DESTINATION_DENIED`.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DENIED_DESTINATIONS,
  InvalidOptionError,
  chainResolvers,
  createProxy,
  defaultResolver,
  staticResolver,
} from '../src/index.js';
import { DestinationRules } from '../src/destinations/policy.js';
import { NS, objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { isShortError, send } from './support/client.js';

const KGW = 'gateway.kgateway.dev';

describe('decision 22: destination policy', () => {
  let backend: Backend;
  let connections = 0;
  let strict: RunningGateway;
  let lenient: RunningGateway;

  beforeAll(async () => {
    backend = await startBackend((_req, res) => res.end('reached'));
    backend.server.on('connection', (_socket: Socket) => (connections += 1));
    const metadata = {
      apiVersion: `${KGW}/v1alpha1`,
      kind: 'Backend',
      metadata: { namespace: NS, name: 'metadata' },
      spec: { type: 'Static', static: { hosts: [{ host: '169.254.169.254', port: 80 }] } },
    };
    const objects = objectsFor(
      [
        {
          path: '/metadata',
          backendRefs: [{ group: KGW, kind: 'Backend', name: 'metadata', port: 80 }],
        },
        { path: '/mapped-metadata', service: 'mapped-metadata' },
        { path: '/link-local-v6', service: 'link-local-v6' },
        { path: '/by-name', service: 'by-name' },
        { path: '/by-address', service: 'by-address' },
        {
          path: '/mirror-denied',
          service: 'by-address',
          extra: {
            filters: [
              {
                type: 'RequestMirror',
                requestMirror: { backendRef: { name: 'by-name', port: 8080 } },
              },
            ],
          },
        },
      ],
      {
        services: ['mapped-metadata', 'link-local-v6', 'by-name', 'by-address'],
        extraObjects: [metadata],
      },
    );
    const resolver = chainResolvers(
      staticResolver({
        'infra/mapped-metadata:8080': 'http://[::ffff:169.254.169.254]:80',
        'infra/link-local-v6:8080': 'http://[fe80::1]:80',
        'infra/by-name:8080': `http://localhost:${backend.port}`,
        'infra/by-address:8080': backend.origin,
      }),
      defaultResolver(),
    );
    // Loopback denied: a name (`localhost`) and a literal address to the same backend.
    strict = await startGateway({
      source: tableFor(objects),
      resolver,
      destinations: { deny: ['127.0.0.0/8', '::1/128'] },
    });
    // The same deny with an exception for 127.0.0.1: the exception wins.
    lenient = await startGateway({
      source: tableFor(objects),
      resolver,
      destinations: { deny: ['127.0.0.0/8', '::1/128'], allow: ['127.0.0.1/32', '::1'] },
    });
  });

  afterAll(async () => {
    await strict.close();
    await lenient.close();
    await backend.close();
  });

  it.each(['/metadata', '/mapped-metadata', '/link-local-v6'])(
    'decision 22: %s (link-local / metadata, denied by default) answers 502 at once',
    async (path) => {
      const started = performance.now();
      const answer = await send(`${strict.url()}${path}`);
      expect(answer.status).toBe(502);
      expect(isShortError(answer, 'SWY_DESTINATION_DENIED')).toBe(true);
      // Refused before connecting: no connect timeout was waited for.
      expect(performance.now() - started).toBeLessThan(2000);
    },
  );

  it('decision 22: a denied range refuses a name (checked in the DNS lookup) and a literal address; the backend sees no connection', async () => {
    const before = connections;
    for (const path of ['/by-name', '/by-address', '/mirror-denied']) {
      const answer = await send(`${strict.url()}${path}`);
      expect(answer.status).toBe(502);
      expect(answer.headers['x-switchyard-error']).toBe('SWY_DESTINATION_DENIED');
    }
    expect(connections - before).toBe(0);
  });

  it('decision 22: an allow range wins over the deny that covers it', async () => {
    for (const path of ['/by-name', '/by-address']) {
      const answer = await send(`${lenient.url()}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('reached');
    }
  });

  it('decision 22: the default deny list holds link-local and metadata ranges', () => {
    const rules = new DestinationRules();
    for (const ip of [
      '169.254.169.254',
      '169.254.0.1',
      'fe80::1',
      '100.100.100.200',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
    ]) {
      expect(rules.permits(ip), ip).toBe(false);
    }
    for (const ip of ['10.0.0.1', '127.0.0.1', '::1', '100.100.100.201', '8.8.8.8']) {
      expect(rules.permits(ip), ip).toBe(true);
    }
    expect(DEFAULT_DENIED_DESTINATIONS).toContain('169.254.0.0/16');
  });

  it('decision 22: an unusable range is an InvalidOptionError naming the field', () => {
    for (const [deny, field] of [
      [['10.0.0.0/8', '10.0.0.0/33'], 'destinations.deny[1]'],
      [['metadata.internal'], 'destinations.deny[0]'],
      [['10.0.0.0/x'], 'destinations.deny[0]'],
    ] as const) {
      expect(() => createProxy({ destinations: { deny } })).toThrow(InvalidOptionError);
      expect(() => createProxy({ destinations: { deny } })).toThrow(field);
    }
  });
});
