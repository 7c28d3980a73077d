// The raw-socket attack suite's cases that concern request intake, run through the Fastify
// plugin (Fastify 5 and 4, `websocket: true`). Same answers, same codes, same backend receipts as
// the Node gateway (packages/node/test/attacks), parser-level answers included (400 from the
// parser, 431, 417, CONNECT, a missing Host, a pipelined error): the plugin puts `guardServer` on
// `fastify.server` in place of Fastify's own `clientError` handler.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '@switchyard/core';
import { staticResolver } from '@switchyard/node';
import { onlyRequest, rawExchange, rawGet, runAttack, startRawBackend } from '@switchyard/test-kit';
import type { AttackCase, AttackWorld, RawBackend } from '@switchyard/test-kit';
import { switchyard } from '../src/index.js';
import { flavours } from './support/flavours.js';

const PSEUDONYM = 'sy-fastify';
const HOST = 'Host: api.example.com';
const CLOSE = 'Connection: close';
const SLOW = rawGet('/echo/slow?delay=150', HOST);
const H2C = [
  'Connection: Upgrade, HTTP2-Settings',
  'Upgrade: h2c',
  'HTTP2-Settings: AAMAAABkAAQAAP__',
];

interface World extends AttackWorld {
  readonly echo: RawBackend;
  readonly admin: RawBackend;
}

function objects(): unknown[] {
  const route = (name: string, hostnames: string[], rules: unknown[]): unknown => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace: 'infra', name },
    spec: { parentRefs: [{ name: 'gw' }], hostnames, rules },
  });
  const to = (service: string, path?: string): unknown => ({
    ...(path === undefined ? {} : { matches: [{ path: { type: 'PathPrefix', value: path } }] }),
    backendRefs: [{ name: service, port: 8080 }],
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: 'gw' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    },
    ...['echo', 'admin'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'infra', name },
      spec: { ports: [{ port: 8080 }] },
    })),
    route('api', [], [to('echo', '/echo'), to('echo', '/ws')]),
    route('admin', ['admin.example.com'], [to('admin')]),
  ];
}

const cases: AttackCase<World>[] = [
  {
    name: 'decision 14: absolute-form authority replaces Host',
    send: rawGet('http://admin.example.com/panel', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = onlyRequest(world.admin);
      expect(seen.url).toBe('/panel');
      expect(world.admin.header(seen, 'host')).toBe('admin.example.com');
    },
  },
  {
    name: 'decision 15: two Host headers answer 400',
    send: rawGet('/echo', HOST, 'Host: admin.example.com'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: a missing Host answers 400',
    send: rawGet('/echo'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: a malformed port answers 400',
    send: rawGet('/echo', 'Host: api.example.com:evil'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 16: spoofed forwarding headers are replaced',
    send: rawGet(
      '/echo',
      HOST,
      'X-Forwarded-Proto: https',
      'X-Forwarded-Host: admin.example.com',
      CLOSE,
    ),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = onlyRequest(world.echo);
      expect(world.echo.header(seen, 'x-forwarded-proto')).toBe('http');
      expect(world.echo.header(seen, 'x-forwarded-host')).toBe('api.example.com');
    },
  },
  {
    name: 'decision 21: Via with the pseudonym answers 508',
    send: rawGet('/echo', HOST, `Via: 1.1 ${PSEUDONYM}`),
    statuses: [508],
    codes: ['SWY_VIA_LOOP'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: %2e%2e cannot escape /echo',
    send: rawGet('/echo/%2e%2e/admin', HOST, CLOSE),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'rule 26: an over-long target answers 414',
    send: rawGet(`/echo/${'a'.repeat(3000)}`, HOST),
    statuses: [414],
    codes: ['SWY_URI_TOO_LONG'],
    backend: 'nothing',
  },
  {
    name: 'rule 26: an oversized header block answers 431',
    send: rawGet('/echo', HOST, `X-Big: ${'a'.repeat(20_000)}`),
    statuses: [431],
    codes: ['SWY_HEADERS_TOO_LARGE'],
    backend: 'nothing',
  },
  {
    name: 'CL + TE answers 400',
    send: `POST /echo HTTP/1.1\r\n${HOST}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'a NUL inside a header value answers 400',
    send: `GET /echo HTTP/1.1\r\n${HOST}\r\nX-A: a\u0000b\r\n\r\n`,
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: CONNECT answers 501',
    send: 'CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n',
    statuses: [501],
    codes: ['SWY_METHOD_NOT_SUPPORTED'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: Expect: foo answers 417',
    send: rawGet('/echo', HOST, 'Expect: foo'),
    statuses: [417],
    codes: ['SWY_EXPECTATION_FAILED'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: garbage after a slow request answers 400 second',
    send: SLOW + 'GARBAGE\r\n\r\n',
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_REQUEST'],
    backend: (world) => expect(onlyRequest(world.echo).url).toBe('/echo/slow?delay=150'),
  },
  {
    name: 'decision 17: h2c is served as plain HTTP',
    send: rawGet('/echo/a', HOST, ...H2C) + rawGet('/echo/b', HOST, CLOSE),
    statuses: [200, 200],
    codes: [null, null],
    backend: (world) =>
      expect(world.echo.requests.map((r) => [r.url, r.upgrade])).toEqual([
        ['/echo/a', false],
        ['/echo/b', false],
      ]),
  },
  {
    name: 'decision 17: websocket is tunnelled',
    send: rawGet('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: websocket'),
    options: { afterSwitch: 'ping' },
    statuses: [101],
    codes: [null],
    backend: (world, outcome) => {
      expect(onlyRequest(world.echo).upgrade).toBe(true);
      expect(outcome.rest).toBe('ping');
    },
  },
  {
    name: 'decision 17: an upgrade with a body answers 400',
    send:
      rawGet('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: websocket', 'Content-Length: 2') +
      'hi',
    statuses: [400],
    codes: ['SWY_BAD_UPGRADE'],
    backend: 'nothing',
  },
];

describe.each(flavours)('$name: attacks through the plugin', (flavour) => {
  let world: World;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    const echo = await startRawBackend('echo');
    const admin = await startRawBackend('admin');
    world = { echo, admin, backends: [echo, admin] };
    app = flavour.create();
    await app.register(switchyard, {
      source: compile(objects()).table,
      resolver: staticResolver({
        'infra/echo:8080': echo.origin,
        'infra/admin:8080': admin.origin,
      }),
      logger: false,
      noRoute: 'respond',
      port: 80,
      via: PSEUDONYM,
      maxRequestTargetLength: 2048,
      websocket: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([world.echo.close(), world.admin.close()]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runAttack(world, c, port);
  });
});

describe.each(flavours)('$name: guardServer: false', (flavour) => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = flavour.create();
    await app.register(switchyard, {
      source: compile(objects()).table,
      resolver: staticResolver({}),
      logger: false,
      guardServer: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    await app.close();
  });

  it("decision 18: opting out leaves Fastify's own clientError answer (no code)", async () => {
    const outcome = await rawExchange(port, 'HELLO\r\n\r\n', { responses: 1 });
    expect(outcome.responses.map((r) => r.status)).toEqual([400]);
    expect(outcome.responses[0]!.headers['x-switchyard-error']).toBeUndefined();
  });
});
