// Every error answer of the proxy (400, 404, 500, 502, 503, 504, 431), each a short text body with
// a stable code and never a stack trace; and faults that must not crash the process or leak an
// exchange: a client aborting mid-body, a backend resetting mid-response, a backend that never
// answers, a slow client (backpressure instead of buffering).
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainResolvers, staticResolver, swappableSource } from '../src/index.js';
import {
  closedPort,
  objectsFor,
  startBackend,
  startGateway,
  tableFor,
} from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { isShortError, send, sendRaw } from './support/client.js';
import { headerSafe } from '../src/respond.js';

const BIG = 32 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 120);

describe('fault answers and fault tolerance', () => {
  const backends: Backend[] = [];
  let gw: RunningGateway;
  let bigWritten = 0;
  const sinkOutcomes: string[] = [];

  beforeAll(async () => {
    const ok = await startBackend((_req, res) => res.end('ok'));
    const reset = await startBackend((req) => req.socket.destroy());
    const hang = await startBackend(() => undefined);
    const midReset = await startBackend((req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 97), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const big = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-length': String(BIG) });
      const pump = (): void => {
        while (bigWritten < BIG) {
          bigWritten += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const sink = await startBackend((req: IncomingMessage, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        sinkOutcomes.push('complete');
        res.end('got it');
      });
      req.on('close', () => {
        if (!req.complete) sinkOutcomes.push('aborted');
      });
    });
    backends.push(ok, reset, hang, midReset, big, sink);
    const refused = await closedPort();
    const objects = objectsFor(
      [
        { path: '/ok', service: 'ok' },
        { path: '/refused', service: 'refused' },
        { path: '/reset', service: 'reset' },
        { path: '/hang', service: 'hang' },
        {
          path: '/hang-request-timeout',
          service: 'hang',
          extra: { timeouts: { request: '200ms' } },
        },
        {
          path: '/hang-backend-timeout',
          service: 'hang',
          extra: { timeouts: { backendRequest: '200ms' } },
        },
        { path: '/mid-reset', service: 'midreset' },
        { path: '/no-endpoints', service: 'empty' },
        { path: '/unmapped', service: 'unmapped' },
        { path: '/missing', service: 'ghost' },
        { path: '/big', service: 'big' },
        { path: '/sink', service: 'sink' },
        { path: '/boom', service: 'boom' },
      ],
      {
        services: [
          'ok',
          'refused',
          'reset',
          'hang',
          'midreset',
          'empty',
          'unmapped',
          'big',
          'sink',
          'boom',
        ],
      },
    );
    gw = await startGateway({
      source: swappableSource(tableFor(objects)),
      resolver: chainResolvers(
        {
          resolve: (backend) => {
            if (backend.name === 'boom') throw new Error('resolver bug');
            return undefined;
          },
        },
        staticResolver({
          'infra/ok:8080': ok.origin,
          'infra/refused:8080': `http://127.0.0.1:${refused}`,
          'infra/reset:8080': reset.origin,
          'infra/hang:8080': hang.origin,
          'infra/midreset:8080': midReset.origin,
          'infra/empty:8080': [],
          'infra/big:8080': big.origin,
          'infra/sink:8080': sink.origin,
        }),
      ),
      pool: { headersTimeoutMs: 400 },
      server: { maxHeaderSize: 8 * 1024 },
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(backends.map((backend) => backend.close()));
  });

  it('400: a request target the normaliser rejects', async () => {
    const answer = await send(gw.url(), { path: '/ok/%zz' });
    expect(answer.status).toBe(400);
    expect(isShortError(answer, 'SWY_BAD_REQUEST')).toBe(true);
  });

  it('400: bytes that are not HTTP', async () => {
    const port = gw.gateway.addressFor(80)!.port;
    const text = await sendRaw(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(text.startsWith('HTTP/1.1 400')).toBe(true);
    expect(text).toContain('x-switchyard-error: SWY_BAD_REQUEST');
  });

  it('404: no route', async () => {
    const answer = await send(`${gw.url()}/nowhere`);
    expect(answer.status).toBe(404);
    expect(isShortError(answer, 'SWY_NO_ROUTE')).toBe(true);
  });

  it('500: a route whose backend does not exist', async () => {
    const answer = await send(`${gw.url()}/missing`);
    expect(answer.status).toBe(500);
    expect(isShortError(answer, 'SWY_INVALID_CONFIGURATION')).toBe(true);
  });

  it('502: the backend refuses the connection', async () => {
    const answer = await send(`${gw.url()}/refused`);
    expect(answer.status).toBe(502);
    expect(isShortError(answer, 'SWY_BACKEND_UNREACHABLE')).toBe(true);
  });

  it('502: the backend resets the connection before answering', async () => {
    const answer = await send(`${gw.url()}/reset`);
    expect(answer.status).toBe(502);
    expect(isShortError(answer, 'SWY_BACKEND_UNREACHABLE')).toBe(true);
  });

  it('503: the resolver has no endpoints, or does not know the backend; the answer names it', async () => {
    for (const [path, name] of [
      ['/no-endpoints', 'infra/empty:8080'],
      ['/unmapped', 'infra/unmapped:8080'],
    ] as const) {
      const answer = await send(`${gw.url()}${path}`);
      expect(answer.status).toBe(503);
      expect(isShortError(answer, 'SWY_NO_ENDPOINTS')).toBe(true);
      expect(answer.body).toContain(name);
      expect(answer.headers['x-switchyard-backend']).toBe(name);
    }
  });

  it('the backend name in a header or body is one line of visible ASCII, whatever the name holds', () => {
    expect(headerSafe('infra/bff:8080')).toBe('infra/bff:8080');
    const hostile = headerSafe('ns/a\r\nset-cookie: x=1 %ñ\u0000:80');
    expect(hostile).toMatch(/^[\x21-\x7e]+$/);
    expect(hostile).toBe('ns/a%0D%0Aset-cookie:%20x=1%20%25%C3%B1%00:80');
  });

  it('502: a gateway answer about a backend names it in x-switchyard-backend', async () => {
    const answer = await send(`${gw.url()}/refused`);
    expect(answer.status).toBe(502);
    expect(answer.headers['x-switchyard-backend']).toBe('infra/refused:8080');
  });

  it('503: a resolver that throws (user code) does not take the process down', async () => {
    const answer = await send(`${gw.url()}/boom`);
    expect(answer.status).toBe(503);
    expect(isShortError(answer, 'SWY_NO_ENDPOINTS')).toBe(true);
  });

  it('504: timeouts.request and timeouts.backendRequest against a backend that never answers', async () => {
    const started = performance.now();
    const whole = await send(`${gw.url()}/hang-request-timeout`);
    expect(whole.status).toBe(504);
    expect(isShortError(whole, 'SWY_REQUEST_TIMEOUT')).toBe(true);
    const attempt = await send(`${gw.url()}/hang-backend-timeout`);
    expect(attempt.status).toBe(504);
    expect(isShortError(attempt, 'SWY_BACKEND_TIMEOUT')).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('504: a backend that never answers, on a route without timeouts (the pool header timeout)', async () => {
    const answer = await send(`${gw.url()}/hang`);
    expect(answer.status).toBe(504);
    expect(isShortError(answer, 'SWY_BACKEND_TIMEOUT')).toBe(true);
  });

  it('431: request headers larger than maxHeaderSize', async () => {
    const port = gw.gateway.addressFor(80)!.port;
    const text = await sendRaw(
      port,
      `GET /ok HTTP/1.1\r\nhost: a\r\nx-big: ${'a'.repeat(10_000)}\r\n\r\n`,
    );
    expect(text.startsWith('HTTP/1.1 431')).toBe(true);
    expect(text).toContain('x-switchyard-error: SWY_HEADERS_TOO_LARGE');
    expect(text).toContain('request header fields too large\n');
  });

  it('survives a client aborting mid-body: the backend sees the abort, the proxy goes on', async () => {
    const address = gw.gateway.addressFor(80)!;
    await new Promise<void>((resolve) => {
      const req = request({
        host: address.host,
        port: address.port,
        path: '/sink',
        method: 'POST',
        headers: { 'content-length': String(1024 * 1024) },
      });
      req.on('error', () => resolve());
      // Past the 64 KiB read before connecting: the body is being streamed to the backend.
      req.write(Buffer.alloc(128 * 1024));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await expect.poll(() => sinkOutcomes).toContain('aborted');
    await expect.poll(() => gw.gateway.proxy.inFlight).toBe(0);
    expect((await send(`${gw.url()}/ok`)).body).toBe('ok');
  });

  it('survives a backend resetting mid-response: the client sees a truncated answer', async () => {
    const address = gw.gateway.addressFor(80)!;
    const outcome = await new Promise<{ status: number; received: number; error: boolean }>(
      (resolve) => {
        const req = request(
          { host: address.host, port: address.port, path: '/mid-reset' },
          (res) => {
            let received = 0;
            res.on('data', (chunk: Buffer) => (received += chunk.length));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, received, error: false }));
            res.on('error', () => resolve({ status: res.statusCode ?? 0, received, error: true }));
            res.on('aborted', () =>
              resolve({ status: res.statusCode ?? 0, received, error: true }),
            );
          },
        );
        req.on('error', () => resolve({ status: 0, received: 0, error: true }));
        req.end();
      },
    );
    expect(outcome.status).toBe(200);
    expect(outcome.error).toBe(true);
    expect(outcome.received).toBeLessThan(100_000);
    await expect.poll(() => gw.gateway.proxy.inFlight).toBe(0);
    expect((await send(`${gw.url()}/ok`)).body).toBe('ok');
  });

  it('holds a slow client with backpressure, not memory, and delivers every byte', async () => {
    const address = gw.gateway.addressFor(80)!;
    bigWritten = 0;
    const total = await new Promise<number>((resolve, reject) => {
      const req = request({ host: address.host, port: address.port, path: '/big' }, (res) => {
        res.pause();
        setTimeout(() => {
          // Paused for 400 ms: without backpressure the backend would have written all 32 MiB.
          try {
            expect(bigWritten).toBeLessThan(BIG / 2);
          } catch (error) {
            reject(error as Error);
            return;
          }
          let received = 0;
          res.on('data', (chunk: Buffer) => (received += chunk.length));
          res.on('end', () => resolve(received));
          res.resume();
        }, 400);
      });
      req.on('error', reject);
      req.end();
    });
    expect(total).toBe(BIG);
  });
});
