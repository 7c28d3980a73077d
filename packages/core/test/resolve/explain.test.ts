/** explain: the same decision as resolve, and the trace of how it was reached. */
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { explain, formatTrace } from '../../src/explain.js';
import { makeTableListener } from '../../src/match/freeze.js';
import { resolve } from '../../src/resolve.js';
import { flatRoute, ref, tableOf } from '../reference/build.js';

const parent = ref('parent', 0, 0, 'infra');
const table = tableOf(
  makeTableListener({
    name: 'http',
    port: 80,
    protocol: 'HTTP',
    routes: [
      flatRoute({
        rank: 0,
        hostnames: ['api.example.com'],
        path: '/banking',
        headers: [['version', 'two']],
        chain: [ref('v2', 0, 0, 'bank')],
      }),
      flatRoute({
        rank: 1,
        hostnames: ['api.example.com'],
        path: { type: 'Exact', value: '/banking/accounts' },
        method: 'POST',
        chain: [ref('writes', 0, 0, 'bank')],
      }),
      flatRoute({
        rank: 2,
        hostnames: ['*.example.com'],
        path: { type: 'RegularExpression', value: '/banking/.*|/payments/.*' },
        guards: [{ path: '/', headers: [['x-team', 'payments']] }],
        chain: [parent, ref('sneaky', 0, 0, 'team')],
      }),
      flatRoute({ rank: 3, path: '/banking', chain: [parent, ref('accounts', 1, 0, 'bank')] }),
    ],
  }),
  makeTableListener({
    name: 'other',
    port: 80,
    protocol: 'HTTP',
    hostname: 'other.example.com',
    routes: [],
  }),
  makeTableListener({ name: 'tls', port: 443, protocol: 'HTTPS', routes: [] }),
);
const request: ResolveRequest = {
  method: 'GET',
  host: 'API.example.com:80',
  path: '/banking//accounts?x=1',
};

describe('explain', () => {
  it('returns the decision resolve returns', () => {
    expect(explain(table, request).decision).toEqual(resolve(table, request));
  });

  it('records path, listener, host buckets, every candidate with its failure, and the winner', () => {
    expect(explain(table, request).trace).toEqual([
      { step: 'path', target: '/banking//accounts?x=1', path: '/banking/accounts', query: 'x=1' },
      {
        step: 'listener',
        chosen: { name: 'http', port: 80 },
        reason: 'no hostname: serves every host',
        rejected: [
          {
            listener: { name: 'other', port: 80 },
            reason: 'hostname other.example.com does not match api.example.com',
          },
          { listener: { name: 'tls', port: 443 }, reason: 'protocol is HTTPS' },
        ],
      },
      {
        step: 'hosts',
        host: 'api.example.com',
        buckets: ['api.example.com', '*.example.com', '*'],
      },
      {
        step: 'candidate',
        bucket: 'api.example.com',
        rank: 0,
        chain: [ref('v2', 0, 0, 'bank')],
        matched: false,
        reason: 'header version',
      },
      {
        step: 'candidate',
        bucket: 'api.example.com',
        rank: 1,
        chain: [ref('writes', 0, 0, 'bank')],
        matched: false,
        reason: 'method',
      },
      {
        step: 'candidate',
        bucket: '*.example.com',
        rank: 2,
        chain: [parent, ref('sneaky', 0, 0, 'team')],
        matched: false,
        reason: 'guard infra/parent#0: header x-team',
        guard: parent,
      },
      {
        step: 'candidate',
        bucket: '*',
        rank: 3,
        chain: [parent, ref('accounts', 1, 0, 'bank')],
        matched: true,
      },
      { step: 'winner', rank: 3, chain: [parent, ref('accounts', 1, 0, 'bank')] },
    ]);
  });

  it('formats the trace as text', () => {
    expect(formatTrace(explain(table, request).trace)).toMatchInlineSnapshot(`
      "path /banking/accounts?x=1
      listener http:80 (no hostname: serves every host); not other: hostname other.example.com does not match api.example.com; not tls: protocol is HTTPS
      hosts api.example.com: api.example.com, *.example.com, *
      candidate #0 [api.example.com] bank/v2#0: header version
      candidate #1 [api.example.com] bank/writes#0: method
      candidate #2 [*.example.com] infra/parent#0 > team/sneaky#0: guard infra/parent#0: header x-team
      candidate #3 [*] infra/parent#0 > bank/accounts#1: match
      winner #3 infra/parent#0 > bank/accounts#1"
    `);
  });

  it('says why the target was rejected and why no listener was chosen', () => {
    expect(explain(table, { method: 'GET', path: '/a%zz' })).toEqual({
      decision: { kind: 'respond', status: 400, reason: 'bad request: malformed percent-encoding' },
      trace: [{ step: 'path', target: '/a%zz', rejected: 'malformed percent-encoding' }],
    });
    const misdirected = explain(table, { method: 'GET', path: '/', scheme: 'https', port: 8443 });
    expect(misdirected.decision).toMatchObject({ status: 404, reason: 'no listener' });
    expect(misdirected.trace[1]).toMatchObject({
      step: 'listener',
      reason: 'no listener for host (none)',
    });
    expect(misdirected.trace[1]).not.toHaveProperty('chosen');
  });

  it('ends without a winner on a 404', () => {
    const { decision, trace } = explain(table, {
      method: 'GET',
      host: 'x.example.com',
      path: '/nothing',
    });
    expect(decision).toMatchObject({ status: 404, reason: 'no route' });
    expect(trace.map((s) => s.step)).toEqual(['path', 'listener', 'hosts', 'candidate']);
    expect(trace[3]).toMatchObject({ rank: 2, matched: false, reason: 'path' });
  });
});
