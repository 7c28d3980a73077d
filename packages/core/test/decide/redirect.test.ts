/** Redirect Location (RR-1..RR-5): the HTTPRouteRedirectPortAndScheme truth table, path, query. */
import { describe, expect, it } from 'vitest';
import type { NormalizedRedirect } from '../../src/api/normalized.js';
import { redirectLocation, type RedirectRequest } from '../../src/decide/redirect.js';

const request = (scheme: 'http' | 'https', listenerPort: number): RedirectRequest => ({
  scheme,
  host: 'example.com',
  listenerPort,
  path: '/p',
  query: undefined,
  matchedPrefix: '/p',
});

describe('redirect port and scheme (HTTPRouteRedirectPortAndScheme)', () => {
  const rows: [
    listener: string,
    scheme: 'http' | 'https',
    port: number,
    filterScheme: 'http' | 'https' | undefined,
    filterPort: number | undefined,
    location: string,
  ][] = [
    ['http 80', 'http', 80, undefined, undefined, 'http://example.org/p'],
    ['http 80', 'http', 80, undefined, 80, 'http://example.org/p'],
    ['http 80', 'http', 80, undefined, 8080, 'http://example.org:8080/p'],
    ['http 80', 'http', 80, 'https', undefined, 'https://example.org/p'],
    ['http 80', 'http', 80, 'https', 443, 'https://example.org/p'],
    ['http 80', 'http', 80, 'https', 8443, 'https://example.org:8443/p'],
    ['http 8080', 'http', 8080, undefined, undefined, 'http://example.org:8080/p'],
    ['http 8080', 'http', 8080, undefined, 80, 'http://example.org/p'],
    ['http 8080', 'http', 8080, 'https', undefined, 'https://example.org/p'],
    ['https 443', 'https', 443, undefined, undefined, 'https://example.org/p'],
    ['https 443', 'https', 443, undefined, 443, 'https://example.org/p'],
    ['https 443', 'https', 443, undefined, 8443, 'https://example.org:8443/p'],
    ['https 443', 'https', 443, 'http', undefined, 'http://example.org/p'],
    ['https 443', 'https', 443, 'http', 80, 'http://example.org/p'],
    ['https 443', 'https', 443, 'http', 8080, 'http://example.org:8080/p'],
  ];
  it.each(rows)(
    '%s listener, scheme %s, scheme=%s port=%s → %s',
    (_l, scheme, port, filterScheme, filterPort, location) => {
      const redirect: NormalizedRedirect = {
        statusCode: 302,
        hostname: 'example.org',
        ...(filterScheme === undefined ? {} : { scheme: filterScheme }),
        ...(filterPort === undefined ? {} : { port: filterPort }),
      };
      expect(redirectLocation(redirect, request(scheme, port))).toBe(location);
    },
  );
});

describe('redirect host, path and query', () => {
  it('keeps the request host (without port) and scheme when the filter sets neither', () => {
    expect(
      redirectLocation({ statusCode: 301 }, { ...request('http', 80), host: 'redirect.example' }),
    ).toBe('http://redirect.example/p');
  });

  it('rewrites the path and preserves the query (decision 7)', () => {
    const base = {
      ...request('http', 80),
      path: '/original-prefix/lemon',
      query: 'a=1&b',
      matchedPrefix: '/original-prefix',
    };
    expect(
      redirectLocation(
        { statusCode: 302, path: { type: 'ReplacePrefixMatch', value: '/replacement-prefix' } },
        base,
      ),
    ).toBe('http://example.com/replacement-prefix/lemon?a=1&b');
    expect(
      redirectLocation({ statusCode: 302, path: { type: 'ReplaceFullPath', value: '/new' } }, base),
    ).toBe('http://example.com/new?a=1&b');
  });

  it('falls back to the listener hostname, then to a relative Location, when the request names no host', () => {
    const hostless = { ...request('http', 80), host: undefined };
    expect(
      redirectLocation({ statusCode: 302 }, { ...hostless, listenerHostname: 'site.example' }),
    ).toBe('http://site.example/p');
    expect(
      redirectLocation({ statusCode: 302 }, { ...hostless, listenerHostname: '*.example' }),
    ).toBe('/p');
    expect(redirectLocation({ statusCode: 302, hostname: 'x.example' }, hostless)).toBe(
      'http://x.example/p',
    );
  });
});
