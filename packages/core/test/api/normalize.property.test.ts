/**
 * Properties of `normalize` over generated input: it never throws, its output keeps its
 * invariants, and it does not depend on input order. Replay a failure with FC_SEED (and
 * FC_PATH); the seed is printed by fast-check on failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/api/normalize.js';
import type { NormalizedObjects } from '../../src/api/normalized.js';
import { compileRegex } from '../../src/match/regex.js';
import { kubernetesLike, wellShaped } from './_arbitraries.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const settings = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};
const TIMEOUT = budget * 2 + 10_000;

const isSorted = (keys: readonly string[]) => keys.every((key, i) => i === 0 || keys[i - 1]! < key);

/** What must hold of any output, whatever the input. */
function checkInvariants(objects: NormalizedObjects): void {
  expect(isSorted(objects.routes.map((r) => r.key))).toBe(true);
  expect(isSorted(objects.gateways.map((g) => g.key))).toBe(true);
  expect(isSorted(objects.referenceGrants.map((g) => `${g.namespace}/${g.name}`))).toBe(true);
  for (const route of objects.routes) {
    expect(route.hostnames.every((h) => h === h.toLowerCase())).toBe(true);
    const indexes = [...route.rules.map((r) => r.index), ...route.droppedRules.map((d) => d.index)];
    expect(new Set(indexes).size).toBe(indexes.length);
    for (const dropped of route.droppedRules) {
      expect(dropped.problems.length).toBeGreaterThan(0);
      for (const problem of dropped.problems)
        expect(problem.path.startsWith(`spec.rules[${dropped.index}]`)).toBe(true);
    }
    for (const problem of route.specProblems)
      expect(problem.path.startsWith(`spec.rules[`)).toBe(false);
    for (const rule of route.rules) {
      expect(rule.matches.length).toBeGreaterThan(0);
      for (const match of rule.matches) {
        if (match.path.type === 'RegularExpression')
          expect(compileRegex(match.path.value).ok).toBe(true);
        else expect(match.path.value.startsWith('/')).toBe(true);
        expect(match.headers.every((h) => h.name === h.name.toLowerCase())).toBe(true);
      }
      for (const ref of rule.backendRefs) {
        if (ref.group === '' && ref.kind === 'Service') expect(ref.port).toBeDefined();
      }
    }
  }
}

function run(input: unknown): void {
  const { objects, diagnostics } = normalize(input as unknown[]);
  expect(diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
  checkInvariants(objects);
}

describe('normalize never throws', () => {
  it('on arbitrary JSON', { timeout: TIMEOUT }, () => {
    fc.assert(fc.property(fc.array(fc.jsonValue()), run), settings);
    fc.assert(fc.property(fc.jsonValue(), run), settings);
  });

  it('on arbitrary JavaScript values', { timeout: TIMEOUT }, () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(fc.property(fc.array(anything), run), settings);
  });

  it('on objects shaped like Kubernetes objects with random specs', { timeout: TIMEOUT }, () => {
    fc.assert(fc.property(fc.array(kubernetesLike, { maxLength: 6 }), run), settings);
  });

  it('on routes and gateways that follow the schema loosely', { timeout: TIMEOUT }, () => {
    fc.assert(fc.property(fc.array(wellShaped, { maxLength: 6 }), run), settings);
  });
});

describe('normalize is independent of input order', () => {
  it('shuffled input gives deep-equal objects', { timeout: TIMEOUT }, () => {
    const objects = fc.array(fc.oneof(wellShaped, kubernetesLike), { maxLength: 8 });
    const withShuffle = objects.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
      ),
    );
    fc.assert(
      fc.property(withShuffle, ([list, shuffled]) => {
        expect(normalize(shuffled).objects).toEqual(normalize(list).objects);
      }),
      settings,
    );
  });
});
