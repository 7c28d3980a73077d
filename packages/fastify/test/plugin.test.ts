// The plugin inside an app with its own routes, in Fastify 5 and 4: the core decides before
// Fastify's router, the app keeps what Switchyard does not route, in-process handlers see the
// request as a backend would (body parsed by Fastify), the engine's answers are the Node proxy's
// and its access lines go to Fastify's logger.
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '@switchyard/core';
import { staticResolver, swappableSource } from '@switchyard/node';
import { testCertificate } from '@switchyard/test-kit';
import type { SwappableSource } from '@switchyard/node';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import switchyardDefault, { switchyard } from '../src/index.js';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import { send } from '@switchyard/test-kit';
import { flavours } from './support/flavours.js';
import { FRESH_RULE, worldTable } from '@switchyard/test-kit';

function originOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

describe.each(flavours)('$name: the plugin in an app with its own routes', (flavour) => {
  let banking: CaptureBackend;
  let right: CaptureBackend;
  let fresh: CaptureBackend;
  let source: SwappableSource;
  let app: FastifyInstance;
  let origin: string;
  let draw = 0.1;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    [banking, right, fresh] = await Promise.all([
      startCaptureBackend('banking'),
      startCaptureBackend('right'),
      startCaptureBackend('fresh'),
    ]);
    source = swappableSource(worldTable());
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    app = flavour.create({ logger: { level: 'info', stream } });
    app.get('/health', async () => 'ok');
    app.get('/api/profile', async (request: FastifyRequest) => ({
      name: 'ada',
      decision: request.switchyard?.kind ?? null,
    }));
    // A Fastify route on a prefix Switchyard routes: the core decides, this never runs.
    app.get('/banking/shadowed', async () => 'fastify route');
    await app.register(switchyard, {
      source,
      resolver: staticResolver({
        'infra/banking:8080': banking.origin,
        'infra/right:8080': right.origin,
        'infra/fresh:8080': fresh.origin,
      }),
      handlers: {
        async 'infra/payments:8080'(request: FastifyRequest, reply: FastifyReply) {
          if (request.url.startsWith('/fail')) throw new Error('payments failed');
          void reply.header('x-internal', 'secret detail');
          return {
            url: request.url,
            team: request.headers['x-team'] ?? null,
            secret: request.headers['x-secret'] ?? null,
            body: request.body ?? null,
            route: request.switchyard?.kind === 'forward' ? request.switchyard.route.name : null,
          };
        },
        // Callback style: answers later through `reply`, returns nothing.
        'infra/left'(request: FastifyRequest, reply: FastifyReply) {
          setTimeout(() => void reply.send({ side: 'left', url: request.url }), 5);
        },
      },
      random: () => draw,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = originOf(app);
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([banking, right, fresh].map((backend) => backend.close()));
  });

  it('leaves the routes Switchyard does not know to Fastify', async () => {
    expect((await send(origin, '/health')).body).toBe('ok');
    const profile = await send(origin, '/api/profile');
    expect(JSON.parse(profile.body)).toEqual({ name: 'ada', decision: 'respond' });
    const missing = await send(origin, '/nothing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ message: 'Route GET:/nothing not found' });
  });

  it("decides with the core, not with Fastify's router", async () => {
    const answer = await send(origin, '/banking/shadowed');
    expect(JSON.parse(answer.body)).toMatchObject({ backend: 'banking', url: '/banking/shadowed' });
  });

  it('proxies a routed prefix and logs the exchange through Fastify', async () => {
    const answer = await send(origin, '/banking/accounts/42?view=full', {
      headers: { 'x-request-id': 'req-accounts-42' },
    });
    expect(JSON.parse(answer.body)).toMatchObject({
      backend: 'banking',
      url: '/banking/accounts/42?view=full',
    });
    expect(banking.received.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
    const line = logLines.find((entry) => entry['reqId'] === 'req-accounts-42');
    expect(line).toMatchObject({
      msg: 'request',
      status: 200,
      route: 'infra/world#0',
      backend: 'infra/banking:8080',
    });
  });

  it('hands a backend with a handler the upstream path, the filtered headers and the parsed body', async () => {
    const answer = await send(origin, '/payments/charge?currency=EUR', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-secret': 'hunter2' },
      body: JSON.stringify({ amount: 12 }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      url: '/charge?currency=EUR',
      team: 'payments',
      secret: null,
      body: { amount: 12 },
      route: 'world',
    });
    expect(answer.headers['x-served-by']).toBe('switchyard');
    expect(answer.headers['x-internal']).toBeUndefined();
  });

  it("passes a handler's error to Fastify's error handler", async () => {
    const failed = await send(origin, '/payments/fail');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ message: 'payments failed' });
  });

  it('splits by weight between a handler answering later and a socket backend', async () => {
    draw = 0.1;
    expect(JSON.parse((await send(origin, '/split/a')).body)).toEqual({
      side: 'left',
      url: '/split/a',
    });
    draw = 0.9;
    expect(JSON.parse((await send(origin, '/split/b')).body)).toMatchObject({ backend: 'right' });
  });

  it('answers redirects and configuration errors as the Node proxy does', async () => {
    const moved = await send(origin, '/moved/here');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('http://elsewhere.example/moved/here');
    const broken = await send(origin, '/broken');
    expect(broken.status).toBe(500);
    expect(broken.headers['x-switchyard-error']).toBe('SWY_INVALID_CONFIGURATION');
  });

  it('swaps tables without a restart', async () => {
    expect((await send(origin, '/fresh/start')).status).toBe(404);
    source.swap(worldTable({ extraRules: [FRESH_RULE] }));
    expect(JSON.parse((await send(origin, '/fresh/start')).body)).toMatchObject({
      backend: 'fresh',
    });
    source.swap(worldTable());
    expect((await send(origin, '/fresh/start')).status).toBe(404);
  });
});

