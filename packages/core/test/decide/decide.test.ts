/** Decisions from the winning route: forward, redirect, respond, and CORS preflights. */
import { describe, expect, it } from 'vitest';
import type { NormalizedCors } from '../../src/api/normalized.js';
import type { ResolveRequest } from '../../src/decision.js';
import { makeTableListener } from '../../src/match/freeze.js';
import { resolve } from '../../src/resolve.js';
import type { RouteAction } from '../../src/table.js';
import { backend, flatRoute, forwardTo, ref, simpleTable, tableOf } from '../reference/build.js';

const get = (path: string, extra: Partial<ResolveRequest> = {}): ResolveRequest => ({
  method: 'GET',
  path,
  host: 'example.com',
  ...extra,
});
const listener = { name: 'http', port: 80 };

describe('forward', () => {
  it('carries the rule through and sends the normalised path with the original query', () => {
    const action: RouteAction = {
      kind: 'forward',
      backends: [
        backend('a', { weight: 70 }),
        backend('b', { weight: 30, appProtocol: 'kubernetes.io/h2c' }),
      ],
      requestHeaders: { set: [{ name: 'x-a', value: '1' }], add: [], remove: [] },
      responseHeaders: { set: [], add: [], remove: ['server'] },
      mirrors: [
        {
          backend: { group: '', kind: 'Service', namespace: 'ns', name: 'mirror', port: 80 },
          percent: 50,
        },
      ],
      timeouts: { requestMs: 1000 },
      retry: { codes: [503], attempts: 2, backoffMs: 100 },
    };
    const chain = [ref('parent', 1), ref('child', 0, 1, 'team')];
    const table = simpleTable([flatRoute({ rank: 0, path: '/api', action, chain })]);
    expect(resolve(table, get('/api//v1/./x?q=%2F&q=2'))).toEqual({
      kind: 'forward',
      listener,
      route: chain[1],
      chain,
      backends: action.backends,
      upstream: { path: '/api/v1/x?q=%2F&q=2' },
      requestHeaders: action.requestHeaders,
      responseHeaders: action.responseHeaders,
      mirrors: action.mirrors,
      timeouts: action.timeouts,
      retry: action.retry,
    });
  });

  it('rewrites the upstream path against the merged prefix and the host (UR-1, UR-2, delegation rule 21)', () => {
    const action = forwardTo('svc', {
      rewrite: { hostname: 'internal.example', path: { type: 'ReplacePrefixMatch', value: '/v1' } },
    });
    const table = simpleTable([
      flatRoute({
        rank: 0,
        path: '/banking/accounts',
        guards: [{ path: '/banking' }],
        action,
        chain: [ref('p'), ref('c')],
      }),
    ]);
    const decision = resolve(table, get('/banking/accounts/7?full=1'));
    expect(decision).toMatchObject({
      kind: 'forward',
      upstream: { path: '/v1/7?full=1', host: 'internal.example' },
    });
  });

  it('gives a backend with its own URLRewrite its own upstream, the rule filling in what it leaves out', () => {
    const action: RouteAction = {
      kind: 'forward',
      backends: [backend('plain'), backend('rewritten', { rewrite: { hostname: 'b.internal' } })],
      rewrite: { path: { type: 'ReplaceFullPath', value: '/full' } },
      mirrors: [],
    };
    const decision = resolve(
      simpleTable([flatRoute({ rank: 0, path: '/x', action })]),
      get('/x/y?z'),
    );
    expect(decision.kind).toBe('forward');
    if (decision.kind !== 'forward') return;
    expect(decision.upstream).toEqual({ path: '/full?z' });
    expect(decision.backends[0]).toEqual(backend('plain'));
    expect(decision.backends[1]).toEqual({
      ...backend('rewritten'),
      upstream: { path: '/full?z', host: 'b.internal' },
    });
  });

  it('computes the Location of a backend-level redirect', () => {
    const action: RouteAction = {
      kind: 'forward',
      backends: [backend('r', { redirect: { statusCode: 301, scheme: 'https' } })],
      mirrors: [],
    };
    const decision = resolve(
      simpleTable([flatRoute({ rank: 0, action })]),
      get('/a?b=1', { host: 'Example.com:80' }),
    );
    expect(decision).toMatchObject({
      kind: 'forward',
      backends: [{ name: 'r', redirect: { status: 301, location: 'https://example.com/a?b=1' } }],
    });
    if (decision.kind === 'forward') expect(decision.backends[0]).not.toHaveProperty('rewrite');
  });

  it('answers 500 with the first reason when every backend is invalid, and forwards when one is valid (B-3)', () => {
    const invalid = (name: string, reason: string) =>
      backend(name, { invalid: { status: 500, reason } });
    const allInvalid: RouteAction = {
      kind: 'forward',
      backends: [invalid('a', 'backend not found'), invalid('b', 'ref not permitted')],
      mirrors: [],
    };
    const chain = [ref('r')];
    expect(
      resolve(simpleTable([flatRoute({ rank: 0, action: allInvalid, chain })]), get('/')),
    ).toEqual({
      kind: 'respond',
      status: 500,
      reason: 'backend not found',
      listener,
      route: chain[0],
      chain,
    });
    const mixed: RouteAction = {
      kind: 'forward',
      backends: [invalid('a', 'backend not found'), backend('b')],
      mirrors: [],
    };
    expect(resolve(simpleTable([flatRoute({ rank: 0, action: mixed })]), get('/'))).toMatchObject({
      kind: 'forward',
      backends: mixed.backends,
    });
  });
});

