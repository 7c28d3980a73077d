// Decision 21 and rule 28: a backend, kgateway Backend host or mirror that resolves to one of the
// gateway's own listener or admin addresses is refused with 508 and never connected to. Before,
// a Backend at the gateway's own address hung 128 connections, two mirrors to it started a storm
// that outlived the request, and a Backend at the admin port with `ReplaceFullPath /metrics`
// published the metrics through a route.
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainResolvers,
  createMetrics,
  defaultResolver,
  staticResolver,
  swappableSource,
} from '../src/index.js';
import { NS, objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { isShortError, send, sendRaw } from './support/client.js';

const KGW = 'gateway.kgateway.dev';

function staticBackend(name: string, host: string, port: number): unknown {
  return {
    apiVersion: `${KGW}/v1alpha1`,
    kind: 'Backend',
    metadata: { namespace: NS, name },
    spec: { type: 'Static', static: { hosts: [{ host, port }] } },
  };
}

const toBackend = (name: string, port: number) => ({ group: KGW, kind: 'Backend', name, port });
const mirrorOf = (ref: Record<string, unknown>) => ({
  type: 'RequestMirror',
  requestMirror: { backendRef: ref },
});

/** An IPv4 address of a non-loopback interface, when the machine has one. */
function interfaceAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? [])
      if (!entry.internal && entry.family === 'IPv4') return entry.address;
  }
  return undefined;
}

