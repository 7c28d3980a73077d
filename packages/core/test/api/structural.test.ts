/** The structural limits of spec 1.2 and wrong field types, with the field path of each problem. */
import { describe, expect, it } from 'vitest';
import { backend, routeOf, ruleProblems, specProblems } from './_helpers.js';

const many = <T>(count: number, make: (i: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i));
const R = 'spec.rules[0]';
const M = `${R}.matches[0]`;

describe('route-level limits (specProblems)', () => {
  it('parentRefs ≤ 32', () => {
    const refs = (n: number) => many(n, (i) => ({ name: `gw${i}` }));
    expect(specProblems({ parentRefs: refs(33) })).toEqual([
      { path: 'spec.parentRefs', message: 'must have at most 32 items' },
    ]);
    expect(specProblems({ parentRefs: refs(32) })).toEqual([]);
  });

  it('hostnames ≤ 16, each a Hostname', () => {
    const names = (n: number) => many(n, (i) => `h${i}.example.com`);
    expect(specProblems({ hostnames: names(17) })).toEqual([
      { path: 'spec.hostnames', message: 'must have at most 16 items' },
    ]);
    expect(specProblems({ hostnames: names(16) })).toEqual([]);
  });

  it.each([
    'example.com.',
    'example.com:80',
    '*',
    'a.*.com',
    '**.com',
    '-a.com',
    'a_b.com',
    '',
    'x'.repeat(254),
  ])('rejects the hostname %j', (hostname) => {
    expect(specProblems({ hostnames: [hostname] })).toEqual([
      { path: 'spec.hostnames[0]', message: expect.stringContaining('invalid hostname') },
    ]);
  });

  it.each(['example.com', '*.example.com', '*.com', 'localhost', '1.2.3.4', 'a-b.c0m'])(
    'accepts the hostname %j',
    (hostname) => {
      expect(specProblems({ hostnames: [hostname] })).toEqual([]);
    },
  );

  it('parentRef fields', () => {
    expect(specProblems({ parentRefs: [{}] })).toEqual([
      { path: 'spec.parentRefs[0].name', message: 'is required' },
    ]);
    expect(specProblems({ parentRefs: [{ name: 'gw', port: 0 }] })).toEqual([
      { path: 'spec.parentRefs[0].port', message: 'must be between 1 and 65535' },
    ]);
    expect(specProblems({ parentRefs: [{ name: 'gw', namespace: 'Bad_NS' }] })).toEqual([
      { path: 'spec.parentRefs[0].namespace', message: expect.stringContaining('must match') },
    ]);
    expect(specProblems({ parentRefs: [{ name: 'gw', sectionName: 'UPPER' }] })).toEqual([
      { path: 'spec.parentRefs[0].sectionName', message: expect.stringContaining('must match') },
    ]);
  });

  it('wrong types of spec, lists and metadata', () => {
    expect(specProblems('nope')).toEqual([{ path: 'spec', message: 'must be an object' }]);
    expect(specProblems({ rules: {} })).toEqual([
      { path: 'spec.rules', message: 'must be a list' },
    ]);
    expect(specProblems({ hostnames: [5] })).toEqual([
      { path: 'spec.hostnames[0]', message: 'must be a string' },
    ]);
    expect(routeOf({}, { labels: { ok: 'yes', n: 1 } })).toMatchObject({
      labels: { ok: 'yes' },
      specProblems: [{ path: 'metadata.labels["n"]', message: 'must be a string' }],
    });
    expect(routeOf({}, { annotations: [] }).specProblems).toEqual([
      { path: 'metadata.annotations', message: 'must be a map of strings' },
    ]);
  });
});

