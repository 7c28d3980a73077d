import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/format.js';
import { makeRouteTable, makeTableListener } from '../../src/match/freeze.js';
import type { RouteAction } from '../../src/table.js';
import { backend, flatRoute, forwardTo, ref } from '../reference/build.js';

describe('formatTable', () => {
  it('prints one line per route in rank order', () => {
    const split: RouteAction = {
      kind: 'forward',
      backends: [
        backend('v1', { weight: 70 }),
        backend('v2', { weight: 30, invalid: { status: 500, reason: 'backend not found' } }),
        backend('static', { kind: 'Backend', group: 'gateway.kgateway.dev', port: 443 }),
      ],
      rewrite: { path: { type: 'ReplacePrefixMatch', value: '/' } },
      requestHeaders: { set: [{ name: 'x-env', value: 'prod' }], add: [], remove: ['x-debug'] },
      mirrors: [],
    };
    const http = makeTableListener({
      name: 'http',
      port: 80,
      protocol: 'HTTP',
      routes: [
        flatRoute({ rank: 1, path: '/', chain: [ref('catch-all', 0, 0, 'infra')] }),
        flatRoute({
          rank: 0,
          hostnames: ['api.example.com', '*.example.com'],
          path: '/banking/accounts',
          method: 'GET',
          headers: [
            ['version', 'v2'],
            { type: 'RegularExpression', name: 'x-tenant', value: 't[0-9]+' },
          ],
          query: [['debug', '1']],
          guards: [{ path: '/banking' }],
          chain: [ref('parent', 2, 0, 'infra'), ref('accounts', 0, 1, 'banking')],
          action: split,
        }),
        flatRoute({
          rank: 2,
          path: { type: 'Exact', value: '/old' },
          action: {
            kind: 'redirect',
            redirect: {
              statusCode: 301,
              scheme: 'https',
              port: 8443,
              path: { type: 'ReplaceFullPath', value: '/new' },
            },
          },
          chain: [ref('legacy', 1, 0, 'web')],
        }),
        flatRoute({
          rank: 3,
          path: { type: 'RegularExpression', value: '/v[0-9]+/.*' },
          action: { kind: 'respond', status: 500, reason: 'no valid child' },
          chain: [ref('broken', 0, 0, 'web')],
        }),
      ],
    });
    const tls = makeTableListener({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      hostname: '*.example.com',
      routes: [flatRoute({ rank: 0, action: forwardTo('web'), chain: [ref('site', 0, 0, 'web')] })],
    });
    const empty = makeTableListener({ name: 'admin', port: 8080, protocol: 'HTTP', routes: [] });
    expect(formatTable(makeRouteTable([http, tls, empty], { namespace: 'infra', name: 'gw' })))
      .toMatchInlineSnapshot(`
      "gateway infra/gw
      listener http HTTP :80 *
        #0  api.example.com,*.example.com  GET PathPrefix /banking/accounts header version=v2 header x-tenant~t[0-9]+ query debug=1 {guard PathPrefix /banking}  infra/parent#2 > banking/accounts#0.1  => forward ns/v1:8080 w70, ns/v2:8080 w30 [invalid 500 backend not found], Backend:ns/static:443 w1 rewrite(ReplacePrefixMatch=/) request-headers(set x-env=prod, remove x-debug)
        #1  *  PathPrefix /  infra/catch-all#0  => forward ns/svc-catch-all:8080 w1
        #2  *  Exact /old  web/legacy#1  => redirect 301 scheme=https port=8443 ReplaceFullPath=/new
        #3  *  RegularExpression /v[0-9]+/.*  web/broken#0  => respond 500 (no valid child)
      listener https HTTPS :443 *.example.com
        #0  *  PathPrefix /  web/site#0  => forward ns/web:8080 w1
      listener admin HTTP :8080 * (no routes)"
    `);
  });
});
