// The middleware inside an app with its own routes, in Express 5 and 4: the core decides, the
// app keeps what Switchyard does not route, in-process handlers see the request as a backend
// would, and the engine's answers (redirects, errors) are the Node proxy's.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver, swappableSource } from '@switchyard/node';
import type { SwappableSource } from '@switchyard/node';
import type { NextFunction, Request, Response } from 'express';
import { switchyard } from '../src/index.js';
import type { SwitchyardMiddleware } from '../src/index.js';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import { send } from '@switchyard/test-kit';
import { flavours } from './support/flavours.js';
import { FRESH_RULE, worldTable } from '@switchyard/test-kit';

/** Serves `app` on a free port; answers the server and its origin. */
async function listen(app: RequestListener): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

describe.each(flavours)('$name: the middleware in an app with its own routes', (flavour) => {
  let banking: CaptureBackend;
  let right: CaptureBackend;
  let fresh: CaptureBackend;
  let source: SwappableSource;
  let middleware: SwitchyardMiddleware;
  let server: Server;
  let origin: string;
  let draw = 0.1;

  beforeAll(async () => {
    [banking, right, fresh] = await Promise.all([
      startCaptureBackend('banking'),
      startCaptureBackend('right'),
      startCaptureBackend('fresh'),
    ]);
    source = swappableSource(worldTable());

    const payments = flavour.Router();
    payments.post('/charge', (req: Request, res: Response) => {
      res.setHeader('x-internal', 'secret detail');
      res.json({
        url: req.url,
        team: req.get('x-team') ?? null,
        secret: req.get('x-secret') ?? null,
        body: req.body as unknown,
        route: req.switchyard?.kind === 'forward' ? req.switchyard.route.name : null,
      });
    });
    payments.get('/fail', () => {
      throw new Error('payments failed');
    });

    middleware = switchyard({
      source,
      resolver: staticResolver({
        'infra/banking:8080': banking.origin,
        'infra/right:8080': right.origin,
        'infra/fresh:8080': fresh.origin,
      }),
      handlers: {
        'infra/payments:8080': payments,
        // Keyed without the port: every port of the Service.
        'infra/left': async (req: Request, res: Response) => {
          await Promise.resolve();
          if (req.url.includes('reject')) throw new Error('left rejected');
          res.json({ side: 'left', url: req.url });
        },
      },
      random: () => draw,
      logger: false,
    });

    const app = flavour.express();
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    app.use(flavour.json());
    app.use(middleware);
    app.get('/api/profile', (req, res) => {
      res.json({ name: 'ada', decision: req.switchyard?.kind, status: statusOf(req) });
    });
    app.use((req: Request, res: Response) => {
      res.status(404).json({ fallthrough: true, url: req.url, status: statusOf(req) });
    });
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: error.message });
    });
    ({ server, origin } = await listen(app));
  });

  afterAll(async () => {
    await close(server);
    await middleware.close();
    await Promise.all([banking, right, fresh].map((backend) => backend.close()));
  });

  function statusOf(req: Request): number | null {
    return req.switchyard?.kind === 'respond' ? req.switchyard.status : null;
  }

  it('leaves the routes Switchyard does not know to the app, before and after it', async () => {
    expect((await send(origin, '/health')).body).toBe('ok');
    const profile = await send(origin, '/api/profile');
    expect(profile.status).toBe(200);
    // The decision travels along: a 404 "no route" the app chose to answer itself.
    expect(JSON.parse(profile.body)).toEqual({ name: 'ada', decision: 'respond', status: 404 });
  });

  it('proxies a routed prefix through the engine, the path as the client sent it', async () => {
    const answer = await send(origin, '/banking/accounts/42?view=full');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      backend: 'banking',
      url: '/banking/accounts/42?view=full',
    });
    const received = banking.received.at(-1)!;
    expect(received.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(received.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
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
    // The rule's ResponseHeaderModifier applies to the handler's answer as to a backend's.
    expect(answer.headers['x-served-by']).toBe('switchyard');
    expect(answer.headers['x-internal']).toBeUndefined();
  });

  it('puts the request back when the handler passes it on, and passes errors on', async () => {
    const passed = await send(origin, '/payments/unknown');
    expect(passed.status).toBe(404);
    expect(JSON.parse(passed.body)).toMatchObject({ fallthrough: true, url: '/payments/unknown' });
    expect(passed.headers['x-served-by']).toBeUndefined();
    const failed = await send(origin, '/payments/fail');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: 'payments failed' });
  });

  it('splits by weight between a handler and a socket backend, with one draw', async () => {
    draw = 0.1;
    const left = await send(origin, '/split/a');
    expect(JSON.parse(left.body)).toEqual({ side: 'left', url: '/split/a' });
    // An async handler's rejection reaches the app's error handler.
    const rejected = await send(origin, '/split/reject');
    expect(rejected.status).toBe(500);
    expect(JSON.parse(rejected.body)).toEqual({ error: 'left rejected' });
    draw = 0.9;
    const rightAnswer = await send(origin, '/split/b');
    expect(JSON.parse(rightAnswer.body)).toMatchObject({ backend: 'right', url: '/split/b' });
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
    const before = await send(origin, '/fresh/start');
    expect(JSON.parse(before.body)).toMatchObject({ fallthrough: true });
    source.swap(worldTable({ extraRules: [FRESH_RULE] }));
    const after = await send(origin, '/fresh/start');
    expect(JSON.parse(after.body)).toMatchObject({ backend: 'fresh', url: '/fresh/start' });
    source.swap(worldTable());
    expect(JSON.parse((await send(origin, '/fresh/start')).body)).toMatchObject({
      fallthrough: true,
    });
  });
});

