// Pipelining (decision 18): answers leave in request order; an error the gateway writes itself
// (parser errors, 417, CONNECT, intake refusals, upgrades) never overtakes, replaces or lands
// inside an earlier answer still in flight. Slow clients: a header block that does not arrive
// within headersTimeout answers 408 with its code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, MAX_HEADER, attack, get, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const SLOW = get('/echo/slow?delay=200', HOST);

/** The first answer is the slow one, whole, and the backend saw exactly `urls`. */
function slowFirst(...urls: string[]): AttackCase['backend'] {
  return (world, outcome) => {
    expect(outcome.responses.find((r) => r.status >= 200)?.body).toBe(
      'echo GET /echo/slow?delay=200',
    );
    expect(world.echo.requests.map((r) => r.url)).toEqual(urls);
  };
}

const many = Array.from({ length: 50 }, (_, i) => get(`/echo/${i}`, HOST)).join('');

const cases: AttackCase[] = [
  {
    name: 'three requests in one packet: three answers, in order',
    send: get('/echo/1?delay=60', HOST) + get('/echo/2', HOST) + get('/echo/3?delay=20', HOST),
    statuses: [200, 200, 200],
    codes: [null, null, null],
    backend: (_world, outcome) =>
      expect(outcome.responses.map((r) => r.body)).toEqual([
        'echo GET /echo/1?delay=60',
        'echo GET /echo/2',
        'echo GET /echo/3?delay=20',
      ]),
  },
  {
    name: 'fifty requests in one packet: fifty answers, in order',
    send: many,
    statuses: Array.from({ length: 50 }, () => 200),
    codes: Array.from({ length: 50 }, () => null),
    options: { timeoutMs: 10_000 },
    backend: (_world, outcome) =>
      expect(outcome.responses.map((r) => r.body)).toEqual(
        Array.from({ length: 50 }, (_, i) => `echo GET /echo/${i}`),
      ),
  },
  {
    name: 'a parse error after a slow request waits for its answer (400 second)',
    send: SLOW + 'GARBAGE\r\n\r\n',
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_REQUEST'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'a smuggling attempt (CL+TE) after a slow request: 400 second, never forwarded',
    send:
      SLOW +
      `POST /echo/x HTTP/1.1\r\n${HOST}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_REQUEST'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'an oversized header block after a slow request: 431 second',
    send: SLOW + get('/echo/big', HOST, `X-Big: ${'a'.repeat(MAX_HEADER + 10)}`),
    statuses: [200, 431],
    codes: [null, 'SWY_HEADERS_TOO_LARGE'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'CONNECT after a slow request: 501 second',
    send: SLOW + 'CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n',
    statuses: [200, 501],
    codes: [null, 'SWY_METHOD_NOT_SUPPORTED'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'Expect: foo after a slow request: 417 second',
    send: SLOW + get('/echo/x', HOST, 'Expect: foo', 'Connection: close'),
    statuses: [200, 417],
    codes: [null, 'SWY_EXPECTATION_FAILED'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'a bad Host after a slow request: 400 second',
    send: SLOW + get('/echo/x', 'Host: a:b'),
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_HOST'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'an over-long target after a slow request: 414 second',
    send: SLOW + get(`/echo/${'a'.repeat(3000)}`, HOST),
    statuses: [200, 414],
    codes: [null, 'SWY_URI_TOO_LONG'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'a Via loop after a slow request: 508 second',
    send: SLOW + get('/echo/x', HOST, 'Via: 1.1 sy-attack'),
    statuses: [200, 508],
    codes: [null, 'SWY_VIA_LOOP'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'a websocket upgrade after a slow request: the 101 comes second',
    send: SLOW + get('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: websocket'),
    statuses: [200, 101],
    codes: [null, null],
    backend: slowFirst('/echo/slow?delay=200', '/ws/chat'),
  },
  {
    name: 'an upgrade with a body after a slow request: 400 second',
    send:
      SLOW +
      get('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: websocket', 'Content-Length: 2') +
      'hi',
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_UPGRADE'],
    backend: slowFirst('/echo/slow?delay=200'),
  },
  {
    name: 'an h2c upgrade after a slow request is served as plain HTTP, second',
    send:
      SLOW +
      get(
        '/echo/h2c',
        HOST,
        'Connection: Upgrade, HTTP2-Settings',
        'Upgrade: h2c',
        'HTTP2-Settings: AAMAAABkAAQAAP__',
        'Connection: close',
      ),
    statuses: [200, 200],
    codes: [null, null],
    backend: slowFirst('/echo/slow?delay=200', '/echo/h2c'),
  },
  {
    name: 'slow, fast, then garbage: 200, 200, 400',
    send: SLOW + get('/echo/fast', HOST) + 'GARBAGE\r\n\r\n',
    statuses: [200, 200, 400],
    codes: [null, null, 'SWY_BAD_REQUEST'],
    backend: slowFirst('/echo/slow?delay=200', '/echo/fast'),
  },
  {
    name: `slowloris: header lines trickling past headersTimeout (${HEADERS_TIMEOUT_MS} ms) answer 408`,
    send: [
      'GET /echo HTTP/1.1\r\n',
      `${HOST}\r\n`,
      'X-A: 1\r\n',
      'X-B: 2\r\n',
      'X-C: 3\r\n',
      'X-D: 4\r\n',
      'X-E: 5\r\n',
      '\r\n',
    ],
    options: { gapMs: 150, timeoutMs: 4000 },
    statuses: [408],
    codes: ['SWY_CLIENT_TIMEOUT'],
    backend: 'nothing',
  },
  {
    name: 'slowloris: a header block that never ends answers 408',
    send: `GET /echo HTTP/1.1\r\n${HOST}\r\n`,
    options: { timeoutMs: 4000 },
    statuses: [408],
    codes: ['SWY_CLIENT_TIMEOUT'],
    backend: 'nothing',
  },
];

describe('attacks: pipelining and slow clients', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await attack(world, c);
  });
});
