/** Header modifiers (HF-1..HF-7). */
import { describe, expect, it } from 'vitest';
import type { HeaderModifier } from '../../src/api/normalized.js';
import { applyHeaderModifier } from '../../src/decide/headers.js';

const modifier = (init: Partial<HeaderModifier>): HeaderModifier => ({
  set: [],
  add: [],
  remove: [],
  ...init,
});

describe('applyHeaderModifier', () => {
  it('set replaces every spelling of the header (HF-1)', () => {
    const result = applyHeaderModifier(
      { 'X-Header-Set': 'some-other-value', 'x-header-set': ['a', 'b'], other: 'kept' },
      modifier({ set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] }),
    );
    expect(result).toEqual({ other: 'kept', 'X-Header-Set': 'set-overwrites-values' });
  });

  it('set creates an absent header', () => {
    expect(applyHeaderModifier({}, modifier({ set: [{ name: 'x-new', value: 'v' }] }))).toEqual({
      'x-new': 'v',
    });
  });

  it('add appends with a comma to a string and to the end of an array (HF-2)', () => {
    const add = modifier({ add: [{ name: 'x-header-add', value: 'add-appends-values' }] });
    expect(applyHeaderModifier({ 'X-Header-Add': 'some-other-value' }, add)).toEqual({
      'X-Header-Add': 'some-other-value,add-appends-values',
    });
    expect(applyHeaderModifier({ 'x-header-add': ['a', 'b'] }, add)).toEqual({
      'x-header-add': ['a', 'b', 'add-appends-values'],
    });
  });

  it('add creates an absent header without a leading comma (HF-7)', () => {
    const add = modifier({ add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] });
    expect(applyHeaderModifier({}, add)).toEqual({ 'X-Header-Add': 'add-appends-values' });
    expect(applyHeaderModifier({ 'x-header-add': undefined }, add)).toEqual({
      'x-header-add': undefined,
      'X-Header-Add': 'add-appends-values',
    });
  });

  it('remove deletes the header case-insensitively (HF-3)', () => {
    const result = applyHeaderModifier(
      { 'x-header-remove': 'gone', 'X-HEADER-REMOVE': 'gone too', keep: 'yes' },
      modifier({ remove: ['X-Header-Remove', 'absent'] }),
    );
    expect(result).toEqual({ keep: 'yes' });
  });

  it('applies set, add and remove of one filter together, with names in any case (HF-4, HF-5)', () => {
    const result = applyHeaderModifier(
      { 'x-lowercase-add': 'one' },
      modifier({
        set: [{ name: 'X-Set', value: 's' }],
        add: [
          { name: 'x-Lowercase-ADD', value: 'two' },
          { name: 'X-UPPERCASE-ADD', value: 'three' },
        ],
        remove: ['x-gone'],
      }),
    );
    expect(result).toEqual({
      'x-lowercase-add': 'one,two',
      'X-Set': 's',
      'X-UPPERCASE-ADD': 'three',
    });
  });

  it('is pure: the input object and its arrays are untouched', () => {
    const input = { a: ['1'], b: '2' };
    const result = applyHeaderModifier(
      input,
      modifier({ add: [{ name: 'a', value: '3' }], set: [{ name: 'b', value: 'x' }] }),
    );
    expect(input).toEqual({ a: ['1'], b: '2' });
    expect(result).toEqual({ a: ['1', '3'], b: 'x' });
    expect(result.a).not.toBe(input.a);
  });

  it('handles a header named __proto__ as a header', () => {
    const result = applyHeaderModifier({}, modifier({ set: [{ name: '__proto__', value: 'v' }] }));
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});
