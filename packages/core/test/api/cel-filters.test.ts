/** Filter CEL rules C-19..C-32, C-35..C-37, our decision 6 and unknown filter types. */
import { describe, expect, it } from 'vitest';
import { backend, ruleOf, ruleProblems } from './_helpers.js';

const F0 = 'spec.rules[0].filters[0]';
const headerFilter = (type: string, config: object) => ({
  type,
  [type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier']: config,
});
const redirect = { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } };
const rewrite = { type: 'URLRewrite', urlRewrite: { hostname: 'a.example.com' } };
const cors = { type: 'CORS', cors: { allowOrigins: ['*'] } };
const reqHeaders = headerFilter('RequestHeaderModifier', { set: [{ name: 'a', value: 'b' }] });
const resHeaders = headerFilter('ResponseHeaderModifier', { add: [{ name: 'a', value: 'b' }] });
const mirror = { type: 'RequestMirror', requestMirror: { backendRef: backend } };
const extension = { type: 'ExtensionRef', extensionRef: { group: '', kind: 'Policy', name: 'p' } };

describe('C-19..C-24 filter lists', () => {
  it('C-19: RequestRedirect and URLRewrite are exclusive', () => {
    const message =
      'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both';
    expect(ruleProblems({ filters: [redirect, rewrite] })).toEqual([
      { path: 'spec.rules[0].filters', message },
    ]);
    expect(ruleProblems({ backendRefs: [{ ...backend, filters: [redirect, rewrite] }] })).toEqual([
      { path: 'spec.rules[0].backendRefs[0].filters', message },
    ]);
    expect(
      ruleProblems({
        filters: [rewrite, reqHeaders, resHeaders, cors, mirror, mirror, extension, extension],
      }),
    ).toEqual([]);
  });

  it.each([
    ['C-20', cors, 'CORS filter cannot be repeated'],
    ['C-21', reqHeaders, 'RequestHeaderModifier filter cannot be repeated'],
    ['C-22', resHeaders, 'ResponseHeaderModifier filter cannot be repeated'],
    ['C-23', redirect, 'RequestRedirect filter cannot be repeated'],
    ['C-24', rewrite, 'URLRewrite filter cannot be repeated'],
  ])('%s: %j may appear once', (_rule, filter, message) => {
    expect(ruleProblems({ filters: [filter, filter] })).toEqual([
      { path: 'spec.rules[0].filters', message },
    ]);
    expect(ruleProblems({ backendRefs: [{ ...backend, filters: [filter, filter] }] })).toEqual([
      { path: 'spec.rules[0].backendRefs[0].filters', message },
    ]);
    expect(ruleProblems({ filters: [filter] })).toEqual([]);
  });
});

describe('C-25 / C-26 filter union', () => {
  it('C-25: a configuration of another type must be nil', () => {
    expect(
      ruleProblems({ filters: [{ ...reqHeaders, requestMirror: mirror.requestMirror }] }),
    ).toEqual([
      {
        path: `${F0}.requestMirror`,
        message: 'filter.requestMirror must be nil if the filter.type is not RequestMirror',
      },
    ]);
    expect(ruleProblems({ filters: [{ ...redirect, cors: {} }] })).toEqual([
      { path: `${F0}.cors`, message: 'filter.cors must be nil if the filter.type is not CORS' },
    ]);
  });

  it.each([
    ['RequestHeaderModifier', 'requestHeaderModifier'],
    ['ResponseHeaderModifier', 'responseHeaderModifier'],
    ['RequestMirror', 'requestMirror'],
    ['RequestRedirect', 'requestRedirect'],
    ['URLRewrite', 'urlRewrite'],
    ['ExtensionRef', 'extensionRef'],
    ['CORS', 'cors'],
  ])('C-26: %s needs %s', (type, field) => {
    expect(ruleProblems({ filters: [{ type }] })).toEqual([
      {
        path: `${F0}.${field}`,
        message: `filter.${field} must be specified for ${type} filter.type`,
      },
    ]);
  });

  it('an unknown or missing type drops the rule, naming the supported values', () => {
    expect(ruleProblems({ filters: [{ type: 'ExternalAuth' }] })).toEqual([
      {
        path: `${F0}.type`,
        message:
          'Unsupported value: "ExternalAuth": supported values: "RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS"',
      },
    ]);
    expect(ruleProblems({ filters: [{}] })).toEqual([
      { path: `${F0}.type`, message: 'is required' },
    ]);
  });
});