describe('redirect and respond', () => {
  it('redirects with the Location built from the request and the listener port', () => {
    const action: RouteAction = {
      kind: 'redirect',
      redirect: {
        statusCode: 302,
        hostname: 'example.org',
        path: { type: 'ReplacePrefixMatch', value: '/new' },
      },
      responseHeaders: { set: [{ name: 'x-r', value: '1' }], add: [], remove: [] },
    };
    const table = tableOf(
      makeTableListener({
        name: 'alt',
        port: 8080,
        protocol: 'HTTP',
        routes: [flatRoute({ rank: 0, path: '/old', action })],
      }),
    );
    expect(resolve(table, get('/old/x?y=1'))).toEqual({
      kind: 'redirect',
      listener: { name: 'alt', port: 8080 },
      route: ref('r0'),
      chain: [ref('r0')],
      status: 302,
      location: 'http://example.org:8080/new/x?y=1',
      responseHeaders: action.responseHeaders,
    });
  });

  it('responds as compiled, naming the route', () => {
    const action: RouteAction = { kind: 'respond', status: 500, reason: 'no valid child' };
    expect(resolve(simpleTable([flatRoute({ rank: 0, action })]), get('/'))).toEqual({
      kind: 'respond',
      status: 500,
      reason: 'no valid child',
      listener,
      route: ref('r0'),
      chain: [ref('r0')],
    });
  });
});

describe('CORS preflight (CO-2, CO-6)', () => {
  const cors: NormalizedCors = {
    allowOrigins: ['https://www.foo.com'],
    allowCredentials: false,
    allowMethods: ['GET'],
    allowHeaders: [],
    exposeHeaders: [],
    maxAge: 5,
  };
  const table = simpleTable([
    flatRoute({ rank: 0, path: '/cors', action: forwardTo('svc', { cors }) }),
  ]);
  const preflight = (origin: string) =>
    resolve(table, {
      method: 'OPTIONS',
      path: '/cors',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });

  it('answers 204 with the CORS headers for an allowed origin', () => {
    expect(preflight('https://www.foo.com')).toEqual({
      kind: 'respond',
      status: 204,
      reason: 'cors preflight',
      listener,
      route: ref('r0'),
      chain: [ref('r0')],
      headers: {
        'access-control-allow-origin': 'https://www.foo.com',
        'access-control-allow-methods': 'GET',
        'access-control-max-age': '5',
      },
    });
  });

  it('answers 204 without CORS headers for another origin', () => {
    expect(preflight('https://evil.example')).toMatchObject({
      kind: 'respond',
      status: 204,
      headers: {},
    });
  });

  it('forwards a plain OPTIONS request and simple requests, carrying the CORS policy', () => {
    expect(
      resolve(table, {
        method: 'OPTIONS',
        path: '/cors',
        headers: { origin: 'https://www.foo.com' },
      }),
    ).toMatchObject({ kind: 'forward', cors });
    expect(
      resolve(table, { method: 'GET', path: '/cors', headers: { origin: 'https://www.foo.com' } }),
    ).toMatchObject({ kind: 'forward', cors });
  });
});
