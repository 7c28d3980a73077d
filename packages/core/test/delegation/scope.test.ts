// Rule 17's other half: with a live child, the parent match routes nothing, but its scope is kept
// so that a 404 inside a delegated prefix (the gateway's answer) can be told from a request no
// team was delegated (which an app embedding Switchyard may answer itself).
import { describe, expect, it } from 'vitest';
import { delegatedScope } from '../../src/index.js';
import type { ResolveRequest } from '../../src/index.js';
import { backend, build, byLabel, child, parent, prefix, service } from './fixtures.js';

const services = [service('banking', 'accounts'), service('banking', 'loans')];
const bankingChild = child(
  'banking',
  'b',
  [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
  'bank',
);

function request(path: string, init: Partial<ResolveRequest> = {}): ResolveRequest {
  return { method: 'GET', host: 'api.example.com', path, ...init };
}

describe('rule 17: the delegated scope of a parent match with live children', () => {
  const w = build([parent({ '/banking': byLabel('bank') }), bankingChild, ...services]);

  it('a 404 inside the prefix names the delegating rule; the table gains no route', () => {
    expect(w.where('/banking/loans')).toBe('status 404');
    expect(w.table.listeners[0]!.routes).toHaveLength(1);
    const scope = delegatedScope(w.table, request('/banking/loans'));
    expect(scope?.chain).toEqual([
      { namespace: 'infra', name: 'api', ruleIndex: 0, matchIndex: 0 },
    ]);
    expect(scope?.match.path).toEqual({ type: 'PathPrefix', value: '/banking' });
  });

  it('is segment-aware and reads the path as the matcher does', () => {
    expect(delegatedScope(w.table, request('/banking'))).toBeDefined();
    expect(delegatedScope(w.table, request('/bankingx'))).toBeUndefined();
    expect(delegatedScope(w.table, request('/other/../banking/x'))).toBeDefined();
    expect(delegatedScope(w.table, request('/banking/../other'))).toBeUndefined();
    expect(delegatedScope(w.table, request('/%62anking/x'))).toBeDefined();
  });

  it("keeps the parent's hostnames: another host is outside the scope", () => {
    expect(delegatedScope(w.table, request('/banking/x', { host: 'other.example.com' }))).toBe(
      undefined,
    );
    expect(
      delegatedScope(w.table, request('/banking/x', { host: 'API.example.com:8080' })),
    ).toBeDefined();
  });

  it("keeps the parent's header and method conditions", () => {
    const h = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [
                { ...prefix('/banking'), method: 'GET', headers: [{ name: 'x-team', value: 'b' }] },
              ],
              backendRefs: [byLabel('bank')],
            },
          ],
        },
      ),
      child(
        'banking',
        'b',
        [
          {
            matches: [
              {
                ...prefix('/banking/accounts'),
                method: 'GET',
                headers: [{ name: 'x-team', value: 'b' }],
              },
            ],
            backendRefs: [backend('accounts')],
          },
        ],
        'bank',
      ),
      ...services,
    ]);
    const headers = { 'x-team': 'b' };
    expect(delegatedScope(h.table, request('/banking/x', { headers }))).toBeDefined();
    expect(delegatedScope(h.table, request('/banking/x'))).toBeUndefined();
    expect(delegatedScope(h.table, request('/banking/x', { headers, method: 'POST' }))).toBe(
      undefined,
    );
  });

  it('rule 14: under nested delegation the most specific scope answers', () => {
    const nested = build([
      parent({ '/banking': byLabel('bank') }),
      child(
        'banking',
        'b',
        [
          { matches: [prefix('/banking/loans')], backendRefs: [byLabel('loans')] },
          { matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] },
        ],
        'bank',
      ),
      child(
        'loans',
        'l',
        [{ matches: [prefix('/banking/loans/personal')], backendRefs: [backend('personal')] }],
        'loans',
      ),
      ...services,
      service('loans', 'personal'),
    ]);
    expect(nested.where('/banking/loans/personal/1')).toBe('loans/personal:8080');
    expect(nested.where('/banking/loans/car')).toBe('status 404');
    expect(delegatedScope(nested.table, request('/banking/loans/car'))?.chain.at(-1)).toMatchObject(
      {
        namespace: 'banking',
        name: 'b',
        ruleIndex: 0,
      },
    );
    expect(delegatedScope(nested.table, request('/banking/other'))?.chain).toEqual([
      { namespace: 'infra', name: 'api', ruleIndex: 0, matchIndex: 0 },
    ]);
  });

  it('rule 16: a delegation without a valid child is a 500 route, not a scope', () => {
    const broken = build([parent({ '/banking': byLabel('nobody') }), ...services]);
    expect(broken.where('/banking/x')).toBe('status 500');
    expect(broken.table.listeners[0]!.scopes).toBeUndefined();
  });

  it('a malformed path or a request no listener takes is in no scope', () => {
    expect(delegatedScope(w.table, request('banking'))).toBeUndefined();
    expect(delegatedScope(w.table, request('/banking/x', { port: 9999 }))).toBeUndefined();
  });
});
