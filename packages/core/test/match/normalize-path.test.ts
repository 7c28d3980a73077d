import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRequestPath } from '../../src/match/normalize-path.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const fcOptions = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

const ok = (path: string) => ({ ok: true, path });

describe('normalizeRequestPath (decision 4)', () => {
  it('leaves a clean path alone', () => {
    expect(normalizeRequestPath('/a/b/c')).toEqual(ok('/a/b/c'));
    expect(normalizeRequestPath('/')).toEqual(ok('/'));
    expect(normalizeRequestPath('/a/b/')).toEqual(ok('/a/b/'));
  });

  it('percent-decodes unreserved characters only', () => {
    expect(normalizeRequestPath('/%61%62%63/%7Euser/%2D%2E%5F%7e')).toEqual(ok('/abc/~user/-._~'));
    expect(normalizeRequestPath('/a%20b')).toEqual(ok('/a%20b'));
    expect(normalizeRequestPath('/%25')).toEqual(ok('/%25'));
  });

  it('upper-cases the hex digits of escapes it keeps', () => {
    expect(normalizeRequestPath('/a%3ab%c3%a9')).toEqual(ok('/a%3Ab%C3%A9'));
  });

  it('keeps %2F and %5C encoded, so they are never separators', () => {
    expect(normalizeRequestPath('/a%2fb/c%5cd')).toEqual(ok('/a%2Fb/c%5Cd'));
    expect(normalizeRequestPath('/a/%2F..')).toEqual(ok('/a/%2F..'));
  });

  it('removes dot segments (RFC 3986 5.2.4)', () => {
    expect(normalizeRequestPath('/a/./b')).toEqual(ok('/a/b'));
    expect(normalizeRequestPath('/a/b/../c')).toEqual(ok('/a/c'));
    expect(normalizeRequestPath('/a/b/..')).toEqual(ok('/a/'));
    expect(normalizeRequestPath('/a/.')).toEqual(ok('/a/'));
    expect(normalizeRequestPath('/../../a')).toEqual(ok('/a'));
    expect(normalizeRequestPath('/..')).toEqual(ok('/'));
    expect(normalizeRequestPath('/.well-known/x')).toEqual(ok('/.well-known/x'));
    expect(normalizeRequestPath('/a/..b/c.')).toEqual(ok('/a/..b/c.'));
  });

  it('removes dot segments that were percent-encoded', () => {
    expect(normalizeRequestPath('/a/%2e%2E/admin')).toEqual(ok('/admin'));
    expect(normalizeRequestPath('/a/.%2e/b')).toEqual(ok('/b'));
  });

  it('merges duplicate slashes', () => {
    expect(normalizeRequestPath('//a///b//')).toEqual(ok('/a/b/'));
    expect(normalizeRequestPath('/a//../b')).toEqual(ok('/b'));
  });

  it('keeps the query untouched and drops a fragment', () => {
    expect(normalizeRequestPath('/a/../b?x=%2e%2e&y=/../')).toEqual(ok('/b?x=%2e%2e&y=/../'));
    expect(normalizeRequestPath('/a?')).toEqual(ok('/a?'));
    expect(normalizeRequestPath('/a#frag')).toEqual(ok('/a'));
    expect(normalizeRequestPath('/a?q=1#frag')).toEqual(ok('/a?q=1'));
  });

  it('accepts absolute-form targets and drops their authority', () => {
    expect(normalizeRequestPath('http://example.com:8080/a//b?x=1')).toEqual(ok('/a/b?x=1'));
    expect(normalizeRequestPath('HTTPS://example.com')).toEqual(ok('/'));
    expect(normalizeRequestPath('http://example.com?x=1')).toEqual(ok('/?x=1'));
  });

  it('rejects malformed percent-encoding', () => {
    for (const target of ['/a%', '/a%2', '/a%zz', '/%g0/b', '/a%2?x']) {
      expect(normalizeRequestPath(target)).toEqual({
        ok: false,
        reason: 'malformed percent-encoding',
      });
    }
  });

  it('rejects a NUL, raw or encoded', () => {
    expect(normalizeRequestPath('/a\0b')).toEqual({ ok: false, reason: 'NUL in path' });
    expect(normalizeRequestPath('/a%00b')).toEqual({ ok: false, reason: 'NUL in path' });
  });

  it('rejects a path that does not start with /', () => {
    for (const target of ['', '*', 'a/b', '?x=1', 'mailto:x']) {
      expect(normalizeRequestPath(target)).toEqual({ ok: false, reason: 'path must start with /' });
    }
  });

  it('is idempotent (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      '.',
      '..',
      '',
      '%2e',
      '%2E',
      '%2f',
      '%41',
      '%7e',
      '%c3%a9',
      '%',
      '%0',
      '~',
      '-',
      '?',
      '#',
      'x=1',
    );
    const target = fc.array(piece, { maxLength: 8 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(target, (input) => {
        const once = normalizeRequestPath(input);
        if (!once.ok) return;
        expect(normalizeRequestPath(once.path)).toEqual(once);
      }),
      fcOptions,
    );
  });

  it('produces no dot segment, no empty segment and no lower-case escape (property)', () => {
    const piece = fc.constantFrom('a', '.', '..', '', '%2e', '%2f', '%5c', '%3a', '%7E');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const result = normalizeRequestPath(`/${parts.join('/')}`);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const segments = result.path.slice(1).split('/');
        expect(segments.slice(0, -1)).not.toContain('');
        expect(segments).not.toContain('.');
        expect(segments).not.toContain('..');
        expect(result.path).not.toMatch(/%[0-9A-F]?[a-f]/);
      }),
      fcOptions,
    );
  });
});
