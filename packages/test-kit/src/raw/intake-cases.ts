/**
 * The raw-socket attack cases that concern request intake, as one table every framework adapter
 * runs (Express, Fastify): the world they run against (a Gateway, an `api` route to `echo` and an
 * `admin.example.com` route to `admin`) and the bytes, answers, codes and backend receipts. The
 * same answers as the Node gateway's own suite (packages/node/test/attacks).
 */
import { expect } from 'vitest';
import { onlyRequest, rawGet } from './attack.js';
import type { AttackCase, AttackWorld } from './attack.js';
import type { RawBackend } from './backend.js';

/** What differs between the servers under test. */
export interface IntakeCaseSpec {
  /** The `via` pseudonym the server is configured with (decision 21's loop check). */
  readonly pseudonym: string;
  /** Length of an `X-Big` header value that exceeds the server's header-block limit (rule 26). */
  readonly oversizedHeaderBytes: number;
}

const HOST = 'Host: api.example.com';
const CLOSE = 'Connection: close';
const SLOW = rawGet('/echo/slow?delay=150', HOST);
const H2C = [
  'Connection: Upgrade, HTTP2-Settings',
  'Upgrade: h2c',
  'HTTP2-Settings: AAMAAABkAAQAAP__',
];

/** The recording backends behind the server: `infra/echo:8080` and `infra/admin:8080`. */
export interface IntakeWorld extends AttackWorld {
  readonly echo: RawBackend;
  readonly admin: RawBackend;
}

/** The manifests the server under test compiles. */
export function intakeAttackObjects(): unknown[] {
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

/** The cases, in the order they run. */
export function intakeAttackCases(spec: IntakeCaseSpec): AttackCase<IntakeWorld>[] {
  return [
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
      send: rawGet('/echo', HOST, `Via: 1.1 ${spec.pseudonym}`),
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
      send: rawGet('/echo', HOST, `X-Big: ${'a'.repeat(spec.oversizedHeaderBytes)}`),
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
}
