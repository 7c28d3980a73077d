import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/api/duration.js';
import { ruleOf, ruleProblems } from './_helpers.js';

describe('parseDuration (GEP-2257)', () => {
  it.each([
    ['0s', 0],
    ['0h', 0],
    ['500ms', 500],
    ['1h30m10s', 5_410_000],
    ['10s30m1h', 5_410_000],
    ['100ms200ms300ms', 600],
    ['01h', 3_600_000],
    ['99999h', 99_999 * 3_600_000],
    ['1ms', 1],
    ['1m1s', 61_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '1',
    '1m1',
    '1d',
    '1h30m10s20ms50h',
    '999999h',
    '1.5h',
    '-15m',
    '100us',
    '500ns',
    '0.5s',
    '',
    ' 1s',
    '1s ',
    'ms',
    'h1',
    '1H',
  ])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('timeouts and retry durations on a rule', () => {
  it('parses timeouts to milliseconds, 0s stays 0', () => {
    expect(ruleOf({ timeouts: { request: '0s', backendRequest: '1ms' } }).timeouts).toEqual({
      requestMs: 0,
      backendRequestMs: 1,
    });
    expect(ruleOf({ timeouts: { request: '1s' } }).timeouts).toEqual({ requestMs: 1000 });
  });

  it.each(['100us', '500ns', '1d', '0.5s'])('rejects timeouts.request %s by pattern', (text) => {
    expect(ruleProblems({ timeouts: { request: text } })).toEqual([
      {
        path: 'spec.rules[0].timeouts.request',
        message: `invalid duration "${text}": must match ^([0-9]{1,5}(h|m|s|ms)){1,4}$`,
      },
    ]);
  });

  it('rejects a retry backoff that is not a duration', () => {
    expect(ruleProblems({ retry: { backoff: '1.5s' } })).toEqual([
      { path: 'spec.rules[0].retry.backoff', message: expect.stringContaining('invalid duration') },
    ]);
  });
});