describe('rule-level limits (the rule is dropped)', () => {
  it.each([
    ['matches', 64, () => ({})],
    ['filters', 16, () => ({ type: 'RequestMirror', requestMirror: { backendRef: backend } })],
    ['backendRefs', 16, () => backend],
  ])('%s ≤ %d', (key, max, make) => {
    expect(ruleProblems({ [key]: many(max + 1, make) })).toEqual([
      { path: `${R}.${key}`, message: `must have at most ${max} items` },
    ]);
    expect(ruleProblems({ [key]: many(max, make) })).toEqual([]);
  });

  it('backendRef filters ≤ 16', () => {
    const mirror = { type: 'RequestMirror', requestMirror: { backendRef: backend } };
    expect(
      ruleProblems({ backendRefs: [{ ...backend, filters: many(17, () => mirror) }] }),
    ).toEqual([{ path: `${R}.backendRefs[0].filters`, message: 'must have at most 16 items' }]);
  });

  it.each(['headers', 'queryParams'])('%s ≤ 16', (key) => {
    const items = (n: number) => many(n, (i) => ({ name: `n${i}`, value: 'v' }));
    expect(ruleProblems({ matches: [{ [key]: items(17) }] })).toEqual([
      { path: `${M}.${key}`, message: 'must have at most 16 items' },
    ]);
    expect(ruleProblems({ matches: [{ [key]: items(16) }] })).toEqual([]);
  });

  it('rule name is a SectionName', () => {
    expect(ruleProblems({ name: 'Bad Name' })).toEqual([
      { path: `${R}.name`, message: expect.stringContaining('must match') },
    ]);
    expect(ruleProblems({ name: 'x'.repeat(254) })).toEqual([
      { path: `${R}.name`, message: 'must be at most 253 characters' },
    ]);
    expect(ruleProblems({ name: 'good.name-1' })).toEqual([]);
  });

  it('path value ≤ 1024', () => {
    expect(ruleProblems({ matches: [{ path: { value: `/${'a'.repeat(1024)}` } }] })).toEqual([
      { path: `${M}.path.value`, message: 'must be at most 1024 characters' },
    ]);
    expect(ruleProblems({ matches: [{ path: { value: `/${'a'.repeat(1023)}` } }] })).toEqual([]);
  });

  it('header match name is a token of 1-256, value 1-4096; query value ≤ 1024', () => {
    const header = (name: string, value: string) =>
      ruleProblems({ matches: [{ headers: [{ name, value }] }] });
    expect(header(':authority', 'v')).toEqual([
      { path: `${M}.headers[0].name`, message: expect.stringContaining('must match') },
    ]);
    expect(header('a/b', 'v')).toHaveLength(1);
    expect(header('x'.repeat(257), 'v')).toEqual([
      { path: `${M}.headers[0].name`, message: 'must be at most 256 characters' },
    ]);
    expect(header('h', '')).toEqual([
      { path: `${M}.headers[0].value`, message: 'must not be empty' },
    ]);
    expect(header('h', 'v'.repeat(4097))).toEqual([
      { path: `${M}.headers[0].value`, message: 'must be at most 4096 characters' },
    ]);
    expect(header("!#$%&'*+-.^_`|~09azAZ", 'v'.repeat(4096))).toEqual([]);
    const query = (value: string) =>
      ruleProblems({ matches: [{ queryParams: [{ name: 'q', value }] }] });
    expect(query('v'.repeat(1025))).toEqual([
      { path: `${M}.queryParams[0].value`, message: 'must be at most 1024 characters' },
    ]);
    expect(ruleProblems({ matches: [{ headers: [{ value: 'v' }] }] })).toEqual([
      { path: `${M}.headers[0].name`, message: 'is required' },
    ]);
  });

  it('header modifier lists ≤ 16, values 1-4096', () => {
    const modifier = (config: object) =>
      ruleProblems({ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: config }] });
    const P = `${R}.filters[0].requestHeaderModifier`;
    expect(modifier({ set: many(17, (i) => ({ name: `h${i}`, value: 'v' })) })).toEqual([
      { path: `${P}.set`, message: 'must have at most 16 items' },
    ]);
    expect(modifier({ add: many(17, (i) => ({ name: `h${i}`, value: 'v' })) })).toEqual([
      { path: `${P}.add`, message: 'must have at most 16 items' },
    ]);
    expect(modifier({ remove: many(17, (i) => `h${i}`) })).toEqual([
      { path: `${P}.remove`, message: 'must have at most 16 items' },
    ]);
    expect(modifier({ set: [{ name: 'h', value: '' }] })).toEqual([
      { path: `${P}.set[0].value`, message: 'must not be empty' },
    ]);
    expect(modifier({ set: many(16, (i) => ({ name: `h${i}`, value: 'v' })) })).toEqual([]);
  });

  it('path modifier replacements ≤ 1024', () => {
    const long = `/${'a'.repeat(1024)}`;
    expect(
      ruleProblems({
        filters: [
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: long } },
          },
        ],
      }),
    ).toEqual([
      {
        path: `${R}.filters[0].urlRewrite.path.replaceFullPath`,
        message: 'must be at most 1024 characters',
      },
    ]);
  });

  it('mirror percent 0-100, numerator ≥ 0, denominator ≥ 1', () => {
    const mirror = (config: object) =>
      ruleProblems({
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend, ...config } }],
      });
    const P = `${R}.filters[0].requestMirror`;
    expect(mirror({ percent: 101 })).toEqual([
      { path: `${P}.percent`, message: 'must be between 0 and 100' },
    ]);
    expect(mirror({ fraction: { numerator: -1 } })).toEqual([
      { path: `${P}.fraction.numerator`, message: 'must be at least 0' },
    ]);
    expect(mirror({ fraction: { numerator: 0, denominator: 0 } })).toEqual([
      { path: `${P}.fraction.denominator`, message: 'must be at least 1' },
    ]);
    expect(mirror({ fraction: {} })).toEqual([
      { path: `${P}.fraction.numerator`, message: 'is required' },
    ]);
    expect(mirror({ percent: 50.5 })).toEqual([
      { path: `${P}.percent`, message: 'must be an integer' },
    ]);
  });

  it('backendRef name, namespace, group, kind, port, weight', () => {
    const ref = (fields: object) => ruleProblems({ backendRefs: [{ ...backend, ...fields }] });
    const P = `${R}.backendRefs[0]`;
    expect(ref({ name: '' })).toEqual([{ path: `${P}.name`, message: 'must not be empty' }]);
    expect(ref({ name: 'n'.repeat(254) })).toEqual([
      { path: `${P}.name`, message: 'must be at most 253 characters' },
    ]);
    expect(ref({ namespace: 'n'.repeat(64) })).toEqual([
      { path: `${P}.namespace`, message: 'must be at most 63 characters' },
    ]);
    expect(ref({ group: 'Bad_Group' })).toEqual([
      { path: `${P}.group`, message: expect.stringContaining('must match') },
    ]);
    expect(ref({ kind: '1Service' })).toEqual([
      { path: `${P}.kind`, message: expect.stringContaining('must match') },
    ]);
    expect(ref({ port: 65536 })).toEqual([
      { path: `${P}.port`, message: 'must be between 1 and 65535' },
    ]);
    expect(ref({ port: '80' })).toEqual([{ path: `${P}.port`, message: 'must be an integer' }]);
    expect(ref({ weight: 1_000_001 })).toEqual([
      { path: `${P}.weight`, message: 'must be between 0 and 1000000' },
    ]);
    expect(ref({ weight: -1 })).toHaveLength(1);
    expect(ref({ weight: 1_000_000, port: 65535 })).toEqual([]);
  });

  it('retry codes 400-599 as a set, attempts ≥ 1', () => {
    const P = `${R}.retry`;
    expect(ruleProblems({ retry: { codes: [399, 600] } }).map((p) => p.path)).toEqual([
      `${P}.codes[0]`,
      `${P}.codes[1]`,
    ]);
    expect(ruleProblems({ retry: { codes: [500, 500] } })).toEqual([
      { path: `${P}.codes[1]`, message: 'duplicate value 500: codes is a set' },
    ]);
    expect(ruleProblems({ retry: { attempts: 0 } })).toEqual([
      { path: `${P}.attempts`, message: 'must be at least 1' },
    ]);
  });

  it('CORS list limits and maxAge ≥ 1', () => {
    const withCors = (config: object) =>
      ruleProblems({ filters: [{ type: 'CORS', cors: config }] });
    const P = `${R}.filters[0].cors`;
    expect(withCors({ allowOrigins: many(65, (i) => `https://a${i}.com`) })).toEqual([
      { path: `${P}.allowOrigins`, message: 'must have at most 64 items' },
    ]);
    expect(withCors({ allowHeaders: many(65, (i) => `h${i}`) })).toEqual([
      { path: `${P}.allowHeaders`, message: 'must have at most 64 items' },
    ]);
    expect(withCors({ exposeHeaders: many(65, (i) => `h${i}`) })).toEqual([
      { path: `${P}.exposeHeaders`, message: 'must have at most 64 items' },
    ]);
    expect(withCors({ allowMethods: ['GET', 'FETCH'] })).toEqual([
      {
        path: `${P}.allowMethods[1]`,
        message: expect.stringContaining('Unsupported value: "FETCH"'),
      },
    ]);
    expect(withCors({ maxAge: 0 })).toEqual([
      { path: `${P}.maxAge`, message: 'must be at least 1' },
    ]);
    expect(withCors({ allowCredentials: 'yes' })).toEqual([
      { path: `${P}.allowCredentials`, message: 'must be a boolean' },
    ]);
  });

  it('wrong types inside a rule', () => {
    expect(ruleProblems('rule')).toEqual([{ path: R, message: 'must be an object' }]);
    expect(ruleProblems({ matches: [null] })).toEqual([
      { path: `${M}`, message: 'must be an object' },
    ]);
    expect(ruleProblems({ matches: [{ path: 'x' }] })).toEqual([
      { path: `${M}.path`, message: 'must be an object' },
    ]);
    expect(ruleProblems({ matches: [{ path: { value: 5 } }] })).toEqual([
      { path: `${M}.path.value`, message: 'must be a string' },
    ]);
    expect(ruleProblems({ backendRefs: 'svc' })).toEqual([
      { path: `${R}.backendRefs`, message: 'must be a list' },
    ]);
    expect(ruleProblems({ timeouts: { request: 5 } })).toEqual([
      { path: `${R}.timeouts.request`, message: 'must be a string' },
    ]);
  });
});