describe.each(flavours)('$name: packaging and options', (flavour) => {
  const apps: FastifyInstance[] = [];
  const closers: (() => Promise<void>)[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(closers.map((close) => close()));
  });

  it('is a fastify-plugin for Fastify 4 and 5, named, not encapsulated, also the default export', () => {
    const meta = (switchyard as unknown as Record<symbol, { name: string; fastify: string }>)[
      Symbol.for('plugin-meta')
    ];
    expect(meta).toMatchObject({ name: '@switchyard/fastify', fastify: '4.x || 5.x' });
    expect((switchyard as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')]).toBe(
      true,
    );
    expect(switchyardDefault).toBe(switchyard);
  });

  it("answers 404 itself for unrouted requests with noRoute: 'respond'", async () => {
    const app = flavour.create();
    apps.push(app);
    app.get('/nothing', async () => 'the app');
    await app.register(switchyard, { source: worldTable(), noRoute: 'respond' });
    const answer = await app.inject({ url: '/nothing' });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_NO_ROUTE');
  });

  it("cannot see URLs Fastify's router refuses to decode (a known limitation)", async () => {
    const app = flavour.create();
    apps.push(app);
    const table = worldTable();
    await app.register(switchyard, { source: table });
    // Not UTF-8 once decoded: Fastify answers before any hook, though the core would route it.
    const answer = await app.inject({ url: '/banking/%C3' });
    expect(answer.headers['x-switchyard-error']).toBeUndefined();
    if (flavour.badUrl === 'FST_ERR_BAD_URL') {
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'FST_ERR_BAD_URL' });
    } else {
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ message: 'Route GET:/banking/%C3 not found' });
    }
    expect(resolve(table, { method: 'GET', path: '/banking/%C3', host: 'localhost' }).kind).toBe(
      'forward',
    );
  });

  it('serves HTTP/2 on an HTTPS listener: a handler (headers filtered in place) and the proxy', async () => {
    const app = flavour.create({ tls: testCertificate() });
    apps.push(app);
    const banking = await startCaptureBackend('banking');
    closers.push(() => banking.close());
    await app.register(switchyard, {
      source: worldTable({ https: true }),
      resolver: staticResolver({ 'infra/banking:8080': banking.origin }),
      handlers: {
        'infra/payments:8080': async (request: FastifyRequest) => ({
          url: request.url,
          team: request.headers['x-team'] ?? null,
          secret: request.headers['x-secret'] ?? null,
          version: request.raw.httpVersion,
        }),
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as AddressInfo;
    const session = connect(`https://127.0.0.1:${address.port}`, { rejectUnauthorized: false });
    try {
      const stream = session.request({ ':path': '/payments/charge', 'x-secret': 'hunter2' });
      const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders];
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(headers['x-served-by']).toBe('switchyard');
      expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({
        url: '/charge',
        team: 'payments',
        secret: null,
        version: '2.0',
      });
      const proxied = session.request({ ':path': '/banking/cards' });
      const [answer] = (await once(proxied, 'response')) as [IncomingHttpHeaders];
      proxied.resume();
      await once(proxied, 'end');
      expect(answer[':status']).toBe(200);
      expect(banking.received.at(-1)!.headers['x-forwarded-proto']).toBe('https');
    } finally {
      session.close();
    }
  });

  it('refuses an unknown noRoute value at registration', async () => {
    const app = flavour.create();
    apps.push(app);
    await expect(
      app.register(switchyard, { source: worldTable(), noRoute: 'ignore' as 'next' }),
    ).rejects.toThrow(/noRoute/);
  });
});
