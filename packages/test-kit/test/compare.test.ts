import { describe, expect, it } from 'vitest';
import {
  acceptableStatuses,
  compareAbsentHeaders,
  compareHeaders,
  compareRedirect,
  headerMatches,
  headerValue,
  parseLocation,
} from '../src/index.js';
import type { RedirectRequest } from '../src/index.js';

describe('header values', () => {
  it('compares names case-insensitively and joins every occurrence with ","', () => {
    const headers = { 'X-Add': ['a', 'b'], 'x-add': 'c', other: 'z', empty: undefined };
    expect(headerValue(headers, 'x-ADD')).toBe('a,b,c');
    expect(headerValue(headers, 'missing')).toBeUndefined();
    expect(headerValue(headers, 'empty')).toBeUndefined();
  });

  it('oneOf passes when any choice equals the joined value', () => {
    expect(headerMatches('GET, OPTIONS', { oneOf: ['OPTIONS, GET', 'GET, OPTIONS'] })).toBe(true);
    expect(headerMatches('GET', { oneOf: ['POST', '*'] })).toBe(false);
  });

  it('ignoreWhitespace removes spaces from both sides, and only when asked', () => {
    expect(headerMatches('x-header-1,x-header-2', 'x-header-1, x-header-2')).toBe(false);
    expect(headerMatches('x-header-1,x-header-2', 'x-header-1, x-header-2', true)).toBe(true);
    expect(headerMatches('a , b', { oneOf: ['b,a', 'a,b'] }, true)).toBe(true);
  });

  it('compareHeaders names the header, what came and what was expected', () => {
    const headers = { 'X-Header-Add': 'some-other-value,add-appends-values' };
    expect(
      compareHeaders(
        headers,
        { 'x-header-add': 'some-other-value,add-appends-values' },
        'upstream',
      ),
    ).toEqual([]);
    expect(compareHeaders(headers, { 'x-header-add': 'add-appends-values' }, 'upstream')).toEqual([
      'upstream header x-header-add: got "some-other-value,add-appends-values", expected "add-appends-values"',
    ]);
    expect(compareHeaders({}, { a: { oneOf: ['1', '2'] } }, 'response')).toEqual([
      'response header a: missing, expected one of ["1","2"]',
    ]);
  });

  it('absent headers must be absent in every spelling', () => {
    expect(
      compareAbsentHeaders({ 'x-header-remove': 'v' }, ['X-Header-Remove'], 'upstream'),
    ).toEqual(['upstream header X-Header-Remove: must be absent, got "v"']);
    expect(compareAbsentHeaders({ kept: 'v' }, ['X-Header-Remove'], 'upstream')).toEqual([]);
  });
});

describe('status lists', () => {
  it('accepts one code, a list, and 408/504 for timeouts', () => {
    expect(acceptableStatuses(404)).toEqual([404]);
    expect(acceptableStatuses([200, 204])).toEqual([200, 204]);
    expect(acceptableStatuses(504, true)).toEqual([504, 408]);
    expect(acceptableStatuses(undefined)).toEqual([]);
  });
});

describe('parseLocation', () => {
  it('reads an omitted port as the scheme default', () => {
    expect(parseLocation('https://example.org/x?y=1', 'http://gw:80/')).toEqual({
      scheme: 'https',
      hostname: 'example.org',
      port: 443,
      path: '/x',
      search: '?y=1',
    });
    expect(parseLocation('http://example.org:80/', 'http://gw/')?.port).toBe(80);
    expect(parseLocation('http://example.org:8080/', 'http://gw/')?.port).toBe(8080);
  });

  it('resolves a relative Location against the request URL', () => {
    expect(parseLocation('/moved', 'http://gw.example:8080/old')).toMatchObject({
      scheme: 'http',
      hostname: 'gw.example',
      port: 8080,
      path: '/moved',
    });
  });

  it('returns undefined for garbage', () => {
    expect(parseLocation('http://[bad', 'http://gw/')).toBeUndefined();
  });
});

describe('compareRedirect', () => {
  const request: RedirectRequest = {
    scheme: 'http',
    port: 8080,
    path: '/scheme-nil-and-port-nil?x=1',
  };
  const location = (value: string): Record<string, string> => ({ Location: value });

  it('defaults scheme and path to the request and port to the scheme default', () => {
    expect(
      compareRedirect({ status: 302 }, 302, location('http://a/scheme-nil-and-port-nil'), request),
    ).toEqual([]);
    expect(
      compareRedirect(
        { scheme: 'https' },
        302,
        location('https://a:443/scheme-nil-and-port-nil'),
        request,
      ),
    ).toEqual([]);
    expect(
      compareRedirect({}, 302, location('http://a:8080/scheme-nil-and-port-nil'), request),
    ).toEqual(['Location "http://a:8080/scheme-nil-and-port-nil": port is 8080, expected 80']);
  });

  it('checks an explicit port, hostname (case-insensitive) and path', () => {
    const headers = location('http://example.org:8080/replacement-prefix/lemon');
    const expected = { hostname: 'Example.org', port: 8080, path: '/replacement-prefix/lemon' };
    expect(compareRedirect(expected, 302, headers, request)).toEqual([]);
    expect(compareRedirect({ ...expected, hostname: 'other.org' }, 302, headers, request)).toEqual([
      'Location "http://example.org:8080/replacement-prefix/lemon": hostname is example.org, expected other.org',
    ]);
  });

  it('compares the query only when the expected path has one', () => {
    const headers = location('http://a/p?x=1');
    expect(compareRedirect({ path: '/p' }, 302, headers, request)).toEqual([]);
    expect(compareRedirect({ path: '/p?x=2' }, 302, headers, request)).toHaveLength(1);
  });

  it('leaves an omitted hostname unchecked but always checks the status', () => {
    expect(
      compareRedirect(
        { status: 301 },
        302,
        location('http://any/scheme-nil-and-port-nil'),
        request,
      ),
    ).toEqual(['redirect status: got 302, expected 301']);
  });

  it('fails without a redirect status or Location', () => {
    expect(compareRedirect({}, 200, {}, request)).toEqual(['expected a redirect, got status 200']);
    expect(compareRedirect({}, 302, {}, request)).toEqual(['redirect has no Location header']);
  });
});
