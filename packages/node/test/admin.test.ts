// The admin port (/healthz, /readyz, /metrics) and what the proxy reports: Prometheus counters and
// latency per route and backend, upstream errors, and pino access-log lines with the route chain.
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, staticResolver } from '../src/index.js';
import {
  closedPort,
  objectsFor,
  startBackend,
  startGateway,
  tableFor,
} from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

describe('admin endpoints, metrics and access logs', () => {
  let backend: Backend;
  let gw: RunningGateway;
  let admin: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    backend = await startBackend((_req, res) => res.end('ok'));
    const refused = await closedPort();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n'))
          if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    gw = await startGateway({
      source: tableFor(
        objectsFor([
          { path: '/ok', service: 'ok' },
          { path: '/down', service: 'down' },
        ]),
      ),
      resolver: staticResolver({
        'infra/ok:8080': backend.origin,
        'infra/down:8080': `http://127.0.0.1:${refused}`,
      }),
      admin: { port: 0, host: '127.0.0.1' },
      metrics: createMetrics({ processMetrics: true }),
      logger: pino({ level: 'info' }, sink),
    });
    admin = `http://127.0.0.1:${gw.gateway.adminAddress!.port}`;
  });

  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  it('answers /healthz and /readyz', async () => {
    expect(await send(`${admin}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await send(`${admin}/readyz`)).toMatchObject({ status: 200, body: 'ready\n' });
    expect((await send(`${admin}/nothing`)).status).toBe(404);
  });

  it('counts requests, latency and upstream errors per route and backend', async () => {
    await send(`${gw.url()}/ok`, { headers: { 'x-request-id': 'req-1' } });
    await send(`${gw.url()}/ok`);
    await send(`${gw.url()}/down`);
    await send(`${gw.url()}/nowhere`);
    const metrics = await send(`${admin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    const text = metrics.body;
    expect(text).toContain(
      'switchyard_requests_total{route="infra/route",backend="infra/ok:8080",code="200"} 2',
    );
    expect(text).toContain(
      'switchyard_requests_total{route="infra/route",backend="infra/down:8080",code="502"} 1',
    );
    expect(text).toContain('switchyard_requests_total{route="",backend="",code="404"} 1');
    expect(text).toContain(
      'switchyard_upstream_errors_total{route="infra/route",backend="infra/down:8080",error="connection"} 1',
    );
    expect(text).toMatch(
      /switchyard_request_duration_seconds_count\{route="infra\/route",backend="infra\/ok:8080"\} 2/,
    );
    expect(text).toContain('switchyard_in_flight_requests 0');
    expect(text).toContain('switchyard_process_cpu_user_seconds_total');
  });

  it('logs one access line per exchange with the route chain, backend, status and duration', () => {
    const requests = lines.filter((line) => line['msg'] === 'request');
    const ok = requests.find((line) => line['reqId'] === 'req-1');
    expect(ok).toMatchObject({
      status: 200,
      method: 'GET',
      url: '/ok',
      route: 'infra/route#0',
      backend: 'infra/ok:8080',
      attempts: 1,
    });
    expect(typeof ok?.['durationMs']).toBe('number');
    const down = requests.find((line) => line['url'] === '/down');
    expect(down).toMatchObject({ status: 502, error: 'SWY_BACKEND_UNREACHABLE', level: 40 });
    const generated = requests.find((line) => line['url'] === '/ok' && line['reqId'] !== 'req-1');
    expect(generated?.['reqId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the admin port binds loopback unless told otherwise', () => {
  it('binds 127.0.0.1 by default, even when the listeners bind every interface', async () => {
    const gw = await startGateway({
      source: tableFor(objectsFor([{ path: '/', service: 'none' }])),
      host: '0.0.0.0',
      admin: { port: 0 },
      metrics: createMetrics(),
    });
    try {
      const admin = gw.gateway.adminAddress!;
      expect(admin.host).toBe('127.0.0.1');
      expect((await send(`http://127.0.0.1:${admin.port}/healthz`)).status).toBe(200);
      const nic = Object.values(networkInterfaces())
        .flat()
        .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4');
      if (nic !== undefined) {
        // Another interface of this machine: nothing listens there.
        await expect(send(`http://${nic.address}:${admin.port}/metrics`)).rejects.toThrow(
          /ECONNREFUSED/,
        );
      }
    } finally {
      await gw.close();
    }
  });

  it('binds the address given in admin.host', async () => {
    const gw = await startGateway({
      source: tableFor(objectsFor([{ path: '/', service: 'none' }])),
      admin: { port: 0, host: '0.0.0.0' },
    });
    try {
      expect(gw.gateway.adminAddress!.host).toBe('0.0.0.0');
    } finally {
      await gw.close();
    }
  });
});
