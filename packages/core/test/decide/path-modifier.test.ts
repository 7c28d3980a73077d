/** ReplacePrefixMatch truth table (gateway-api.md 1.15) and ReplaceFullPath (UR-2). */
import { describe, expect, it } from 'vitest';
import { applyPathModifier } from '../../src/decide/path-modifier.js';

describe('ReplacePrefixMatch', () => {
  const rows: [path: string, prefix: string, replacement: string, result: string][] = [
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo', '/', '/'],
  ];
  it.each(rows)('%s with prefix %s and replacement %j → %s', (path, prefix, value, result) => {
    expect(applyPathModifier(path, { type: 'ReplacePrefixMatch', value }, prefix)).toBe(result);
  });

  it('agrees with the conformance data points', () => {
    const replace = (path: string, prefix: string, value: string) =>
      applyPathModifier(path, { type: 'ReplacePrefixMatch', value }, prefix);
    expect(replace('/strip-prefix/three', '/strip-prefix', '/')).toBe('/three');
    expect(replace('/strip-prefix', '/strip-prefix', '/')).toBe('/');
    expect(replace('/prefix/one/two', '/prefix/one', '/one')).toBe('/one/two');
    expect(
      replace(
        '/prefix/rewrite-path-and-modify-headers/one',
        '/prefix/rewrite-path-and-modify-headers',
        '/prefix',
      ),
    ).toBe('/prefix/one');
    expect(replace('/original-prefix/lemon', '/original-prefix', '/replacement-prefix')).toBe(
      '/replacement-prefix/lemon',
    );
    expect(replace('/path-and-host', '/path-and-host', '/replacement-prefix')).toBe(
      '/replacement-prefix',
    );
  });

  it('replaces the merged prefix of a delegated route (delegation rule 21) and handles prefix /', () => {
    const replace = (path: string, prefix: string, value: string) =>
      applyPathModifier(path, { type: 'ReplacePrefixMatch', value }, prefix);
    expect(replace('/banking/accounts/7', '/banking/accounts', '/v1')).toBe('/v1/7');
    expect(replace('/foo/bar', '/', '/xyz')).toBe('/xyz/foo/bar');
    expect(replace('/%7Efoo/bar', '/~foo', '/x')).toBe('/%7Efoo/bar');
    expect(replace('/~foo/bar', '/%7efoo', '/x')).toBe('/x/bar');
  });
});

describe('ReplaceFullPath', () => {
  it('replaces the whole path and drops the remainder', () => {
    expect(
      applyPathModifier('/full/one/two', { type: 'ReplaceFullPath', value: '/one' }, '/full/one'),
    ).toBe('/one');
    expect(applyPathModifier('/x', { type: 'ReplaceFullPath', value: '' }, undefined)).toBe('/');
  });
});
