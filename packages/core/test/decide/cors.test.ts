/** CORS (CO-1..CO-6), on the routes and rows of the HTTPRouteCORS conformance case. */
import { describe, expect, it } from 'vitest';
import type { NormalizedCors } from '../../src/api/normalized.js';
import { corsOriginAllowed, corsPreflight, corsResponseHeaders } from '../../src/decide/cors.js';

const cors = (init: Partial<NormalizedCors>): NormalizedCors => ({
  allowOrigins: [],
  allowCredentials: false,
  allowMethods: [],
  allowHeaders: [],
  exposeHeaders: [],
  maxAge: 5,
  ...init,
});

const cors1 = cors({
  allowOrigins: ['https://www.foo.com', 'https://*.bar.com'],
  allowMethods: ['GET', 'OPTIONS'],
  allowHeaders: ['x-header-1', 'x-header-2'],
  exposeHeaders: ['x-header-3', 'x-header-4'],
  allowCredentials: true,
  maxAge: 3600,
});
const cors2 = cors({ allowOrigins: ['https://www.foo.com'], allowMethods: ['*'] });
const wildcardOrigin = cors({ allowOrigins: ['*'], allowMethods: ['PUT'] });
const wildcardAll = cors({
  allowOrigins: ['*'],
  allowMethods: ['*'],
  allowHeaders: ['*'],
  allowCredentials: true,
});
const wildcardAllUnauth = cors({ allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] });

describe('origin matching (CO-1)', () => {
  it('matches exact origins, wildcard subdomains over one or more labels, and default ports', () => {
    expect(corsOriginAllowed(cors1, 'https://www.foo.com')).toBe(true);
    expect(corsOriginAllowed(cors1, 'https://www.foo.com:443')).toBe(true);
    expect(corsOriginAllowed(cors1, 'https://WWW.foo.com')).toBe(true);
    expect(corsOriginAllowed(cors1, 'https://www.bar.com')).toBe(true);
    expect(corsOriginAllowed(cors1, 'https://xpto.www.bar.com')).toBe(true);
    expect(corsOriginAllowed(cors1, 'https://bar.com')).toBe(false);
    expect(corsOriginAllowed(cors1, 'https://foobar.com')).toBe(false);
    expect(corsOriginAllowed(cors1, 'http://www.foo.com')).toBe(false);
    expect(corsOriginAllowed(cors1, 'https://www.foo.com:8443')).toBe(false);
    expect(corsOriginAllowed(cors1, 'null')).toBe(false);
  });

  it('lets * admit every origin, ports and opaque origins included', () => {
    expect(corsOriginAllowed(wildcardOrigin, 'https://foobar.com:12345')).toBe(true);
    expect(corsOriginAllowed(wildcardOrigin, 'null')).toBe(true);
  });

  it('reads ports in patterns and a * host for any host of a scheme', () => {
    expect(
      corsOriginAllowed(cors({ allowOrigins: ['http://localhost:3000'] }), 'http://localhost:3000'),
    ).toBe(true);
    expect(
      corsOriginAllowed(cors({ allowOrigins: ['http://localhost:3000'] }), 'http://localhost'),
    ).toBe(false);
    expect(corsOriginAllowed(cors({ allowOrigins: ['https://*'] }), 'https://any.thing')).toBe(
      true,
    );
    expect(corsOriginAllowed(cors({ allowOrigins: ['https://*'] }), 'http://any.thing')).toBe(
      false,
    );
  });
});

describe('preflight (CO-2..CO-6)', () => {
  it('answers an exact or wildcard-matching origin with every configured header', () => {
    for (const origin of [
      'https://www.foo.com',
      'https://www.bar.com',
      'https://xpto.www.bar.com',
    ]) {
      expect(
        corsPreflight(cors1, { origin, method: 'GET', headers: 'x-header-1, x-header-2' }),
      ).toEqual({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, OPTIONS',
        'access-control-allow-headers': 'x-header-1, x-header-2',
        'access-control-expose-headers': 'x-header-3, x-header-4',
        'access-control-max-age': '3600',
        'access-control-allow-credentials': 'true',
      });
    }
  });

  it('sends no CORS header to a non-matching origin', () => {
    expect(corsPreflight(cors1, { origin: 'https://foobar.com', method: 'GET' })).toEqual({});
    expect(corsPreflight(cors1, { origin: undefined, method: 'GET' })).toEqual({});
  });

  it('answers a wildcard allowMethods with the requested method, without credentials unless configured', () => {
    const headers = corsPreflight(cors2, { origin: 'https://www.foo.com', method: 'POST' });
    expect(headers['access-control-allow-methods']).toBe('POST');
    expect(headers['access-control-allow-origin']).toBe('https://www.foo.com');
    expect(headers['access-control-allow-credentials']).toBeUndefined();
    expect(headers['access-control-max-age']).toBe('5');
  });

  it('answers any origin with * when credentials are off', () => {
    for (const origin of ['https://foobar.com', 'https://foobar.com:12345']) {
      const headers = corsPreflight(wildcardOrigin, { origin, method: 'PUT' });
      expect(headers['access-control-allow-origin']).toBe('*');
      expect(headers['access-control-allow-methods']).toBe('PUT');
      expect(headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('echoes origin, method and headers instead of * when credentials are on (CO-3)', () => {
    const request = {
      origin: 'https://other.foo.com',
      method: 'PUT',
      headers: 'x-header-1, x-header-2',
    };
    expect(corsPreflight(wildcardAll, request)).toEqual({
      'access-control-allow-origin': 'https://other.foo.com',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-header-1, x-header-2',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '5',
    });
    const unauth = corsPreflight(wildcardAllUnauth, request);
    expect(unauth['access-control-allow-origin']).toBe('*');
    expect(unauth['access-control-allow-headers']).toBe('x-header-1, x-header-2');
    expect(unauth['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('simple requests', () => {
  it('decorates responses to allowed origins only', () => {
    expect(corsResponseHeaders(cors1, 'https://www.bar.com')).toEqual({
      'access-control-allow-origin': 'https://www.bar.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-header-3, x-header-4',
    });
    expect(corsResponseHeaders(cors1, 'https://foobar.com')).toEqual({});
    expect(corsResponseHeaders(cors1, undefined)).toEqual({});
  });

  it('answers * or the origin, and allow-credentials only when configured', () => {
    expect(corsResponseHeaders(wildcardOrigin, 'https://foobar.com:12345')).toEqual({
      'access-control-allow-origin': '*',
    });
    expect(corsResponseHeaders(wildcardAll, 'https://other.foo.com')).toEqual({
      'access-control-allow-origin': 'https://other.foo.com',
      'access-control-allow-credentials': 'true',
    });
  });
});
