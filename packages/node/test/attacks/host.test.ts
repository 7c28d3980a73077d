// Host confusion (decisions 14 and 15): the gateway routes on exactly the authority the backend
// receives, and refuses requests whose authority is missing, doubled or malformed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attack, get, only, startWorld } from './support/world.js';
import type { AttackCase, World } from './support/world.js';

const API = 'Host: api.example.com';

const cases: AttackCase[] = [
  {
    name: 'decision 14: absolute-form authority replaces Host, routing and upstream alike',
    send: get('http://admin.example.com/panel', API, 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: (world) => {
      const seen = only(world.admin);
      expect(seen.url).toBe('/panel');
      expect(world.admin.header(seen, 'host')).toBe('admin.example.com');
      expect(world.echo.requests).toEqual([]);
    },
  },
  {
    name: 'decision 14: absolute-form with only a query keeps the path /',
    send: get('http://admin.example.com?x=1', API, 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: (world) => expect(only(world.admin).url).toBe('/?x=1'),
  },
  {
    name: 'decision 14: absolute-form scheme other than http/https answers 400',
    send: get('ftp://admin.example.com/panel', API),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST_TARGET'],
    backend: 'nothing',
  },
  {
    name: 'decision 14: absolute-form with userinfo answers 400',
    send: get('http://user:pw@admin.example.com/', API),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST_TARGET'],
    backend: 'nothing',
  },
  {
    name: 'decision 14: absolute-form with a malformed port answers 400',
    send: get('http://admin.example.com:evil/', API),
    statuses: [400],
    codes: ['SWY_BAD_REQUEST_TARGET'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: a missing Host on HTTP/1.1 answers 400',
    send: get('/echo'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: two Host headers answer 400, whichever comes first',
    send: get('/echo', API, 'Host: admin.example.com'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: two Host headers that agree still answer 400',
    send: get('/echo', API, API),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: Host with a non-numeric port answers 400',
    send: get('/echo', 'Host: api.example.com:evil'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: Host with a port above 65535 answers 400',
    send: get('/echo', 'Host: api.example.com:99999'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: an empty Host answers 400',
    send: get('/echo', 'Host:'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: Host with a space or a slash answers 400',
    send: get('/echo', 'Host: admin.example.com/x'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'decision 15: an unclosed IPv6 literal answers 400',
    send: get('/echo', 'Host: [::1'),
    statuses: [400],
    codes: ['SWY_BAD_HOST'],
    backend: 'nothing',
  },
  {
    name: 'an IPv6 literal with a port is a valid Host',
    send: get('/echo', 'Host: [::1]:8080', 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: (world) => expect(world.echo.header(only(world.echo), 'host')).toBe('[::1]:8080'),
  },
  {
    name: 'upper case Host routes as lower case, and the backend receives what was sent',
    send: get('/panel', 'Host: ADMIN.Example.COM', 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: (world) =>
      expect(world.admin.header(only(world.admin), 'host')).toBe('ADMIN.Example.COM'),
  },
  {
    name: 'a Host with a port routes on the host name',
    send: get('/panel', 'Host: admin.example.com:80', 'Connection: close'),
    statuses: [200],
    codes: [null],
    backend: (world) => expect(only(world.admin).url).toBe('/panel'),
  },
  {
    name: 'a trailing dot never reaches another team: admin.example.com. is not admin.example.com',
    send: get('/panel', 'Host: admin.example.com.', 'Connection: close'),
    statuses: [404],
    codes: ['SWY_NO_ROUTE'],
    backend: 'nothing',
  },
  {
    name: 'HTTP/1.0 without Host is served on routes that name no host',
    send: 'GET /echo HTTP/1.0\r\n\r\n',
    statuses: [200],
    codes: [null],
    backend: (world) => expect(only(world.echo).url).toBe('/echo'),
  },
];

describe('attacks: host confusion', () => {
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
