// The engine as framework adapters use it (a decision made elsewhere, a body a parser already
// read), and the parts of forwarding the corpus does not reach: request bodies on retries and
// mirrors, mirrors that are slow or down, kgateway static Backends dialled directly.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, EchoRecord } from '@switchyard/test-kit';
import { createProxy, staticResolver, toResolveRequest } from '../src/index.js';
import type { ProxyEngine } from '../src/index.js';
import {
  closedPort,
  objectsFor,
  startBackend,
  startGateway,
  tableFor,
} from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

const id = (name: string) => ({ group: '', kind: 'Service', namespace: 'infra', name, port: 8080 });

describe('the engine under a framework (decision and body from outside)', () => {
  let echo: EchoBackend;
  let server: Server;
  let url: string;
  let proxy: ProxyEngine;
  const table = tableFor(objectsFor([{ path: '/api', service: 'echo' }]));

  beforeAll(async () => {
    echo = await startEchoBackend({ identity: id('echo') });
    proxy = createProxy({ resolver: staticResolver({ 'infra/echo:8080': echo.origin }) });
    server = createServer((req, res) => {
      // What a JSON body parser leaves behind: the stream consumed, a parsed value.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        const decision = resolve(table, toResolveRequest(req, { port: 80 }));
        proxy.handle(req, res, decision, { body: JSON.stringify({ ...parsed, seen: true }) });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await proxy.close();
    await echo.close();
  });

  it('sends a re-serialised body with its own content-length', async () => {
    const answer = await send(`${url}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    const record = JSON.parse(answer.body) as EchoRecord;
    const sent = JSON.stringify({ a: 1, seen: true });
    expect(record.bodyBytes).toBe(sent.length);
    expect(record.headers['content-length']).toEqual([String(sent.length)]);
    expect(record.method).toBe('POST');
  });
});

describe('bodies on retries and mirrors', () => {
  const backends: Backend[] = [];
  let echo: EchoBackend;
  let mirror: EchoBackend;
  let gw: RunningGateway;
  const attempts: number[] = [];

  beforeAll(async () => {
    echo = await startEchoBackend({ identity: id('echo') });
    mirror = await startEchoBackend({ identity: id('mirror') });
    let count = 0;
    const flaky = await startBackend((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        count += 1;
        attempts.push(bytes);
        if (count % 2 === 1) {
          res.writeHead(503).end('try again');
        } else res.end(`got ${bytes}`);
      });
    });
    const hanging = await startBackend(() => undefined);
    backends.push(flaky, hanging);
    const refused = await closedPort();
    const mirrorTo = (name: string) => ({
      filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name, port: 8080 } } }],
    });
    const objects = objectsFor(
      [
        { path: '/retry', service: 'flaky', extra: { retry: { codes: [503], attempts: 1 } } },
        { path: '/mirrored', service: 'echo', extra: mirrorTo('mirror') },
        { path: '/slow-mirror', service: 'echo', extra: mirrorTo('hanging') },
        { path: '/down-mirror', service: 'echo', extra: mirrorTo('refused') },
      ],
      { services: ['flaky', 'echo', 'mirror', 'hanging', 'refused'] },
    );
    gw = await startGateway({
      source: tableFor(objects),
      resolver: staticResolver({
        'infra/flaky:8080': flaky.origin,
        'infra/echo:8080': echo.origin,
        'infra/mirror:8080': mirror.origin,
        'infra/hanging:8080': hanging.origin,
        'infra/refused:8080': `http://127.0.0.1:${refused}`,
      }),
      mirror: { timeoutMs: 2000 },
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([echo.close(), mirror.close(), ...backends.map((b) => b.close())]);
  });

  it('replays a small request body on a retry', async () => {
    const body = 'x'.repeat(10_000);
    const answer = await send(`${gw.url()}/retry`, {
      method: 'POST',
      body,
      headers: { 'content-length': String(body.length) },
    });
    expect(answer).toMatchObject({ status: 200, body: 'got 10000' });
    expect(attempts.slice(-2)).toEqual([10_000, 10_000]);
  });

  it('does not retry a chunked body larger than the buffer: the backend answer is relayed', async () => {
    attempts.length = 0;
    const answer = await send(`${gw.url()}/retry`, {
      method: 'POST',
      body: Buffer.alloc(100_000, 97),
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(answer.status).toBe(503);
    expect(attempts).toEqual([100_000]);
  });

  it('retries a small chunked body: it was read before the first attempt', async () => {
    attempts.length = 0;
    // The backend fails every other request: of two requests, one needs the retry.
    for (let i = 0; i < 2; i++) {
      const answer = await send(`${gw.url()}/retry`, {
        method: 'POST',
        body: 'streamed',
        headers: { 'transfer-encoding': 'chunked' },
      });
      expect(answer.status).toBe(200);
    }
    expect(attempts).toEqual([8, 8, 8]);
  });

  it('copies a streamed body to the mirror', async () => {
    const body = Buffer.alloc(300_000, 98);
    const answer = await send(`${gw.url()}/mirrored`, {
      method: 'PUT',
      body,
      headers: { 'x-trace': 'm1' },
    });
    expect((JSON.parse(answer.body) as EchoRecord).bodyBytes).toBe(300_000);
    const copy = await mirror.waitFor((record) => record.headers['x-trace']?.[0] === 'm1', 2000);
    expect(copy?.bodyBytes).toBe(300_000);
    expect(copy?.method).toBe('PUT');
  });

  it('never waits for a mirror that does not answer, nor fails for one that is down', async () => {
    const started = performance.now();
    const slow = await send(`${gw.url()}/slow-mirror`);
    const down = await send(`${gw.url()}/down-mirror`);
    expect(slow.status).toBe(200);
    expect(down.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1500); // the mirror timeout is 2 s
  });
});

describe('kgateway static Backends', () => {
  let echo: EchoBackend;
  let gw: RunningGateway;

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: {
        group: 'gateway.kgateway.dev',
        kind: 'Backend',
        namespace: 'infra',
        name: 'static',
      },
    });
    const backend = {
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'Backend',
      metadata: { namespace: 'infra', name: 'static' },
      spec: { type: 'Static', static: { hosts: [{ host: '127.0.0.1', port: echo.port }] } },
    };
    const objects = objectsFor(
      [
        {
          path: '/static',
          backendRefs: [{ group: 'gateway.kgateway.dev', kind: 'Backend', name: 'static' }],
        },
      ],
      { services: [], extraObjects: [backend] },
    );
    // The default resolver: no map, the Backend's hosts are dialled directly.
    gw = await startGateway({ source: tableFor(objects) });
  });

  afterAll(async () => {
    await gw.close();
    await echo.close();
  });

  it('dials the static host directly', async () => {
    const answer = await send(`${gw.url()}/static/x`, { headers: { host: 'app.example' } });
    expect(answer.status).toBe(200);
    const record = JSON.parse(answer.body) as EchoRecord;
    expect(record.path).toBe('/static/x');
    expect(record.host).toBe('app.example');
  });
});
