// Framing and request smuggling: whatever the client's framing, a backend receives either one
// well-framed request with exactly the body the gateway parsed, or nothing at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attack, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const SMUGGLED = 'GET /echo/smuggled HTTP/1.1\r\nHost: api.example.com\r\n\r\n';

/** A POST to /echo with the given header lines, then `body` as written. */
function post(headers: string[], body: string): string {
  return `POST /echo HTTP/1.1\r\n${[HOST, ...headers].map((h) => `${h}\r\n`).join('')}\r\n${body}`;
}

/** No backend ever parsed a request for the smuggled target (its bytes may travel as body). */
function noSmuggled(world: World): void {
  expect(world.echo.requests.map((r) => r.url)).not.toContain('/echo/smuggled');
}

const cases: AttackCase[] = [
  {
    name: 'CL + TE together answer 400 (RFC 9112 6.3: never guess which one frames)',
    send: post(['Content-Length: 6', 'Transfer-Encoding: chunked'], `0\r\n\r\n${SMUGGLED}`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'TE + CL in the other order answer 400',
    send: post(['Transfer-Encoding: chunked', 'Content-Length: 6'], `0\r\n\r\n${SMUGGLED}`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'two different Content-Length headers answer 400',
    send: post(['Content-Length: 3', 'Content-Length: 5'], 'abcde'),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'two equal Content-Length headers answer 400',
    send: post(['Content-Length: 5', 'Content-Length: 5'], 'abcde'),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'Content-Length with a sign answers 400',
    send: post(['Content-Length: +5'], 'abcde'),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'Content-Length as a list answers 400',
    send: post(['Content-Length: 5, 5'], 'abcde'),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'TE obfuscation: "xchunked" answers 400',
    send: post(['Transfer-Encoding: xchunked'], `0\r\n\r\n`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'TE obfuscation: "chunked, identity" (chunked not last) answers 400',
    send: post(['Transfer-Encoding: chunked, identity'], `0\r\n\r\n`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'TE obfuscation: a space before the colon answers 400',
    send: post(['Transfer-Encoding : chunked', 'Content-Length: 5'], `0\r\n\r\n`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'TE obfuscation: a vertical tab in the value answers 400',
    send: post(['Transfer-Encoding: \u000bchunked'], `0\r\n\r\n`),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'obs-fold (a header line starting with a space) answers 400',
    send: post(['X-A: a', ' folded: yes', 'Content-Length: 0'], ''),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'a bare LF ending a header line answers 400',
    send: `GET /echo HTTP/1.1\r\n${HOST}\nX-A: a\r\n\r\n`,
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'a bare CR inside a header value answers 400',
    send: `GET /echo HTTP/1.1\r\n${HOST}\r\nX-A: a\rX-B: b\r\n\r\n`,
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
    name: 'a chunked body is re-framed: the backend receives exactly the decoded bytes',
    send: post(
      ['Transfer-Encoding: chunked', 'Connection: close'],
      `3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n`,
    ),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = only(world.echo);
      expect(seen.body).toBe('abcde');
      expect(seen.complete).toBe(true);
      noSmuggled(world);
    },
  },
  {
    name: 'a request smuggled after the terminal chunk is an ordinary second request',
    send: post(
      ['Transfer-Encoding: chunked'],
      `0\r\n\r\n${SMUGGLED.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}`,
    ),
    statuses: [200, 200],
    codes: [null, null],
    // Pipelined requests reach the backend on separate pooled connections: their order there is
    // not the client's (a small body is read before a connection is taken, rule 28).
    backend: (world) => {
      expect(byUrl(world.echo.requests.map((r) => [r.method, r.url, r.body]))).toEqual([
        ['POST', '/echo', ''],
        ['GET', '/echo/smuggled', ''],
      ]);
    },
  },
  {
    name: 'chunk-size overflow: the connection is cut, the backend never sees a complete body',
    send: post(['Transfer-Encoding: chunked'], `ffffffffffffffffff1\r\nabc\r\n0\r\n\r\n`),
    statuses: [],
    codes: [],
    options: { timeoutMs: 1500 },
    backend: (world) => {
      expect(world.echo.requests.every((r) => !r.complete || r.body === '')).toBe(true);
      noSmuggled(world);
    },
  },
  {
    name: 'a negative chunk size: the connection is cut, no complete body reaches the backend',
    send: post(['Transfer-Encoding: chunked'], `-3\r\nabc\r\n0\r\n\r\n${SMUGGLED}`),
    statuses: [],
    codes: [],
    options: { timeoutMs: 1500 },
    backend: (world) => {
      expect(world.echo.requests.every((r) => !r.complete || r.body === '')).toBe(true);
      noSmuggled(world);
    },
  },
  {
    name: 'a chunk shorter than its size: the rest is body (re-chunked), never a request',
    send: post(['Transfer-Encoding: chunked'], `20\r\nabc\r\n0\r\n\r\n${SMUGGLED}`),
    statuses: [],
    codes: [],
    options: { timeoutMs: 1500 },
    backend: (world) => noSmuggled(world),
  },
  {
    name: 'a chunk line ended by a bare LF: the connection is cut, no complete body reaches the backend',
    send: post(['Transfer-Encoding: chunked'], `3\nabc\n0\n\n${SMUGGLED}`),
    statuses: [],
    codes: [],
    options: { timeoutMs: 1500 },
    backend: (world) => {
      expect(world.echo.requests.every((r) => !r.complete)).toBe(true);
      noSmuggled(world);
    },
  },
  {
    name: 'a body shorter than its Content-Length, then EOF: the backend never sees it complete',
    send: post(['Content-Length: 10'], 'abc'),
    statuses: [],
    codes: [],
    options: { timeoutMs: 800 },
    backend: (world) => expect(world.echo.requests.every((r) => !r.complete)).toBe(true),
  },
  {
    name: 'Content-Length shorter than the bytes sent: the rest is the next request, parsed as one',
    send: post(
      ['Content-Length: 3'],
      `abcGET /echo/next HTTP/1.1\r\n${HOST}\r\nConnection: close\r\n\r\n`,
    ),
    statuses: [200, 200],
    codes: [null, null],
    backend: (world) =>
      expect(byUrl(world.echo.requests.map((r) => [r.url, r.body]))).toEqual([
        ['/echo', 'abc'],
        ['/echo/next', ''],
      ]),
  },
  {
    name: 'a request line with a bare LF answers 400',
    send: `GET /echo HTTP/1.1\n${HOST}\r\n\r\n`,
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'not HTTP at all answers 400',
    send: 'HELLO\r\n\r\n',
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
];

describe('attacks: framing and smuggling', () => {
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

/** Rows sorted by their URL (the column that starts with `/`). */
function byUrl(rows: string[][]): string[][] {
  const url = (row: string[]): string => row.find((cell) => cell.startsWith('/')) ?? '';
  return [...rows].sort((a, b) => url(a).localeCompare(url(b)));
}
