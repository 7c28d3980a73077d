// Path tricks (decision 4, rule 26's limits): what is matched is what the backend receives, a
// prefix cannot be escaped with dot segments in any spelling, and over-long or malformed targets
// are refused before any matching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TARGET, attack, get, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const HOST = 'Host: api.example.com';
const CLOSE = 'Connection: close';

/** The echo backend received exactly one request, for `path`. */
function echoGot(path: string): AttackCase['backend'] {
  return (world) => {
    expect(only(world.echo).url).toBe(path);
    expect(world.admin.requests).toEqual([]);
  };
}

const cases: AttackCase[] = [
  {
    name: 'decision 4: /echo/../admin is /admin, which no route on this host serves',
    send: get('/echo/../admin', HOST, CLOSE),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: percent-encoded dot segments (%2e%2e) are dot segments too',
    send: get('/echo/%2e%2e/admin', HOST, CLOSE),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: mixed-case %2E. is a dot segment',
    send: get('/echo/%2E./admin', HOST, CLOSE),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: dot segments inside the prefix are removed and the backend gets the result',
    send: get('/x/../echo/./a', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/a'),
  },
  {
    name: 'decision 4: %2F stays encoded and is never a separator',
    send: get('/echo/..%2Fadmin', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/..%2Fadmin'),
  },
  {
    name: 'decision 4: %5C (backslash) stays encoded',
    send: get('/echo/..%5Cadmin', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/..%5Cadmin'),
  },
  {
    name: 'a literal backslash is not a separator: /echo\\..\\admin stays under /echo',
    send: get('/echo\\..\\admin', HOST, CLOSE),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: duplicate slashes are merged before matching and upstream',
    send: get('//echo//a', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/a'),
  },
  {
    name: 'decision 4: unreserved characters are decoded (%65cho is echo)',
    send: get('/%65cho/a', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/a'),
  },
  {
    name: 'decision 4: an encoded NUL (%00) answers 400',
    send: get('/echo/a%00b', HOST, CLOSE),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'a raw NUL in the request line answers 400',
    send: `GET /echo/a\u0000b HTTP/1.1\r\n${HOST}\r\n\r\n`,
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'decision 4: malformed percent-encoding answers 400',
    send: get('/echo/%zz', HOST, CLOSE),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'a target without a leading / (and not absolute) answers 400 from the parser',
    send: get('echo', HOST, CLOSE),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'authority-form outside CONNECT answers 400 from the parser',
    send: get('admin.example.com:80', HOST, CLOSE),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: 'asterisk-form outside OPTIONS answers 400',
    send: get('*', HOST, CLOSE),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST'],
    backend: 'nothing',
  },
  {
    name: `rule 26: a request target longer than ${MAX_TARGET} bytes answers 414 before matching`,
    send: get(`/echo/${'a'.repeat(MAX_TARGET)}`, HOST, CLOSE),
    statuses: [414],
    codes: ['SWY_URI_TOO_LONG'],
    backend: 'nothing',
  },
  {
    name: `rule 26: a long query counts too`,
    send: get(`/echo?q=${'a'.repeat(MAX_TARGET)}`, HOST, CLOSE),
    statuses: [414],
    codes: ['SWY_URI_TOO_LONG'],
    backend: 'nothing',
  },
  {
    name: 'a target of exactly the limit is served',
    send: get(`/echo/${'a'.repeat(MAX_TARGET - 6)}`, HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: (world) => expect(only(world.echo).url).toHaveLength(MAX_TARGET),
  },
  {
    name: 'a query is passed through untouched (no decoding, no dot-segment removal)',
    send: get('/echo/a?x=/../%2e%2e&y=%00', HOST, CLOSE),
    statuses: [200],
    codes: [null],
    backend: echoGot('/echo/a?x=/../%2e%2e&y=%00'),
  },
];

describe('attacks: path tricks', () => {
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
