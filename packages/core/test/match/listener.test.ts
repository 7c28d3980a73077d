/** Listener selection: H-8 (most specific hostname), H-9 (isolation), H-10 (421), ports, schemes. */
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { makeTableListener } from '../../src/match/freeze.js';
import { resolve } from '../../src/resolve.js';
import { flatRoute, ref, tableOf } from '../reference/build.js';

function listener(
  name: string,
  init: { port?: number; protocol?: 'HTTP' | 'HTTPS'; hostname?: string; path?: string } = {},
) {
  return makeTableListener({
    name,
    port: init.port ?? 80,
    protocol: init.protocol ?? 'HTTP',
    ...(init.hostname === undefined ? {} : { hostname: init.hostname }),
    routes: [flatRoute({ rank: 0, path: init.path ?? '/', chain: [ref(`route-${name}`)] })],
  });
}

/** The route that answered, or the status. */
function outcome(
  table: ReturnType<typeof tableOf>,
  request: Partial<ResolveRequest>,
): string | number {
  const decision = resolve(table, { method: 'GET', path: '/', ...request });
  return decision.kind === 'respond' ? decision.status : decision.route.name;
}

describe('listener selection (H-8)', () => {
  // Listener hostnames of the HTTPRouteListenerHostnameMatching conformance case.
  const table = tableOf(
    listener('listener-1', { hostname: 'bar.com' }),
    listener('listener-2', { hostname: 'foo.bar.com' }),
    listener('listener-3', { hostname: '*.bar.com' }),
    listener('listener-4', { hostname: '*.foo.com' }),
  );

  it('prefers an exact hostname over a wildcard', () => {
    expect(outcome(table, { host: 'bar.com' })).toBe('route-listener-1');
    expect(outcome(table, { host: 'foo.bar.com' })).toBe('route-listener-2');
  });

  it('matches wildcards over one or more labels, never the apex', () => {
    expect(outcome(table, { host: 'baz.bar.com' })).toBe('route-listener-3');
    expect(outcome(table, { host: 'multiple.prefixes.bar.com' })).toBe('route-listener-3');
    expect(outcome(table, { host: 'multiple.prefixes.foo.com' })).toBe('route-listener-4');
    expect(outcome(table, { host: 'foo.com' })).toBe(404);
    expect(outcome(table, { host: 'no.matching.host' })).toBe(404);
  });

  it('ignores the port and the case of the host (H-1)', () => {
    expect(outcome(table, { host: 'FOO.bar.com:1234' })).toBe('route-listener-2');
  });

  it('reads the Host header when the request has no host, in any case', () => {
    expect(outcome(table, { headers: { Host: 'baz.bar.com' } })).toBe('route-listener-3');
  });

  it('prefers the longer wildcard and falls back to the hostname-less listener', () => {
    const nested = tableOf(
      listener('any'),
      listener('wide', { hostname: '*.example.com' }),
      listener('narrow', { hostname: '*.foo.example.com' }),
    );
    expect(outcome(nested, { host: 'a.foo.example.com' })).toBe('route-narrow');
    expect(outcome(nested, { host: 'a.example.com' })).toBe('route-wide');
    expect(outcome(nested, { host: 'example.com' })).toBe('route-any');
    expect(outcome(nested, {})).toBe('route-any');
  });

  it('keeps a request on its listener even when only another listener has a matching route (H-9)', () => {
    const isolated = tableOf(
      listener('any', { path: '/shared' }),
      listener('specific', { hostname: 'a.example.com', path: '/own' }),
    );
    expect(outcome(isolated, { host: 'a.example.com', path: '/shared' })).toBe(404);
    expect(outcome(isolated, { host: 'b.example.com', path: '/shared' })).toBe('route-any');
  });

  it('answers 404 "no listener" with no listener for the host', () => {
    const decision = resolve(table, { method: 'GET', path: '/', host: 'nothing.example' });
    expect(decision).toEqual({ kind: 'respond', status: 404, reason: 'no listener' });
  });
});

