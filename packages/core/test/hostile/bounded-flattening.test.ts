// Delegation contract rule 25 (bounded flattening) and rule 14 (the depth limit, told to the child).
import { describe, expect, it } from 'vitest';
import {
  backend,
  build,
  byLabel,
  byName,
  child,
  parent,
  prefix,
  service,
} from '../delegation/fixtures.js';

const services = [service('banking', 'accounts'), service('payments', 'pay')];
const payments = child(
  'payments',
  'p',
  [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
  'pay',
);

/** `levels` levels of `width` routes with `rules` rules each, every rule delegating to the next level. */
function diamond(levels: number, width = 2, rules = 2) {
  const routes = [];
  for (let level = 1; level <= levels; level++) {
    for (let i = 0; i < width; i++) {
      const last = level === levels;
      routes.push(
        child(
          'banking',
          `l${level}-${i}`,
          Array.from({ length: rules }, () => ({
            matches: [prefix('/banking')],
            backendRefs: [last ? backend('accounts') : byLabel(`level-${level + 1}`, 'banking')],
          })),
          `level-${level}`,
        ),
      );
    }
  }
  return routes;
}

describe('rule 25: bounded flattening', () => {
  it('rule 25: 17 routes, 8 levels, 2 routes x 2 rules per level: compile returns, the delegation answers 500, other tenants are untouched', () => {
    const w = build([
      parent({ '/banking': byLabel('level-1', 'banking'), '/payments': byLabel('pay') }),
      payments,
      ...diamond(8),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    const status = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(status?.ResolvedRefs?.status).toBe('False');
    expect(status?.ResolvedRefs?.reason).toBe('BackendNotFound');
    expect(status?.ResolvedRefs?.message).toContain(
      'more than 10000 routes flattened under this delegation',
    );
    expect(w.table.listeners[0]!.routes.length).toBeLessThan(20);
  });

  it('rule 25: a diamond of 14 levels (4^14 paths) compiles with work bounded by the cap', () => {
    const w = build(
      [
        parent({ '/banking': byLabel('level-1', 'banking'), '/payments': byLabel('pay') }),
        payments,
        ...diamond(14),
        ...services,
      ],
      {
        maxRoutesPerDelegation: 500,
      },
    );
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
  });

  it('rule 25: under the cap, a diamond is flattened in full (a diamond is not a cycle)', () => {
    const w = build([
      parent({ '/banking': byLabel('level-1', 'banking') }),
      ...diamond(3),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('banking/accounts:8080');
    expect(w.table.listeners[0]!.routes.length).toBe(4 ** 3);
  });

  it('rule 25: the cap is a compile option; an inner delegation over it answers 500 in its own place', () => {
    const w = build(
      [parent({ '/banking': byLabel('level-1', 'banking') }), ...diamond(3), ...services],
      {
        maxRoutesPerDelegation: 15,
      },
    );
    // The level-1 delegation alone contributes 16 > 15.
    expect(w.where('/banking/x')).toBe('status 500');
    const status = w.status('infra/api', 'Gateway', 'infra/gw');
    expect(status?.ResolvedRefs?.message).toContain('more than 15 routes');
  });

  it('rule 25: the compile-wide cap turns further delegations into 500s and says so', () => {
    const w = build(
      [parent({ '/banking': byLabel('level-1', 'banking') }), ...diamond(3), ...services],
      {
        maxFlattenedRoutes: 10,
      },
    );
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.status('infra/api', 'Gateway', 'infra/gw')?.ResolvedRefs?.message).toContain(
      'maxFlattenedRoutes',
    );
  });

  it('rule 25: a fan-out of one label over 300 routes with 128 matches each is capped, not flattened', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      child(
        'banking',
        `r${i}`,
        [
          {
            matches: Array.from({ length: 64 }, (_, j) => prefix(`/banking/${i}/${j}`)),
            backendRefs: [backend('accounts')],
          },
        ],
        'bank',
      ),
    );
    const w = build([
      parent({ '/banking': byLabel('bank', 'banking'), '/payments': byLabel('pay') }),
      payments,
      ...many,
      ...services,
    ]);
    expect(w.where('/banking/1/1')).toBe('status 500');
    expect(w.where('/payments')).toBe('payments/pay:8080');
  });
});

describe('rule 14: the depth limit', () => {
  it('rule 14: a selected child beyond maxDelegationDepth is told so on its own status', () => {
    const w = build(
      [parent({ '/banking': byLabel('level-1', 'banking') }), ...diamond(3, 1, 1), ...services],
      {
        maxDelegationDepth: 2,
      },
    );
    expect(w.where('/banking/x')).toBe('status 500');
    const deep = w.status('banking/l3-0', 'HTTPRoute', 'banking/l2-0');
    expect(deep?.Accepted?.status).toBe('False');
    expect(deep?.Accepted?.message).toContain('exceeds maxDelegationDepth 2');
  });

  it('rule 14 / rule 25: a chain of 400 routes with maxDelegationDepth 1000 compiles (the depth is clamped to 256 and said so)', () => {
    const chain = Array.from({ length: 400 }, (_, i) =>
      child('banking', `c${i}`, [
        {
          matches: [prefix('/banking')],
          backendRefs: [i === 399 ? backend('accounts') : byName(`c${i + 1}`)],
        },
      ]),
    );
    const w = build(
      [
        parent({ '/banking': byName('c0', 'banking'), '/payments': byLabel('pay') }),
        payments,
        ...chain,
        ...services,
      ],
      {
        maxDelegationDepth: 1000,
      },
    );
    expect(
      w.diagnostics.some((d) => d.code === 'invalid-option' && d.message.includes('256')),
    ).toBe(true);
    expect(w.where('/banking/x')).toBe('status 500');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    expect(w.status('banking/c256', 'HTTPRoute', 'banking/c255')?.Accepted?.message).toContain(
      'exceeds maxDelegationDepth 256',
    );
  });
});