describe('C-27 / C-28 RequestMirror', () => {
  const withMirror = (config: object) => ({
    filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend, ...config } }],
  });
  it('C-27: percent and fraction are exclusive', () => {
    expect(ruleProblems(withMirror({ percent: 10, fraction: { numerator: 1 } }))).toEqual([
      {
        path: `${F0}.requestMirror`,
        message: 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
      },
    ]);
    expect(ruleProblems(withMirror({ percent: 10 }))).toEqual([]);
  });
  it('C-28: numerator ≤ denominator', () => {
    expect(ruleProblems(withMirror({ fraction: { numerator: 101 } }))).toEqual([
      {
        path: `${F0}.requestMirror.fraction`,
        message: 'numerator must be less than or equal to denominator',
      },
    ]);
    expect(ruleProblems(withMirror({ fraction: { numerator: 3, denominator: 2 } }))).toHaveLength(
      1,
    );
    expect(ruleProblems(withMirror({ fraction: { numerator: 2, denominator: 2 } }))).toEqual([]);
  });
});

describe('C-29..C-32 path modifiers', () => {
  const P = `${F0}.urlRewrite.path`;
  const withPath = (path: object) => ({
    matches: [{ path: { value: '/p' } }],
    filters: [{ type: 'URLRewrite', urlRewrite: { path } }],
  });
  it.each([
    [
      'C-29',
      { type: 'ReplaceFullPath' },
      "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
    ],
    [
      'C-30',
      { type: 'ReplacePrefixMatch', replacePrefixMatch: '/x', replaceFullPath: '/y' },
      "type must be 'ReplaceFullPath' when replaceFullPath is set",
    ],
    [
      'C-31',
      { type: 'ReplacePrefixMatch' },
      "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
    ],
    [
      'C-32',
      { type: 'ReplaceFullPath', replaceFullPath: '/x', replacePrefixMatch: '/y' },
      "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
    ],
  ])('%s', (_rule, path, message) => {
    expect(ruleProblems(withPath(path))).toEqual([{ path: P, message }]);
  });
  it('a matching type and field are accepted, on redirects too', () => {
    expect(ruleProblems(withPath({ type: 'ReplaceFullPath', replaceFullPath: '/x' }))).toEqual([]);
    expect(
      ruleProblems(withPath({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/x' })),
    ).toEqual([]);
    const redirectPath = { type: 'ReplaceFullPath' };
    expect(
      ruleProblems({
        filters: [{ type: 'RequestRedirect', requestRedirect: { path: redirectPath } }],
      }),
    ).toEqual([
      {
        path: `${F0}.requestRedirect.path`,
        message: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
      },
    ]);
  });
});

describe('C-35..C-37 CORS wildcards', () => {
  const withCors = (config: object) => ({ filters: [{ type: 'CORS', cors: config }] });
  it.each([
    [
      'C-35',
      'allowOrigins',
      ['*', 'https://a.com'],
      "AllowOrigins cannot contain '*' alongside other origins",
      ['https://a.com', 'http://*.b.com:8080'],
    ],
    [
      'C-36',
      'allowMethods',
      ['*', 'GET'],
      "AllowMethods cannot contain '*' alongside other methods",
      ['GET', 'POST'],
    ],
    [
      'C-37',
      'allowHeaders',
      ['*', 'x-a'],
      "AllowHeaders cannot contain '*' alongside other methods",
      ['x-a', 'x-b'],
    ],
  ])('%s', (_rule, key, bad, message, good) => {
    expect(ruleProblems(withCors({ [key]: bad }))).toEqual([
      { path: `${F0}.cors.${key}`, message },
    ]);
    expect(ruleProblems(withCors({ [key]: ['*'] }))).toEqual([]);
    expect(ruleProblems(withCors({ [key]: good }))).toEqual([]);
  });

  it.each([
    'a.com',
    'ftp://a.com',
    'https://a.com/path',
    'https://a.com:',
    'https://a.com:123456',
    'http://*bar.com',
    'http://bar*.com',
    'http://bar.*.com',
  ])('the origin %s is rejected', (origin) => {
    expect(ruleProblems(withCors({ allowOrigins: [origin] }))).toEqual([
      { path: `${F0}.cors.allowOrigins[0]`, message: expect.stringContaining('invalid value') },
    ]);
  });
});

describe('decision 6: one header name once per header modifier', () => {
  it.each(['RequestHeaderModifier', 'ResponseHeaderModifier'])(
    '%s: set and remove of the same name drop the rule',
    (type) => {
      const problems = ruleProblems({
        filters: [headerFilter(type, { set: [{ name: 'X-A', value: '1' }], remove: ['x-a'] })],
      });
      const field =
        type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier';
      expect(problems).toEqual([
        {
          path: `${F0}.${field}`,
          message:
            'header name "x-a" must appear only once across set, add and remove (found in set[0], remove[0])',
        },
      ]);
    },
  );

  it('also within add, and across add and set', () => {
    const problems = ruleProblems({
      filters: [
        headerFilter('RequestHeaderModifier', {
          set: [{ name: 'a', value: '1' }],
          add: [
            { name: 'b', value: '1' },
            { name: 'B', value: '2' },
            { name: 'A', value: '3' },
          ],
        }),
      ],
    });
    expect(problems.map((p) => p.message)).toEqual([
      'header name "a" must appear only once across set, add and remove (found in set[0], add[2])',
      'header name "b" must appear only once across set, add and remove (found in add[0], add[1])',
    ]);
  });

  it('distinct names are fine and keep their spelling', () => {
    const rule = ruleOf({
      filters: [
        headerFilter('RequestHeaderModifier', {
          set: [{ name: 'X-Set', value: '1' }],
          add: [{ name: 'X-Add', value: '2' }],
          remove: ['X-Remove'],
        }),
      ],
    });
    expect(rule.filters).toEqual([
      {
        type: 'RequestHeaderModifier',
        modifier: {
          set: [{ name: 'X-Set', value: '1' }],
          add: [{ name: 'X-Add', value: '2' }],
          remove: ['X-Remove'],
        },
      },
    ]);
  });
});

describe('redirect and rewrite fields', () => {
  it('keeps scheme, hostname, port and status code', () => {
    const rule = ruleOf({
      filters: [
        {
          type: 'RequestRedirect',
          requestRedirect: {
            scheme: 'http',
            hostname: 'a.example.com',
            port: 8080,
            statusCode: 301,
          },
        },
      ],
    });
    expect(rule.filters).toEqual([
      {
        type: 'RequestRedirect',
        redirect: { scheme: 'http', hostname: 'a.example.com', port: 8080, statusCode: 301 },
      },
    ]);
  });

  it('rejects a wildcard hostname, a bad status code, a bad scheme and port 0', () => {
    const problems = ruleProblems({
      filters: [
        {
          type: 'RequestRedirect',
          requestRedirect: { scheme: 'ftp', hostname: '*.example.com', port: 0, statusCode: 304 },
        },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      `${F0}.requestRedirect.scheme`,
      `${F0}.requestRedirect.hostname`,
      `${F0}.requestRedirect.port`,
      `${F0}.requestRedirect.statusCode`,
    ]);
    expect(problems[3]!.message).toBe(
      'Unsupported value: 304: supported values: 301, 302, 303, 307, 308',
    );
  });
});
