// The same intake over TLS: HTTP/1.1 on the HTTPS listener's server (HTTP/2-capable, `allowHTTP1`)
// gets the same coded parser answers, the same upgrade allow-list (an h2c upgrade re-read as
// plain HTTP on the TLS socket) and the same ordering behind pipelined answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attack, get, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const CLOSE = 'Connection: close';
const SLOW = get('/echo/slow?delay=150', HOST);

const cases: AttackCase[] = [
  {
    name: 'decision 16: over TLS, a spoofed X-Forwarded-Proto: http becomes https',
    send: get('/echo', HOST, 'X-Forwarded-Proto: http', CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) =>
      expect(world.echo.header(only(world.echo), 'x-forwarded-proto')).toBe('https'),
  },
  {
    name: 'decision 17: over TLS, an h2c upgrade is served as plain HTTP (and the next request too)',
    send:
      get(
        '/echo/a',
        HOST,
        'Connection: Upgrade, HTTP2-Settings',
        'Upgrade: h2c',
        'HTTP2-Settings: AAMAAABkAAQAAP__',
      ) + get('/echo/b', HOST, CLOSE),
    statuses: [200, 200],
    codes: [null, null],
    backend: (world) =>
      expect(world.echo.requests.map((r) => [r.url, r.upgrade])).toEqual([
        ['/echo/a', false],
        ['/echo/b', false],
      ]),
  },
  {
    name: 'decision 17: over TLS, websocket is tunnelled',
    send: get('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: websocket'),
    options: { afterSwitch: 'ping' },
    statuses: [101],
    codes: [null],
    backend: (world, outcome) => {
      expect(only(world.echo).upgrade).toBe(true);
      expect(outcome.rest).toBe('ping');
    },
  },
  {
    name: 'decision 15: over TLS, a missing Host answers 400',
    send: get('/echo'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: over TLS, garbage after a slow request answers 400 second',
    send: SLOW + 'GARBAGE\r\n\r\n',
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_REQUEST'],
    backend: (world) => expect(only(world.echo).url).toBe('/echo/slow?delay=150'),
  },
  {
    name: 'decision 18: over TLS, Expect: foo answers 417',
    send: get('/echo', HOST, 'Expect: foo'),
    statuses: [417],
    codes: ['SWY_EXPECTATION_FAILED'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: over TLS, CONNECT answers 501',
    send: 'CONNECT admin.example.com:443 HTTP/1.1\r\nHost: admin.example.com:443\r\n\r\n',
    statuses: [501],
    codes: ['SWY_METHOD_NOT_SUPPORTED'],
    backend: 'nothing',
  },
];

describe('attacks: the same intake over TLS', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  it.each(cases.map((c) => [c.name, { ...c, tls: true }] as const))('%s', async (_name, c) => {
    await attack(world, c);
  });
});
