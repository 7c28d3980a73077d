import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/match/query.js';

describe('parseQuery', () => {
  it('keeps the first value of a repeated parameter (decision 11)', () => {
    expect(parseQuery('animal=whale&animal=dolphin').get('animal')).toBe('whale');
  });

  it('keeps names case-sensitive (QM-1)', () => {
    const params = parseQuery('ANIMAL=Whale&animal=whale');
    expect(params.get('ANIMAL')).toBe('Whale');
    expect(params.get('animal')).toBe('whale');
  });

  it('percent-decodes names and values, and matches undecodable text as written', () => {
    const params = parseQuery('n%61me=a%20b&bad=%zz&plus=a+b');
    expect(params.get('name')).toBe('a b');
    expect(params.get('bad')).toBe('%zz');
    expect(params.get('plus')).toBe('a+b');
  });

  it('reads a parameter without = as empty and skips empty pieces', () => {
    const params = parseQuery('&flag&&x=1=2');
    expect(params.get('flag')).toBe('');
    expect(params.get('x')).toBe('1=2');
    expect([...params.keys()]).toEqual(['flag', 'x']);
  });
});
