/**
 * `resolve` against the reference matcher on generated tables and requests: the same winning
 * route (by chain), or the same status when nothing wins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolveRequest } from '../../src/decision.js';
import { resolve } from '../../src/resolve.js';
import type { RouteTable } from '../../src/table.js';
import { referenceResolve } from './reference.js';
import { formatTable } from '../../src/format.js';
import { buildTable, requestArb, tableSpecArb } from './arbitraries.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const fcOptions = {
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: budget,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

/** Asserts that resolve and the reference agree; true when a route matched. */
function agree(table: RouteTable, request: ResolveRequest): boolean {
  const expected = referenceResolve(table, request);
  const decision = resolve(table, request);
  if (expected.route === undefined) {
    expect(decision).toMatchObject({ kind: 'respond', status: expected.status });
    expect(decision.kind === 'respond' ? decision.chain : 'forwarded').toBeUndefined();
    return false;
  }
  expect(decision.kind).toBe('forward');
  if (decision.kind === 'forward') {
    expect(decision.chain).toEqual(expected.route.chain);
    expect(decision.listener.name).toBe(expected.listener?.name);
  }
  return true;
}

describe('resolve agrees with the reference matcher', () => {
  it('on the winning route or the status (property)', () => {
    const scenario = tableSpecArb.chain((specs) =>
      fc.tuple(fc.constant(specs), fc.array(requestArb(specs), { minLength: 1, maxLength: 10 })),
    );
    let hits = 0;
    let total = 0;
    fc.assert(
      fc.property(scenario, ([specs, requests]) => {
        const table = buildTable(specs);
        for (const request of requests) {
          total++;
          try {
            if (agree(table, request)) hits++;
          } catch (error) {
            // Print the table the way a reviewer reads it, not as fast-check's object dump.
            throw new Error(
              `${formatTable(table)}\nrequest ${JSON.stringify(request)}\n${String(error)}`,
            );
          }
        }
      }),
      fcOptions,
    );
    // The generators must actually exercise matching, not just 404s.
    expect(hits / total).toBeGreaterThan(0.1);
  });
});
