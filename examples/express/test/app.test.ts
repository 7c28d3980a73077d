// The example app over real sockets: the delegation example's sample requests (requests.yaml)
// land where its README says, the app's own routes keep working, a body the app's JSON parser read
// still reaches the backend, and a team deleting its routes only affects its own prefix.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile, delegatedScope } from '@switchyard/core';
import { swappableSource } from '@switchyard/node';
import type { SwappableSource } from '@switchyard/node';
import { createApp } from '../src/app.js';
import { MANIFESTS, loadBackendMap, loadObjects } from '../src/manifests.js';

interface Sample {
  readonly name: string;
  readonly request: {
    method: string;
    host: string;
    path: string;
    headers?: Record<string, string>;
  };
  readonly expect: {
    backend?: { namespace: string; name: string; port: number };
    upstream?: { path: string };
    status?: number;
  };
}

const samples = parse(
  readFileSync(new URL('../../delegation/requests.yaml', import.meta.url), 'utf8'),
) as Sample[];

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

describe('the Express example app', () => {
  const backends: Server[] = [];
  const received = new Map<string, { url: string; body: string; headers: IncomingHttpHeaders }[]>();
  let source: SwappableSource;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    // One stand-in per backend of backends.local.yaml, on a free port.
    const map: Record<string, string> = {};
    for (const key of Object.keys(loadBackendMap())) {
      const backend = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const list = received.get(key) ?? [];
          list.push({
            url: req.url ?? '',
            body: Buffer.concat(chunks).toString(),
            headers: req.headers,
          });
          received.set(key, list);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ served: key, path: req.url }));
        });
      });
      backend.listen(0, '127.0.0.1');
      await once(backend, 'listening');
      backends.push(backend);
      map[key] = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    }
    source = swappableSource(compile(loadObjects()).table);
    const { app } = createApp({ source, backends: map });
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const each of [server, ...backends]) {
      each.closeAllConnections();
      each.close();
    }
  });

  /** A request as a client of `api.example.com` sends it (fetch cannot set Host). */
  function send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const url = new URL(origin);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: { host: 'api.example.com', ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const json = res.headers['content-type']?.startsWith('application/json') === true;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: json ? (JSON.parse(text) as Record<string, unknown>) : { text },
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it.each(samples)('$name', async (sample) => {
    const { request, expect: expected } = sample;
    const answer = await send(request.method, request.path, {
      host: request.host,
      ...request.headers,
    });
    if (expected.backend === undefined && delegatedScope(source.current(), request)) {
      // Inside a prefix the platform delegated, but no team route claims it: the gateway's 404.
      expect(answer.status).toBe(expected.status);
      expect(answer.headers['x-switchyard-error']).toBe('SWY_NO_ROUTE');
      return;
    }
    if (expected.backend === undefined) {
      // Not Switchyard's: the app's own 404 answers.
      expect(answer).toMatchObject({
        status: expected.status,
        body: { error: 'not found', path: request.path },
      });
      return;
    }
    const key = `${expected.backend.namespace}/${expected.backend.name}:${expected.backend.port}`;
    if (key === 'payments/payments-bff:8080') {
      expect(answer.body['served']).toBe('payments-bff (in-process)');
      return;
    }
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ served: key, path: expected.upstream?.path ?? request.path });
  });

  it("answers a 404 inside a delegated prefix itself; a path no team was delegated stays the app's", async () => {
    // /banking is delegated to the banking team, which routes only /banking/accounts: the
    // gateway answers, as the Node proxy would. /nothing was delegated to nobody: the app's 404.
    const inside = await send('GET', '/banking/loans', { host: 'api.example.com' });
    expect(inside.status).toBe(404);
    expect(inside.headers['x-switchyard-error']).toBe('SWY_NO_ROUTE');
    const outside = await send('GET', '/nothing', { host: 'api.example.com' });
    expect(outside).toMatchObject({ status: 404, body: { error: 'not found', path: '/nothing' } });
  });

  it('keeps its own routes, before and after the middleware', async () => {
    expect(await send('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await send('GET', '/api/profile')).toMatchObject({
      status: 200,
      body: { name: 'Ada', plan: 'gold' },
    });
    const session = await send(
      'POST',
      '/api/session',
      { 'content-type': 'application/json' },
      '{"user":"ada"}',
    );
    expect(session).toMatchObject({ status: 201, body: { user: 'ada' } });
  });

  it('forwards a JSON body its parser already read, and gives the in-process BFF the parsed one', async () => {
    const document = JSON.stringify({ account: 42, amount: 10 });
    await send(
      'POST',
      '/banking/accounts/42/transfers',
      { 'content-type': 'application/json' },
      document,
    );
    const last = received.get('banking/accounts:8080')!.at(-1)!;
    expect(last).toMatchObject({ url: '/banking/accounts/42/transfers', body: document });
    expect(last.headers['content-length']).toBe(String(document.length));
    const charge = await send(
      'POST',
      '/payments/charge',
      { 'content-type': 'application/json' },
      JSON.stringify({ amount: 12, currency: 'EUR' }),
    );
    expect(charge).toMatchObject({
      status: 201,
      body: { served: 'payments-bff (in-process)', charged: { amount: 12, currency: 'EUR' } },
    });
  });

  it("confines a team's mistake to its own prefix (banking deletes its routes)", async () => {
    source.swap(
      compile(loadObjects(MANIFESTS.filter((file) => file !== 'banking/routes.yaml'))).table,
    );
    try {
      const before = received.get('banking/accounts:8080')?.length ?? 0;
      const banking = await send('GET', '/banking/accounts/42');
      expect(banking.status).toBe(500);
      expect(banking.headers['x-switchyard-error']).toBe('SWY_INVALID_CONFIGURATION');
      // The 500 is the gateway's: nothing reached a backend, and nothing fell through to the app.
      expect(received.get('banking/accounts:8080')?.length ?? 0).toBe(before);
      expect((await send('GET', '/insurance/quotes?product=home')).body).toMatchObject({
        served: 'insurance/quotes:8080',
      });
      expect((await send('GET', '/health')).status).toBe(200);
    } finally {
      source.swap(compile(loadObjects()).table);
    }
  });
});
