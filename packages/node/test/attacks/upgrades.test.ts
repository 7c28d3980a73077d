// Upgrades (decision 17): only allow-listed protocols (default `websocket`) are tunnelled; any
// other upgrade is served as plain HTTP on the same connection, HTTP/1.0 upgrades are ignored, an
// upgrade with a body is refused, and a declined upgrade never leaves a tunnel open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attack, get, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const WS = [
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];
const H2C = [
  'Connection: Upgrade, HTTP2-Settings',
  'Upgrade: h2c',
  'HTTP2-Settings: AAMAAABkAAQAAP__',
];

/** The backend saw plain requests only, for these targets, none with upgrade headers. */
function plainRequests(...urls: string[]): AttackCase['backend'] {
  return (world) => {
    expect(world.echo.requests.map((r) => [r.url, r.upgrade])).toEqual(urls.map((u) => [u, false]));
    for (const request of world.echo.requests) {
      const names = request.headers.map(([name]) => name.toLowerCase());
      expect(names).not.toContain('upgrade');
      expect(names).not.toContain('http2-settings');
      expect(world.echo.header(request, 'connection') ?? '').not.toMatch(/upgrade/i);
    }
  };
}

const cases: AttackCase[] = [
  {
    name: 'decision 17: websocket is tunnelled, and bytes flow both ways',
    send: get('/ws/chat', HOST, ...WS),
    options: { afterSwitch: 'ping' },
    statuses: [101],
    codes: [null],
    backend: (world, outcome) => {
      const seen = only(world.echo);
      expect(seen.upgrade).toBe(true);
      expect(world.echo.header(seen, 'upgrade')).toBe('websocket');
      expect(outcome.rest).toBe('ping');
    },
  },
  {
    name: 'decision 17: the token is matched case-insensitively (WebSocket)',
    send: get('/ws/chat', HOST, 'Connection: upgrade', 'Upgrade: WebSocket'),
    options: { afterSwitch: 'x' },
    statuses: [101],
    codes: [null],
    backend: (world) => expect(only(world.echo).upgrade).toBe(true),
  },
  {
    name: 'decision 17: of "h2c, websocket" only websocket is offered to the backend',
    send: get('/ws/chat', HOST, 'Connection: Upgrade', 'Upgrade: h2c, websocket'),
    options: { afterSwitch: 'x' },
    statuses: [101],
    codes: [null],
    backend: (world) => expect(world.echo.header(only(world.echo), 'upgrade')).toBe('websocket'),
  },
  {
    name: 'decision 17: h2c is not tunnelled; the request is served as plain HTTP',
    send: get('/echo/a', HOST, ...H2C, 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: plainRequests('/echo/a'),
  },
  {
    name: 'decision 17: after a refused h2c upgrade the connection stays HTTP/1.1 (pipelined requests too)',
    send: get('/echo/a', HOST, ...H2C) + get('/echo/b', HOST, 'Connection: close'),
    statuses: [200, 200],
    codes: [null, null],
    backend: plainRequests('/echo/a', '/echo/b'),
  },
  {
    name: 'decision 17: h2c cannot reach an unrouted path: it is routed as plain HTTP (404)',
    send: get('/payments/charge', HOST, ...H2C, 'Connection: close'),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 17: after h2c, an HTTP/2 preface is not a tunnel: the gateway answers 400',
    send: [get('/echo/a', HOST, ...H2C), 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    options: { gapMs: 50 },
    statuses: [200, 400],
    codes: [null, 'SWY_BAD_REQUEST'],
    backend: plainRequests('/echo/a'),
  },
  {
    name: 'decision 17: an unknown token is removed and the request served as plain HTTP',
    send: get('/echo/a', HOST, 'Connection: Upgrade', 'Upgrade: foo/1', 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: plainRequests('/echo/a'),
  },
  {
    name: 'decision 17: Upgrade on HTTP/1.0 is ignored',
    send: `GET /ws/chat HTTP/1.0\r\n${HOST}\r\n${WS.join('\r\n')}\r\n\r\n`,
    statuses: [200],
    codes: [null],
    backend: plainRequests('/ws/chat'),
  },
  {
    name: 'decision 17: a websocket upgrade with a Content-Length body answers 400',
    send: get('/ws/chat', HOST, ...WS, 'Content-Length: 5') + 'hello',
    statuses: [400],
    codes: ['SWY_BAD_UPGRADE'],
    backend: 'nothing',
  },
  {
    name: 'decision 17: a websocket upgrade with a chunked body answers 400',
    send: get('/ws/chat', HOST, ...WS, 'Transfer-Encoding: chunked') + '5\r\nhello\r\n0\r\n\r\n',
    statuses: [400],
    codes: ['SWY_BAD_UPGRADE'],
    backend: 'nothing',
  },
  {
    name: 'decision 17: a websocket upgrade on an unrouted path answers 404',
    send: get('/payments/charge', HOST, ...WS),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 21: a websocket upgrade that loops answers 508',
    send: get('/ws/chat', HOST, ...WS, 'Via: 1.1 sy-attack'),
    statuses: [508],
    codes: ['SWY_VIA_LOOP'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: a websocket upgrade with two Host headers answers 400',
    send: get('/ws/chat', HOST, 'Host: admin.example.com', ...WS),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'a declined upgrade is relayed and closed: nothing sent after it reaches a backend',
    send: [get('/ws/decline', HOST, ...WS), get('/echo/after', HOST)],
    options: { gapMs: 100, waitForClose: true },
    statuses: [403],
    codes: [null],
    backend: (world, outcome) => {
      expect(outcome.closed).toBe(true);
      expect(world.echo.requests.map((r) => r.url)).toEqual(['/ws/decline']);
      expect(world.echo.bytes()).not.toContain('/echo/after');
    },
  },
];

describe('attacks: upgrades', () => {
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

describe('attacks: upgrades on a port that also speaks h2c with prior knowledge', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ cleartextHttp2: true });
  });
  afterAll(async () => {
    await world.close();
  });
  const subset = cases.filter((c) => /h2c|websocket is tunnelled|unknown token/.test(c.name));
  it.each(subset.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await attack(world, c);
  });
});
