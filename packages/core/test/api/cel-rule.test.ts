/** Rule, route and reference CEL rules: C-12..C-18, C-33, C-34, C-38, C-39. */
import { describe, expect, it } from 'vitest';
import { backend, routeOf, ruleProblems, specProblems } from './_helpers.js';

const RULE = 'spec.rules[0]';
const redirect = (path?: object) => ({
  type: 'RequestRedirect',
  requestRedirect: path ? { path } : { scheme: 'https' },
});
const rewrite = (path: object) => ({ type: 'URLRewrite', urlRewrite: { path } });
const PREFIX = { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' };
const FULL = { type: 'ReplaceFullPath', replaceFullPath: '/new' };
const twoMatches = [{ path: { value: '/a' } }, { path: { value: '/b' } }];

describe('C-12 RequestRedirect with backendRefs', () => {
  const message = 'RequestRedirect filter must not be used together with backendRefs';
  it('rejects a rule-level redirect next to backendRefs', () => {
    expect(ruleProblems({ filters: [redirect()], backendRefs: [backend] })).toEqual([
      { path: RULE, message },
    ]);
  });
  it('allows a redirect without backendRefs, or with an empty list, or at backend level', () => {
    expect(ruleProblems({ filters: [redirect()] })).toEqual([]);
    expect(ruleProblems({ filters: [redirect()], backendRefs: [] })).toEqual([]);
    expect(ruleProblems({ backendRefs: [{ ...backend, filters: [redirect()] }] })).toEqual([]);
  });
});

describe('C-13..C-16 replacePrefixMatch needs exactly one PathPrefix match', () => {
  const one = 'exactly one PathPrefix match must be specified';
  it.each([
    [
      'C-13',
      { filters: [redirect(PREFIX)] },
      `When using RequestRedirect filter with path.replacePrefixMatch, ${one}`,
    ],
    [
      'C-14',
      { filters: [rewrite(PREFIX)] },
      `When using URLRewrite filter with path.replacePrefixMatch, ${one}`,
    ],
    [
      'C-15',
      { backendRefs: [{ ...backend, filters: [redirect(PREFIX)] }] },
      `Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, ${one}`,
    ],
    [
      'C-16',
      { backendRefs: [{ ...backend, filters: [rewrite(PREFIX)] }] },
      `Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, ${one}`,
    ],
  ])('%s', (_rule, body, message) => {
    expect(ruleProblems({ ...body, matches: twoMatches })).toEqual([{ path: RULE, message }]);
    expect(ruleProblems({ ...body, matches: [{ path: { type: 'Exact', value: '/a' } }] })).toEqual([
      { path: RULE, message },
    ]);
    expect(
      ruleProblems({ ...body, matches: [{ path: { type: 'RegularExpression', value: '/a' } }] }),
    ).toEqual([{ path: RULE, message }]);
    // One PathPrefix match, explicit or defaulted (D-3), is fine.
    expect(ruleProblems({ ...body, matches: [{ path: { value: '/a' } }] })).toEqual([]);
    expect(ruleProblems({ ...body, matches: [{ headers: [{ name: 'h', value: 'v' }] }] })).toEqual(
      [],
    );
    expect(ruleProblems(body)).toEqual([]);
  });

  it('ReplaceFullPath is allowed with several matches', () => {
    expect(ruleProblems({ filters: [redirect(FULL)], matches: twoMatches })).toEqual([]);
    expect(ruleProblems({ filters: [rewrite(FULL)], matches: twoMatches })).toEqual([]);
  });
});

describe('route-wide rules', () => {
  const rules = (count: number, matches: number) =>
    Array.from({ length: count }, () => ({ matches: Array.from({ length: matches }, () => ({})) }));

  it('C-17: at most 128 matches across rules (7 x 20 rejected, 2 x 48 and 2 x 64 accepted)', () => {
    expect(specProblems({ rules: rules(7, 20) })).toEqual([
      {
        path: 'spec.rules',
        message:
          'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
      },
    ]);
    expect(specProblems({ rules: rules(2, 48) })).toEqual([]);
    expect(specProblems({ rules: rules(2, 64) })).toEqual([]);
  });

  it('C-18: rule names are unique', () => {
    expect(specProblems({ rules: [{ name: 'a' }, { name: 'a' }] })).toEqual([
      { path: 'spec.rules', message: 'Rule name must be unique within the route' },
    ]);
    expect(specProblems({ rules: [{ name: 'a' }, { name: 'b' }, {}, {}] })).toEqual([]);
  });

  it('1-16 rules', () => {
    expect(specProblems({ rules: [] })).toEqual([
      { path: 'spec.rules', message: 'must have at least 1 item' },
    ]);
    expect(specProblems({ rules: rules(17, 1) })).toEqual([
      { path: 'spec.rules', message: 'must have at most 16 items' },
    ]);
    expect(specProblems({ rules: rules(16, 1) })).toEqual([]);
  });

  it('a bad rule is dropped with its problems while the others survive', () => {
    const route = routeOf({
      rules: [{ backendRefs: [backend] }, { matches: [{ path: { value: 'x' } }] }, {}],
    });
    expect(route.rules.map((r) => r.index)).toEqual([0, 2]);
    expect(route.droppedRules).toEqual([
      {
        index: 1,
        problems: [
          {
            path: 'spec.rules[1].matches[0].path.value',
            message:
              "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
          },
        ],
      },
    ]);
    expect(route.specProblems).toEqual([]);
  });
});

describe('C-33 backendRequest timeout', () => {
  const message = 'backendRequest timeout cannot be longer than request timeout';
  it.each([
    ['4s', '2s'],
    ['0s', '1ms'],
    ['1s', '200ms'],
    ['10s', '10s'],
  ])('request %s, backendRequest %s is accepted', (request, backendRequest) => {
    expect(ruleProblems({ timeouts: { request, backendRequest } })).toEqual([]);
  });
  it('request 200ms, backendRequest 1s is rejected', () => {
    expect(ruleProblems({ timeouts: { request: '200ms', backendRequest: '1s' } })).toEqual([
      { path: 'spec.rules[0].timeouts', message },
    ]);
  });
});

describe('C-34 Service references need a port', () => {
  const message = 'Must have port for Service reference';
  it('rejects the default group/kind and an explicit Service without port', () => {
    expect(ruleProblems({ backendRefs: [{ name: 'svc' }] })).toEqual([
      { path: 'spec.rules[0].backendRefs[0]', message },
    ]);
    expect(ruleProblems({ backendRefs: [{ group: '', kind: 'Service', name: 'svc' }] })).toEqual([
      { path: 'spec.rules[0].backendRefs[0]', message },
    ]);
    const mirror = { type: 'RequestMirror', requestMirror: { backendRef: { name: 'svc' } } };
    expect(ruleProblems({ filters: [mirror] })).toEqual([
      { path: 'spec.rules[0].filters[0].requestMirror.backendRef', message },
    ]);
  });
  it('accepts other kinds, and delegation references, without port', () => {
    expect(
      ruleProblems({ backendRefs: [{ group: 'example.com', kind: 'Backend', name: 'b' }] }),
    ).toEqual([]);
    expect(
      ruleProblems({
        backendRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: '*' }],
      }),
    ).toEqual([]);
    expect(
      ruleProblems({
        backendRefs: [
          { group: 'delegation.kgateway.dev', kind: 'label', name: 'team', namespace: 'all' },
        ],
      }),
    ).toEqual([]);
    expect(ruleProblems({ backendRefs: [backend] })).toEqual([]);
  });
});

