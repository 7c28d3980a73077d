/** Weighted backend choice (B-1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickBackend } from '../../src/decide/pick.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const fcOptions = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

describe('pickBackend', () => {
  const backends = [
    { name: 'v1', weight: 70 },
    { name: 'v2', weight: 30 },
    { name: 'v3', weight: 0 },
  ];

  it('splits [0, 1) in proportion to the weights', () => {
    expect(pickBackend(backends, 0).name).toBe('v1');
    expect(pickBackend(backends, 0.6999).name).toBe('v1');
    expect(pickBackend(backends, 0.7).name).toBe('v2');
    expect(pickBackend(backends, 0.9999999).name).toBe('v2');
  });

  it('gives every backend its share over evenly spread draws, and weight 0 none (HTTPRouteWeight)', () => {
    const counts = new Map<string, number>();
    const draws = 10_000;
    for (let i = 0; i < draws; i++) {
      const name = pickBackend(backends, (i + 0.5) / draws).name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(counts.get('v1')).toBe(7000);
    expect(counts.get('v2')).toBe(3000);
    expect(counts.get('v3')).toBeUndefined();
  });

  it('never picks a weight-0 backend and always returns one of the list (property)', () => {
    const list = fc.array(
      fc.record({ id: fc.nat(), weight: fc.integer({ min: 0, max: 1_000_000 }) }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(
        list,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (items, random) => {
          const chosen = pickBackend(items, random);
          expect(items).toContain(chosen);
          if (items.some((b) => b.weight > 0)) expect(chosen.weight).toBeGreaterThan(0);
        },
      ),
      fcOptions,
    );
  });

  it('returns the first of an all-zero list and refuses an empty one', () => {
    expect(
      pickBackend(
        [
          { n: 'a', weight: 0 },
          { n: 'b', weight: 0 },
        ],
        0.5,
      ).n,
    ).toBe('a');
    expect(() => pickBackend([], 0.5)).toThrow(RangeError);
  });
});
