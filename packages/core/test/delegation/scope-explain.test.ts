// Rule 17: one record of each delegated scope (`TableListener.scopes`) answers both questions
// asked after a 404 inside a delegated prefix: is it the gateway's answer (`delegatedScope`), and
// which delegation covers it, with which children (`explain`'s delegation step).
import { describe, expect, it } from 'vitest';
import { delegatedScope, explain, type DelegationFacts } from '../../src/index.js';
import type { ResolveRequest, RouteTable } from '../../src/index.js';
import { backend, build, byLabel, byName, child, parent, prefix, service } from './fixtures.js';

function request(path: string, init: Partial<ResolveRequest> = {}): ResolveRequest {
  return { method: 'GET', host: 'api.example.com', path, ...init };
}

function delegationSteps(table: RouteTable, req: ResolveRequest): DelegationFacts[] {
  return explain(table, req).trace.flatMap((s) => (s.step === 'delegation' ? [s] : []));
}

const services = [service('banking', 'accounts'), service('banking', 'cards')];
const accounts = child(
  'banking',
  'accounts',
  [{ matches: [prefix('/banking/accounts')], backendRefs: [backend('accounts')] }],
  'bank',
);

describe('rule 17: one record of each delegated scope, read by delegatedScope and explain', () => {
  it('the table holds the scope once, with what it selects; explain and delegatedScope name the same rule', () => {
    const w = build([parent({ '/banking': byLabel('bank') }), accounts, ...services]);
    const listener = w.table.listeners[0]!;
    expect(Object.keys(listener)).not.toContain('delegations');
    expect(listener.scopes).toHaveLength(1);
    expect(listener.scopes![0]!.selects).toEqual([
      { group: 'delegation.kgateway.dev', kind: 'label', namespace: 'all', name: 'bank' },
    ]);
    const req = request('/banking/loans');
    const steps = delegationSteps(w.table, req);
    expect(steps.map((s) => s.parent)).toEqual([delegatedScope(w.table, req)!.chain]);
    expect(steps[0]!.selects).toBe(listener.scopes![0]!.selects);
  });

  it("a request on the scope's path that fails its header condition: explain says why, delegatedScope says outside", () => {
    const rules = [
      {
        matches: [{ ...prefix('/banking'), headers: [{ name: 'x-team', value: 'b' }] }],
        backendRefs: [byLabel('bank')],
      },
    ];
    // Rule 10: a child keeps the parent's conditions in its own match.
    const teamAccounts = child(
      'banking',
      'accounts',
      [
        {
          matches: [{ ...prefix('/banking/accounts'), headers: [{ name: 'x-team', value: 'b' }] }],
          backendRefs: [backend('accounts')],
        },
      ],
      'bank',
    );
    const w = build([parent({}, { rules }), teamAccounts, ...services]);
    const outside = request('/banking/loans');
    expect(delegatedScope(w.table, outside)).toBeUndefined();
    expect(delegationSteps(w.table, outside).map((s) => s.parentReason)).toEqual(['header x-team']);
    const inside = request('/banking/loans', { headers: { 'x-team': 'b' } });
    expect(delegatedScope(w.table, inside)).toBeDefined();
    const [step] = delegationSteps(w.table, inside);
    expect(step).toBeDefined();
    expect(step!.parentReason).toBeUndefined();
  });

  it('two delegations of the same prefix told apart by a header: explain lists both, delegatedScope picks the one that holds', () => {
    const rules = ['a', 'b'].map((value) => ({
      matches: [{ ...prefix('/banking'), headers: [{ name: 'x-team', value }] }],
      backendRefs: [byName(`team-${value}`, 'banking')],
    }));
    const team = (value: string, path: string) =>
      child('banking', `team-${value}`, [
        {
          matches: [{ ...prefix(path), headers: [{ name: 'x-team', value }] }],
          backendRefs: [backend(value === 'a' ? 'accounts' : 'cards')],
        },
      ]);
    const w = build([
      parent({}, { rules }),
      team('a', '/banking/accounts'),
      team('b', '/banking/cards'),
      ...services,
    ]);
    const req = request('/banking/loans', { headers: { 'x-team': 'b' } });
    const steps = delegationSteps(w.table, req);
    expect(steps.map((s) => [s.parent.at(-1)!.ruleIndex, s.parentReason])).toEqual([
      [0, 'header x-team'],
      [1, undefined],
    ]);
    expect(steps.map((s) => s.children.map((c) => c.chain.at(-1)!.name))).toEqual([
      ['team-a'],
      ['team-b'],
    ]);
    expect(delegatedScope(w.table, req)?.chain.at(-1)?.ruleIndex).toBe(1);
  });

  it('a wildcard parent hostname: covered on a subdomain, not on the bare domain or another host', () => {
    const w = build([
      parent({ '/banking': byLabel('bank') }, { hostnames: ['*.example.com'] }),
      accounts,
      ...services,
    ]);
    for (const host of ['api.example.com', 'a.b.example.com']) {
      expect(delegatedScope(w.table, request('/banking/x', { host }))).toBeDefined();
      expect(delegationSteps(w.table, request('/banking/x', { host }))).toHaveLength(1);
    }
    for (const host of ['example.com', 'example.org']) {
      expect(delegatedScope(w.table, request('/banking/x', { host }))).toBeUndefined();
      expect(delegationSteps(w.table, request('/banking/x', { host }))).toEqual([]);
    }
  });

  it('rule 14: nested scopes are listed outer first, each with every route flattened under it', () => {
    const w = build([
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
    const req = request('/banking/loans/car');
    const steps = delegationSteps(w.table, req);
    expect(steps.map((s) => s.match.path.value)).toEqual(['/banking', '/banking/loans']);
    expect(steps[0]!.children.map((c) => c.match.path.value).sort()).toEqual([
      '/banking/accounts',
      '/banking/loans/personal',
    ]);
    expect(steps[1]!.children.map((c) => c.match.path.value)).toEqual(['/banking/loans/personal']);
    expect(delegatedScope(w.table, req)?.chain).toEqual(steps[1]!.parent);
  });

  it('a hand-made table without scopes: no delegation step, no scope', () => {
    const w = build([parent({ '/banking': byLabel('bank') }), accounts, ...services]);
    const { scopes: _dropped, ...listener } = w.table.listeners[0]!;
    const bare: RouteTable = { listeners: [listener] };
    expect(delegatedScope(bare, request('/banking/loans'))).toBeUndefined();
    expect(delegationSteps(bare, request('/banking/loans'))).toEqual([]);
  });
});
