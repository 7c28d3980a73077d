// A table taken apart (`splitTable`), copied part by part as a thread boundary copies it, and put
// together again (`assembleTable`) decides every request as the compiled table does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleTable,
  compile,
  formatTable,
  resolve,
  splitTable,
  type RouteTable,
  type WireRoute,
} from '@switchyard/core';
import { budget } from './budget.js';
import {
  gatewayObject,
  grantObject,
  parentObject,
  request,
  services,
  world,
} from './delegation-arbitraries.js';

/** Each listener's routes cut into parts of `size`, every part copied on its own. */
function copyInParts(table: RouteTable, size: number): RouteTable {
  const { outline, routes } = splitTable(table);
  const received = routes.map((list) => {
    const copied: WireRoute[] = [];
    for (let i = 0; i < list.length; i += size)
      copied.push(...structuredClone(list.slice(i, i + size)));
    return copied;
  });
  const steps = assembleTable(structuredClone(outline), received);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

describe('assembleTable', () => {
  it('a table copied in parts and assembled decides every request as the original', () => {
    fc.assert(
      fc.property(
        world,
        fc.integer({ min: 1, max: 40 }),
        fc.array(request, { minLength: 5, maxLength: 20 }),
        (children, size, requests) => {
          const { table } = compile([
            gatewayObject,
            parentObject,
            grantObject,
            ...services(),
            ...children,
          ]);
          const assembled = copyInParts(table, size);
          expect(formatTable(assembled)).toBe(formatTable(table));
          expect(assembled.listeners.map((l) => l.scopes)).toEqual(
            table.listeners.map((l) => l.scopes),
          );
          for (const r of requests) {
            const input = { method: r.method, host: r.host, path: r.path, headers: r.headers };
            expect(JSON.stringify(resolve(assembled, input))).toBe(
              JSON.stringify(resolve(table, input)),
            );
          }
        },
      ),
      budget('assembled table decides as the original'),
    );
  });
});