describe('C-38 / C-39 distinct parentRefs', () => {
  const same = 'when parentRefs includes 2 or more references to the same parent';
  it('C-38: references to one parent agree on whether sectionName is set', () => {
    expect(
      specProblems({ parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'a' }] }),
    ).toEqual([{ path: 'spec.parentRefs', message: `sectionName must be specified ${same}` }]);
    expect(
      specProblems({
        parentRefs: [
          { name: 'gw', sectionName: 'a' },
          { name: 'gw', sectionName: 'b' },
        ],
      }),
    ).toEqual([]);
  });

  it('C-39: sectionNames are unique per parent', () => {
    expect(
      specProblems({
        parentRefs: [
          { name: 'gw', sectionName: 'a' },
          { name: 'gw', sectionName: 'a' },
        ],
      }),
    ).toEqual([{ path: 'spec.parentRefs', message: `sectionName must be unique ${same}` }]);
    expect(specProblems({ parentRefs: [{ name: 'gw' }, { name: 'gw' }] })).toEqual([
      { path: 'spec.parentRefs', message: `sectionName must be unique ${same}` },
    ]);
    expect(specProblems({ parentRefs: [{ name: 'gw' }, { name: 'other' }] })).toEqual([]);
  });

  it('an omitted and an explicit namespace are different parents; kinds differ too', () => {
    expect(
      specProblems({ parentRefs: [{ name: 'gw', namespace: 'apps' }, { name: 'gw' }] }),
    ).toEqual([]);
    expect(specProblems({ parentRefs: [{ name: 'p' }, { name: 'p', kind: 'HTTPRoute' }] })).toEqual(
      [],
    );
  });

  it('with port, the experimental rule and wording apply', () => {
    expect(
      specProblems({
        parentRefs: [
          { name: 'gw', port: 80 },
          { name: 'gw', port: 8080 },
        ],
      }),
    ).toEqual([]);
    expect(
      specProblems({
        parentRefs: [
          { name: 'gw', port: 80 },
          { name: 'gw', port: 80 },
        ],
      }),
    ).toEqual([{ path: 'spec.parentRefs', message: `sectionName or port must be unique ${same}` }]);
    expect(specProblems({ parentRefs: [{ name: 'gw', port: 80 }, { name: 'gw' }] })).toEqual([
      { path: 'spec.parentRefs', message: `sectionName or port must be specified ${same}` },
    ]);
  });
});
