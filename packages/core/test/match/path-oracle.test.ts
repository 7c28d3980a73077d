/**
 * path-to-regexp v8 as an independent oracle for Exact and PathPrefix matching (P-1, P-2):
 *
 * - Exact `v`      ≙ `match(escape(v), { trailing: false })`: the whole path, no optional `/`;
 * - PathPrefix `p` ≙ `match(escape(p without trailing /) + '{/*rest}')`: the prefix, then
 *   optionally `/` and anything (a wildcard spans segments), with v8's optional trailing `/`;
 *
 * both case-sensitive and without decoding. The matcher is reached through `resolve`, so the
 * index (exact map, segment trie) is what is being checked.
 */
import fc from 'fast-check';
import { match } from 'path-to-regexp';
import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve.js';
import { flatRoute, simpleTable } from '../reference/build.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const fcOptions = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

/** Segments with path-to-regexp syntax characters in them, to keep escaping honest. */
const segment = fc.constantFrom(
  'a',
  'b',
  'ab',
  'A',
  'a:b',
  'x*',
  '(y)',
  'a.b',
  '~',
  'é',
  'a+',
  '{z}',
);
const path = fc
  .tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([segments, slash]) => `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`);

const escape = (text: string) => text.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
const options = { sensitive: true, decode: false as const };

function served(type: 'Exact' | 'PathPrefix', value: string, requestPath: string): boolean {
  const table = simpleTable([flatRoute({ rank: 0, path: { type, value } })]);
  return resolve(table, { method: 'GET', path: requestPath }).kind === 'forward';
}

describe('Exact and PathPrefix agree with path-to-regexp', () => {
  it('Exact (property)', () => {
    fc.assert(
      fc.property(path, path, (value, requestPath) => {
        const oracle = match(escape(value), { ...options, trailing: false })(requestPath) !== false;
        expect(served('Exact', value, requestPath)).toBe(oracle);
      }),
      fcOptions,
    );
  });

  it('PathPrefix (property)', () => {
    // Requests derived from the prefix half of the time, so that matches are common.
    const scenario = path.chain((value) =>
      fc.tuple(
        fc.constant(value),
        fc.oneof(
          path,
          path.map((rest) => `${value.replace(/\/$/, '')}${rest}`),
        ),
      ),
    );
    fc.assert(
      fc.property(scenario, ([value, requestPath]) => {
        const prefix = value.replace(/\/+$/, '');
        const oracle = match(`${escape(prefix)}{/*rest}`, options)(requestPath) !== false;
        expect(served('PathPrefix', value, requestPath)).toBe(oracle);
      }),
      fcOptions,
    );
  });

  it('the oracle itself says what P-2 says', () => {
    const prefix = match('/abc{/*rest}', options);
    expect(['/abc', '/abc/', '/abc/def'].map((p) => prefix(p) !== false)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['/abcd', '/Abc'].map((p) => prefix(p) !== false)).toEqual([false, false]);
  });
});