describe('listener selection by port and scheme', () => {
  const table = tableOf(
    listener('http-80'),
    listener('http-8080', { port: 8080 }),
    listener('https-443', { port: 443, protocol: 'HTTPS' }),
  );

  it('defaults to the first listener of the scheme', () => {
    expect(outcome(table, {})).toBe('route-http-80');
    expect(outcome(table, { scheme: 'https' })).toBe('route-https-443');
  });

  it('selects by port within the scheme', () => {
    expect(outcome(table, { port: 8080 })).toBe('route-http-8080');
    expect(outcome(table, { port: 443 })).toBe(404);
    expect(outcome(table, { scheme: 'https', port: 80 })).toBe(404);
  });

  it('answers 404 when the table has no listener for the scheme', () => {
    expect(outcome(tableOf(listener('only-http')), { scheme: 'https' })).toBe(404);
  });
});

describe('misdirected requests (H-10, HTTPRouteHTTPSListenerDetectMisdirectedRequests)', () => {
  const https = { port: 443, protocol: 'HTTPS' as const };
  const table = tableOf(
    listener('https', https),
    listener('https-with-hostname', { ...https, hostname: 'second-example.org' }),
    listener('https-with-wildcard-hostname', { ...https, hostname: '*.wildcard.org' }),
    listener('https-with-hostname-matching-wildcard', {
      ...https,
      hostname: 'fourth-example.wildcard.org',
    }),
  );
  const rows: [sni: string, host: string, expected: string | number][] = [
    ['example.org', 'example.org', 'route-https'],
    ['example.org', 'second-example.org', 421],
    ['second-example.org', 'second-example.org', 'route-https-with-hostname'],
    ['second-example.org', 'example.org', 421],
    ['second-example.org', 'unknown-example.org', 421],
    [
      'third-example.wildcard.org',
      'third-example.wildcard.org',
      'route-https-with-wildcard-hostname',
    ],
    [
      'third-example.wildcard.org',
      'fith-example.wildcard.org',
      'route-https-with-wildcard-hostname',
    ],
    ['third-example.wildcard.org', 'fourth-example.wildcard.org', 421],
    ['third-example.wildcard.org', 'second-example.org', 421],
    ['third-example.wildcard.org', 'unknown-example.org', 421],
    [
      'fourth-example.wildcard.org',
      'fourth-example.wildcard.org',
      'route-https-with-hostname-matching-wildcard',
    ],
    ['fourth-example.wildcard.org', 'fith-example.wildcard.org', 421],
    ['unknown-example.org', 'example.org', 'route-https'],
  ];
  it.each(rows)('SNI %s, Host %s → %s', (sni, host, expected) => {
    expect(outcome(table, { scheme: 'https', port: 443, sni, host })).toBe(expected);
  });

  it('answers 421 with the listener the SNI selected', () => {
    const decision = resolve(table, {
      method: 'GET',
      path: '/',
      scheme: 'https',
      sni: 'example.org',
      host: 'second-example.org',
    });
    expect(decision).toEqual({
      kind: 'respond',
      status: 421,
      reason: 'misdirected request',
      listener: { name: 'https', port: 443 },
    });
  });

  it('answers 404 when no listener matches the Host', () => {
    const named = tableOf(listener('only', { ...https, hostname: 'a.example.org' }));
    expect(outcome(named, { scheme: 'https', sni: 'a.example.org', host: 'b.example.org' })).toBe(
      404,
    );
    expect(
      outcome(named, { scheme: 'https', sni: 'A.example.org', host: 'a.example.org:443' }),
    ).toBe('route-only');
  });

  it('selects by Host alone when there is no SNI', () => {
    expect(outcome(table, { scheme: 'https', host: 'second-example.org' })).toBe(
      'route-https-with-hostname',
    );
  });
});