describe('decision 21: self-targets are refused with 508, never connected to', () => {
  let echo: Backend;
  let echoHits = 0;
  let gw: RunningGateway;
  const logLines: Record<string, unknown>[] = [];
  const map = new Map<string, string>();
  let gatewayPort = 0;
  let adminPort = 0;

  beforeAll(async () => {
    echo = await startBackend((_req, res) => {
      echoHits += 1;
      res.end('echo');
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n'))
          if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const source = swappableSource(tableFor(objectsFor([{ path: '/', service: 'echo' }])));
    // Every interface: the unspecified address makes every local address a self-target.
    gw = await startGateway({
      source,
      host: '0.0.0.0',
      admin: { port: 0 },
      metrics: createMetrics(),
      logger: pino({ level: 'info' }, sink),
      resolver: chainResolvers(staticResolver(map), defaultResolver()),
    });
    gatewayPort = gw.gateway.addressFor(80)!.port;
    adminPort = gw.gateway.adminAddress!.port;
    map.set('infra/echo:8080', echo.origin);
    map.set('infra/self-loopback:8080', `http://127.0.0.1:${gatewayPort}`);
    map.set('infra/self-other-loopback:8080', `http://127.0.0.9:${gatewayPort}`);
    map.set('infra/self-unspecified:8080', `http://0.0.0.0:${gatewayPort}`);
    map.set('infra/self-mapped:8080', `http://[::ffff:127.0.0.1]:${gatewayPort}`);
    map.set('infra/self-name:8080', `http://localhost:${gatewayPort}`);
    map.set('infra/self-admin:8080', `http://127.0.0.1:${adminPort}`);
    map.set('infra/self-decimal:8080', `http://2130706433:${gatewayPort}`);
    const nic = interfaceAddress();
    map.set('infra/self-interface:8080', `http://${nic ?? '127.0.0.1'}:${gatewayPort}`);
    const rewrite = {
      filters: [
        {
          type: 'URLRewrite',
          urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/metrics' } },
        },
      ],
    };
    const objects = objectsFor(
      [
        { path: '/echo', service: 'echo' },
        { path: '/loopback', service: 'self-loopback' },
        { path: '/other-loopback', service: 'self-other-loopback' },
        { path: '/unspecified', service: 'self-unspecified' },
        { path: '/mapped', service: 'self-mapped' },
        { path: '/name', service: 'self-name' },
        { path: '/interface', service: 'self-interface' },
        { path: '/admin-service', service: 'self-admin', extra: rewrite },
        { path: '/static-self', backendRefs: [toBackend('at-gateway', gatewayPort)] },
        { path: '/static-hex', backendRefs: [toBackend('at-gateway-hex', gatewayPort)] },
        { path: '/decimal', service: 'self-decimal' },
        { path: '/static-admin', backendRefs: [toBackend('at-admin', adminPort)], extra: rewrite },
        {
          path: '/retried',
          service: 'self-loopback',
          extra: { retry: { attempts: 3, codes: [503] } },
        },
        {
          path: '/storm',
          service: 'echo',
          extra: {
            filters: [
              mirrorOf(toBackend('at-gateway', gatewayPort)),
              mirrorOf({ name: 'self-loopback', port: 8080 }),
            ],
          },
        },
      ],
      {
        services: [
          'echo',
          'self-loopback',
          'self-other-loopback',
          'self-unspecified',
          'self-mapped',
          'self-name',
          'self-interface',
          'self-admin',
          'self-decimal',
        ],
        extraObjects: [
          staticBackend('at-gateway', '127.0.0.1', gatewayPort),
          staticBackend('at-gateway-hex', '0x7f.1', gatewayPort),
          staticBackend('at-admin', '127.0.0.1', adminPort),
        ],
      },
    );
    source.swap(tableFor(objects));
    await gw.gateway.settled();
  });

  afterAll(async () => {
    await gw.close();
    await echo.close();
  });

  const base = (): string => `http://127.0.0.1:${gatewayPort}`;

  it.each([
    '/loopback',
    '/other-loopback',
    '/unspecified',
    '/mapped',
    '/name',
    '/interface',
    '/static-self',
    '/static-hex',
    '/decimal',
  ])(
    'decision 21: %s (the gateway listener at another spelling) answers 508 once',
    async (path) => {
      const before = logLines.length;
      const answer = await send(`${base()}${path}`);
      expect(answer.status).toBe(508);
      expect(isShortError(answer, 'SWY_SELF_TARGET')).toBe(true);
      // One exchange, not a chain of them: the request never reached the gateway a second time.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logLines.length - before).toBe(1);
    },
  );

  it('decision 21: a Backend or Service at the admin port with ReplaceFullPath /metrics does not publish the metrics', async () => {
    for (const path of ['/static-admin', '/admin-service']) {
      const answer = await send(`${base()}${path}`);
      expect(answer.status).toBe(508);
      expect(answer.body).not.toContain('switchyard_');
    }
  });

  it('decision 21: a self-target is not retried, whatever the retry policy', async () => {
    const before = logLines.length;
    const answer = await send(`${base()}/retried`);
    expect(answer.status).toBe(508);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logLines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]!['attempts']).toBe(1);
  });

  it('rule 28: two mirrors at the gateway itself start no storm; the primary is served', async () => {
    const before = logLines.length;
    const hits = echoHits;
    for (let i = 0; i < 5; i++) {
      const answer = await send(`${base()}/storm`);
      expect(answer.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Five client requests, five exchanges: no mirrored copy came back in.
    expect(logLines.length - before).toBe(5);
    expect(echoHits - hits).toBe(5);
    const metrics = await gw.gateway.metrics!.registry.getSingleMetricAsString(
      'switchyard_upstream_errors_total',
    );
    // Each of the two mirrors refused once per request, counted against its own backend.
    expect(metrics).toContain(
      `backend="Backend:infra/at-gateway:${gatewayPort}",error="mirror_self_target"} 5`,
    );
    expect(metrics).toContain('backend="infra/self-loopback:8080",error="mirror_self_target"} 5');
  });

  it('decision 21: a WebSocket upgrade to a self-target answers 508 and opens no tunnel', async () => {
    const raw = await sendRaw(
      gatewayPort,
      'GET /loopback HTTP/1.1\r\nhost: example.com\r\nconnection: upgrade\r\nupgrade: websocket\r\n' +
        'sec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 508 /);
    expect(raw.toLowerCase()).toContain('x-switchyard-error: swy_self_target');
    expect(gw.gateway.proxy.tunnels).toBe(0);
  });

  it('decision 21: a backend elsewhere on the same machine is still served', async () => {
    const answer = await send(`${base()}/echo`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('echo');
  });
});

describe('decision 21: listeners added and removed by a table swap', () => {
  it('decision 21: a listener opened by a swap is a self-target; once closed by a swap it is not', async () => {
    const map = new Map<string, string>();
    const one = [{ name: 'http', port: 80, protocol: 'HTTP' }];
    const two = [...one, { name: 'extra', port: 81, protocol: 'HTTP' }];
    const objects = (listeners: readonly Record<string, unknown>[]) =>
      objectsFor([{ path: '/to-extra', service: 'extra' }], { listeners });
    const source = swappableSource(tableFor(objects(one)));
    const gw = await startGateway({ source, resolver: staticResolver(map) });
    try {
      source.swap(tableFor(objects(two)));
      await gw.gateway.settled();
      const extra = gw.gateway.addressFor(81)!;
      map.set('infra/extra:8080', `http://127.0.0.1:${extra.port}`);
      const looped = await send(`${gw.url()}/to-extra`);
      expect(looped.status).toBe(508);
      source.swap(tableFor(objects(one)));
      await gw.gateway.settled();
      await expect.poll(async () => (await send(`${gw.url()}/to-extra`)).status).toBe(502);
    } finally {
      await gw.close();
    }
  });
});
