// Header abuse (decisions 16, 19, 21): spoofed forwarding headers, Via loops, hop-by-hop
// declarations, the gateway's own x-switchyard-* headers, and response header modifiers that try
// to forge the framing of the next answer on the connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER, PSEUDONYM, attack, get, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const CLOSE = 'Connection: close';

/** The single request echo received carries `name` with exactly `value` (or lacks it). */
function echoHeader(name: string, value: string | undefined): AttackCase['backend'] {
  return (world) => expect(world.echo.header(only(world.echo), name)).toBe(value);
}

const cases: AttackCase[] = [
  {
    name: 'decision 16: a spoofed X-Forwarded-Proto is replaced by the connection scheme',
    send: get('/echo', HOST, 'X-Forwarded-Proto: https', CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('x-forwarded-proto', 'http'),
  },
  {
    name: 'decision 16: a spoofed X-Forwarded-Host is replaced by the routed host',
    send: get('/echo', HOST, 'X-Forwarded-Host: admin.example.com', CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('x-forwarded-host', 'api.example.com'),
  },
  {
    name: 'decision 16: a spoofed X-Forwarded-Port is replaced by the connection port',
    send: get('/echo', HOST, 'X-Forwarded-Port: 443', CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const port = world.echo.header(only(world.echo), 'x-forwarded-port');
      expect(port).toBe(String(world.gatewayPort));
    },
  },
  {
    name: 'decision 16: a spoofed Forwarded is replaced by the gateway element',
    send: get('/echo', HOST, 'Forwarded: for=1.2.3.4;proto=https;host=admin.example.com', CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('forwarded', 'for=127.0.0.1;host=api.example.com;proto=http'),
  },
  {
    name: 'decision 16: X-Forwarded-For is appended to; its last entry is the real peer',
    send: get('/echo', HOST, 'X-Forwarded-For: 1.2.3.4', 'X-Forwarded-For: 5.6.7.8', CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('x-forwarded-for', '1.2.3.4, 5.6.7.8, 127.0.0.1'),
  },
  {
    name: 'decision 16: the backend receives each forwarding header exactly once',
    send: get('/echo', HOST, 'x-forwarded-proto: https', 'X-FORWARDED-PROTO: wss', CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const names = only(world.echo).headers.map(([name]) => name.toLowerCase());
      for (const name of ['x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'via']) {
        expect(names.filter((n) => n === name)).toHaveLength(1);
      }
    },
  },
  {
    name: 'decision 21: a request carrying the gateway pseudonym in Via answers 508',
    send: get('/echo', HOST, `Via: 1.1 ${PSEUDONYM}`, CLOSE),
    statuses: [508],
    codes: ['SWY_VIA_LOOP'],
    backend: 'nothing',
  },
  {
    name: 'decision 21: the pseudonym anywhere in a Via list, any case, answers 508',
    send: get(
      '/echo',
      HOST,
      'Via: 1.0 edge, HTTP/1.1 cdn (x)',
      `Via: 2 ${PSEUDONYM.toUpperCase()}`,
      CLOSE,
    ),
    statuses: [508],
    codes: ['SWY_VIA_LOOP'],
    backend: 'nothing',
  },
  {
    name: 'decision 21: another proxy in Via is kept and the gateway appends itself',
    send: get('/echo', HOST, 'Via: 1.1 edge', CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('via', `1.1 edge, 1.1 ${PSEUDONYM}`),
  },
  {
    name: 'decision 21: a pseudonym only as a comment or protocol is not a loop',
    send: get('/echo', HOST, `Via: 1.1 edge (${PSEUDONYM})`, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoHeader('via', `1.1 edge (${PSEUDONYM}), 1.1 ${PSEUDONYM}`),
  },
  {
    name: 'hop-by-hop: headers named in Connection are dropped',
    send: get('/echo', HOST, 'Connection: close, X-Internal', 'X-Internal: secret'),
    statuses: [200],
    codes: [null],
    backend: echoHeader('x-internal', undefined),
  },
  {
    name: 'hop-by-hop: Connection cannot strip the headers the gateway adds',
    send: get('/echo', HOST, 'Connection: close, X-Forwarded-For, Via, Forwarded'),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = only(world.echo);
      expect(world.echo.header(seen, 'x-forwarded-for')).toBe('127.0.0.1');
      expect(world.echo.header(seen, 'via')).toBe(`1.1 ${PSEUDONYM}`);
      expect(world.echo.header(seen, 'forwarded')).toContain('for=127.0.0.1');
    },
  },
  {
    name: 'hop-by-hop: Keep-Alive, TE, Trailer, Proxy-* and Upgrade never reach the backend',
    send: get(
      '/echo',
      HOST,
      'Keep-Alive: 5',
      'TE: trailers',
      'Trailer: x',
      'Proxy-Authorization: Basic x',
      'Upgrade: foo',
      CLOSE,
    ),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const names = only(world.echo).headers.map(([name]) => name.toLowerCase());
      for (const name of ['keep-alive', 'te', 'trailer', 'proxy-authorization', 'upgrade']) {
        expect(names).not.toContain(name);
      }
    },
  },
  {
    name: 'x-switchyard-* from a client never reaches a backend',
    send: get(
      '/echo',
      HOST,
      'X-Switchyard-Error: SWY_NO_ROUTE',
      'x-switchyard-route: admin',
      CLOSE,
    ),
    statuses: [200],
    codes: [null],
    backend: (world) =>
      expect(only(world.echo).headers.filter(([name]) => /^x-switchyard-/i.test(name))).toEqual([]),
  },
  {
    name: 'x-switchyard-error from a backend never reaches the client (a backend cannot pass for the gateway)',
    send: get('/echo', HOST, 'x-test-set: X-Switchyard-Error=SWY_NO_ROUTE', CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) => expect(world.echo.requests).toHaveLength(1),
  },
  {
    name: 'decision 19: a response modifier cannot forge Content-Length, TE, CR/LF or the error header',
    forging: true,
    send: [get('/echo/first', HOST), get('/echo/second', HOST, CLOSE)],
    statuses: [200, 200],
    codes: [null, null],
    backend: (world, outcome) => {
      expect(outcome.responses.map((r) => r.body)).toEqual([
        'echo GET /echo/first',
        'echo GET /echo/second',
      ]);
      for (const response of outcome.responses) {
        // Framed by the gateway alone: one framing header, and it tells the truth.
        const length = response.headers['content-length'];
        const coding = response.headers['transfer-encoding'];
        expect((length?.length ?? 0) + (coding?.length ?? 0)).toBe(1);
        if (length !== undefined) expect(length).toEqual([String(response.body.length)]);
        else expect(coding).toEqual(['chunked']);
        expect(response.headers['x-split']).toBeUndefined();
        expect(response.headers['x-injected']).toBeUndefined();
        expect(response.headers['x-allowed']).toEqual(['yes']);
      }
      expect(world.echo.requests.map((r) => r.url)).toEqual(['/echo/first', '/echo/second']);
    },
  },
  {
    name: `rule 26: one header value larger than maxHeaderSize (${MAX_HEADER}) answers 431`,
    send: get('/echo', HOST, `X-Big: ${'a'.repeat(MAX_HEADER + 10)}`),
    statuses: [431],
    codes: ['SWY_HEADERS_TOO_LARGE'],
    backend: 'nothing',
  },
  {
    name: 'rule 26: many small headers adding up past maxHeaderSize answer 431',
    send: get(
      '/echo',
      HOST,
      ...Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'b'.repeat(20)}`),
    ),
    statuses: [431],
    codes: ['SWY_HEADERS_TOO_LARGE'],
    backend: 'nothing',
  },
  {
    name: 'decision 18: Expect other than 100-continue answers 417',
    send: get('/echo', HOST, 'Expect: foo'),
    statuses: [417],
    codes: ['SWY_EXPECTATION_FAILED'],
    backend: 'nothing',
  },
  {
    name: 'Expect: 100-continue is honoured and the body forwarded',
    send: [
      `POST /echo HTTP/1.1\r\n${HOST}\r\nExpect: 100-continue\r\nContent-Length: 3\r\n${CLOSE}\r\n\r\n`,
      'abc',
    ],
    options: { gapMs: 50 },
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = only(world.echo);
      expect(seen.body).toBe('abc');
      expect(world.echo.header(seen, 'expect')).toBeUndefined();
    },
  },
  {
    name: 'decision 18: CONNECT answers 501',
    send: 'CONNECT admin.example.com:443 HTTP/1.1\r\nHost: admin.example.com:443\r\n\r\n',
    statuses: [501],
    codes: ['SWY_METHOD_NOT_SUPPORTED'],
    backend: 'nothing',
  },
];

describe('attacks: header abuse', () => {
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
