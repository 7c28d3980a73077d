/** C-1..C-11 (HTTPPathMatch) and decision 3 for path, header and query regexes. */
import { describe, expect, it } from 'vitest';
import { ruleOf, ruleProblems } from './_helpers.js';

const SUFFIX = "when type one of ['Exact', 'PathPrefix']";
const VALUE_PATH = 'spec.rules[0].matches[0].path.value';

function pathProblems(path: unknown) {
  return ruleProblems({ matches: [{ path }] });
}

describe.each(['Exact', 'PathPrefix'])('%s path values (C-1..C-9, C-11)', (type) => {
  it.each([
    ['C-1', 'foo', `value must be an absolute path and start with '/' ${SUFFIX}`, '/foo'],
    ['C-2', '/foo//bar', `must not contain '//' ${SUFFIX}`, '/foo/bar'],
    ['C-3', '/foo/./bar', `must not contain '/./' ${SUFFIX}`, '/foo/.bar'],
    ['C-4', '/foo/../bar', `must not contain '/../' ${SUFFIX}`, '/foo/..bar'],
    ['C-5', '/foo%2fbar', `must not contain '%2f' ${SUFFIX}`, '/foo%20bar'],
    ['C-6', '/foo%2Fbar', `must not contain '%2F' ${SUFFIX}`, '/foo%3Abar'],
    ['C-7', '/foo#bar', `must not contain '#' ${SUFFIX}`, '/foo/bar'],
    ['C-8', '/foo/..', `must not end with '/..' ${SUFFIX}`, '/foo/..x'],
    ['C-9', '/foo/.', `must not end with '/.' ${SUFFIX}`, '/foo/.x'],
    [
      'C-11',
      '/foo?x=1',
      `must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']`,
      "/a-z_A.Z~0!$&'()*+,;=:@%aF",
    ],
  ])('%s: %j is rejected, %j accepted', (_rule, bad, message, good) => {
    expect(pathProblems({ type, value: bad })).toContainEqual({ path: VALUE_PATH, message });
    expect(pathProblems({ type, value: good })).toEqual([]);
  });

  it('C-11 rejects a % not followed by two hex digits and an empty value', () => {
    expect(pathProblems({ type, value: '/a%2' }).map((p) => p.message)).toEqual([
      expect.stringContaining('must only contain valid characters'),
    ]);
    expect(pathProblems({ type, value: '' }).map((p) => p.message)).toEqual([
      `value must be an absolute path and start with '/' ${SUFFIX}`,
      expect.stringContaining('must only contain valid characters'),
    ]);
  });

  it('PathPrefix and Exact values may end with /', () => {
    expect(pathProblems({ type, value: '/match/prefix/' })).toEqual([]);
  });
});

describe('C-10 path type', () => {
  it('rejects an unknown type with the CEL message', () => {
    expect(pathProblems({ type: 'Prefix', value: '/' })).toEqual([
      {
        path: 'spec.rules[0].matches[0].path.type',
        message: "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
      },
    ]);
  });

  it.each(['Exact', 'PathPrefix', 'RegularExpression'])('accepts %s', (type) => {
    expect(pathProblems({ type, value: '/x' })).toEqual([]);
  });
});

describe('RegularExpression values (decision 3)', () => {
  it('are not character-checked', () => {
    expect(
      ruleOf({ matches: [{ path: { type: 'RegularExpression', value: '/foo/./bar' } }] })
        .matches[0]!.path,
    ).toEqual({
      type: 'RegularExpression',
      value: '/foo/./bar',
    });
  });

  it('must compile as RE2 (no lookahead, no backreferences)', () => {
    const problems = pathProblems({ type: 'RegularExpression', value: '/(?=x)' });
    expect(problems).toEqual([
      { path: VALUE_PATH, message: expect.stringMatching(/^not a valid RE2 regular expression: /) },
    ]);
    expect(pathProblems({ type: 'RegularExpression', value: '/(a)\\1' })).toHaveLength(1);
    expect(pathProblems({ type: 'RegularExpression', value: '/[' })).toHaveLength(1);
  });

  it('applies to header and query regexes too', () => {
    const problems = ruleProblems({
      matches: [
        {
          headers: [{ type: 'RegularExpression', name: 'h', value: '(' }],
          queryParams: [{ type: 'RegularExpression', name: 'q', value: 'a{2,1}' }],
        },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'spec.rules[0].matches[0].headers[0].value',
      'spec.rules[0].matches[0].queryParams[0].value',
    ]);
    expect(problems.every((p) => p.message.startsWith('not a valid RE2 regular expression'))).toBe(
      true,
    );
    expect(
      ruleProblems({
        matches: [{ headers: [{ type: 'RegularExpression', name: 'h', value: 'v[0-9]+' }] }],
      }),
    ).toEqual([]);
  });
});

describe('unknown match enums drop the rule, naming the supported values', () => {
  it('header and query types', () => {
    expect(
      ruleProblems({ matches: [{ headers: [{ type: 'Prefix', name: 'h', value: 'v' }] }] }),
    ).toEqual([
      {
        path: 'spec.rules[0].matches[0].headers[0].type',
        message: 'Unsupported value: "Prefix": supported values: "Exact", "RegularExpression"',
      },
    ]);
    expect(
      ruleProblems({ matches: [{ queryParams: [{ type: 'exact', name: 'q', value: 'v' }] }] }),
    ).toEqual([
      {
        path: 'spec.rules[0].matches[0].queryParams[0].type',
        message: 'Unsupported value: "exact": supported values: "Exact", "RegularExpression"',
      },
    ]);
  });

  it('methods are upper-case enum values', () => {
    expect(ruleProblems({ matches: [{ method: 'get' }] })).toEqual([
      {
        path: 'spec.rules[0].matches[0].method',
        message:
          'Unsupported value: "get": supported values: "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"',
      },
    ]);
    expect(ruleOf({ matches: [{ method: 'PATCH' }] }).matches[0]!.method).toBe('PATCH');
  });
});