describe.each(flavours)('$name: options', (flavour) => {
  const servers: Server[] = [];
  const middlewares: SwitchyardMiddleware[] = [];
  let banking: CaptureBackend;

  beforeAll(async () => {
    banking = await startCaptureBackend('banking');
  });

  afterAll(async () => {
    await Promise.all(servers.map(close));
    await Promise.all(middlewares.map((m) => m.close()));
    await banking.close();
  });

  async function serve(
    mount: (app: ReturnType<Flavour['express']>, sy: SwitchyardMiddleware) => void,
    noRoute?: 'next' | 'respond',
  ) {
    const sy = switchyard({
      source: worldTable(),
      resolver: staticResolver({ 'infra/banking:8080': banking.origin }),
      logger: false,
      ...(noRoute === undefined ? {} : { noRoute }),
    });
    middlewares.push(sy);
    const app = flavour.express();
    mount(app, sy);
    const { server, origin } = await listen(app);
    servers.push(server);
    return origin;
  }

  it("answers 404 itself for unrouted requests with noRoute: 'respond'", async () => {
    const origin = await serve((app, sy) => {
      app.use(sy);
      app.use((_req, res) => {
        res.status(418).send('the app');
      });
    }, 'respond');
    const answer = await send(origin, '/nothing/here');
    expect(answer.status).toBe(404);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_NO_ROUTE');
  });

  it('decides on the whole URL when mounted under a path', async () => {
    const origin = await serve((app, sy) => {
      app.use('/banking', sy);
    });
    const answer = await send(origin, '/banking/cards');
    expect(JSON.parse(answer.body)).toMatchObject({ backend: 'banking', url: '/banking/cards' });
  });

  it('routes and forwards by the scheme it is told, when TLS ends in front of the app', async () => {
    const sy = switchyard({
      source: worldTable({ https: true }),
      scheme: 'https',
      resolver: staticResolver({ 'infra/banking:8080': banking.origin }),
      logger: false,
    });
    middlewares.push(sy);
    const app = flavour.express();
    app.use(sy);
    const { server, origin } = await listen(app);
    servers.push(server);
    const answer = await send(origin, '/banking/cards', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(answer.status).toBe(200);
    expect(sy.source.current().listeners.map((l) => l.protocol)).toEqual(['HTTP', 'HTTPS']);
    expect(banking.received.at(-1)!.headers['x-forwarded-proto']).toBe('https'); // decision 16: replaced, not appended to
    const plain = await serve((plainApp, plainSy) => plainApp.use(plainSy));
    await send(plain, '/banking/cards');
    expect(banking.received.at(-1)!.headers['x-forwarded-proto']).toBe('http');
  });

  it('rejects an unknown noRoute value', () => {
    expect(() => switchyard({ source: worldTable(), noRoute: 'ignore' as 'next' })).toThrow(
      /noRoute/,
    );
  });
});

type Flavour = (typeof flavours)[number];
