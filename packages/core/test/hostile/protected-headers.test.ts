// Decision 19: header modifiers cannot touch hop-by-hop, framing or gateway headers, nor write
// CR, LF or NUL, at rule, backendRef or inherited level. The filter is invalid (decision 10).
import { isProtectedHeaderName, PROTECTED_HEADER_NAMES } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backend,
  build,
  byLabel,
  child,
  parent,
  prefix,
  route,
  service,
  toGateway,
} from '../delegation/fixtures.js';
import { budget } from '../properties/budget.js';

const services = [service('banking', 'accounts'), service('payments', 'pay')];
const PROTECTED = [
  'Connection',
  'Keep-Alive',
  'Transfer-Encoding',
  'TE',
  'Trailer',
  'Upgrade',
  'Content-Length',
  'HTTP2-Settings',
  'Proxy-Authorization',
  'proxy-connection',
  'X-Switchyard-Error',
  'x-switchyard-route',
];

type Where = 'rule' | 'backendRef';
function direct(modifier: object, where: Where, type = 'RequestHeaderModifier') {
  const key = type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier';
  const filters = [{ type, [key]: modifier }];
  return route('banking', 'r', {
    ...toGateway,
    hostnames: ['api.example.com'],
    rules: [
      {
        matches: [prefix('/evil')],
        backendRefs: [{ ...backend('accounts'), ...(where === 'backendRef' ? { filters } : {}) }],
        ...(where === 'rule' ? { filters } : {}),
      },
      { matches: [prefix('/fine')], backendRefs: [backend('accounts')] },
    ],
  });
}

describe('decision 19: protected headers', () => {
  for (const name of PROTECTED) {
    for (const verb of ['set', 'add', 'remove'] as const) {
      for (const where of ['rule', 'backendRef'] as const) {
        it(`decision 19: ${verb} ${name} on a ${where} filter drops the rule and says why`, () => {
          const modifier =
            verb === 'remove' ? { remove: [name] } : { [verb]: [{ name, value: 'x' }] };
          const w = build([direct(modifier, where), ...services]);
          expect(w.where('/evil')).toBe('status 404');
          expect(w.where('/fine')).toBe('banking/accounts:8080');
          const status = w.status('banking/r', 'Gateway', 'infra/gw');
          expect(status?.PartiallyInvalid?.message).toContain('Dropped Rule 0');
          expect(status?.PartiallyInvalid?.message).toContain('decision 19');
          expect(status?.PartiallyInvalid?.message).toContain(
            verb === 'remove' ? `${verb}[0]` : `${verb}[0].name`,
          );
        });
      }
    }
  }

  for (const [label, value] of [
    ['CR', 'a\rb'],
    ['LF', 'a\nX-Injected: 1'],
    ['NUL', 'a\0b'],
  ] as const) {
    for (const type of ['RequestHeaderModifier', 'ResponseHeaderModifier']) {
      it(`decision 19: a ${type} value containing ${label} drops the rule`, () => {
        const w = build([direct({ set: [{ name: 'x-ok', value }] }, 'rule', type), ...services]);
        expect(w.where('/evil')).toBe('status 404');
        expect(w.status('banking/r', 'Gateway', 'infra/gw')?.PartiallyInvalid?.message).toContain(
          'CR, LF or NUL',
        );
      });
    }
  }

  it('decision 19: a protected header on a delegating parent rule invalidates that rule, so nothing under it is served with it', () => {
    const w = build([
      parent(
        {},
        {
          rules: [
            {
              matches: [prefix('/banking')],
              filters: [
                {
                  type: 'RequestHeaderModifier',
                  requestHeaderModifier: { set: [{ name: 'Transfer-Encoding', value: 'chunked' }] },
                },
              ],
              backendRefs: [byLabel('bank')],
            },
            { matches: [prefix('/payments')], backendRefs: [byLabel('pay')] },
          ],
        },
      ),
      child(
        'banking',
        'b',
        [{ matches: [prefix('/banking')], backendRefs: [backend('accounts')] }],
        'bank',
      ),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      ...services,
    ]);
    expect(w.where('/banking/x')).toBe('status 404');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
    expect(w.status('infra/api', 'Gateway', 'infra/gw')?.PartiallyInvalid?.message).toContain(
      'decision 19',
    );
  });

  it('decision 19: ordinary headers are still allowed', () => {
    const w = build([
      direct({ set: [{ name: 'x-team', value: 'banking' }], remove: ['x-debug'] }, 'rule'),
      ...services,
    ]);
    const decision = w.send('/evil');
    expect(decision.kind).toBe('forward');
  });

  it('decision 19: isProtectedHeaderName agrees with the exported list in any case (property)', () => {
    const name = fc.oneof(
      fc.constantFrom(
        ...PROTECTED_HEADER_NAMES,
        'proxy-x',
        'x-switchyard-y',
        'x-forwarded-for',
        'host',
        'tea',
        'proxy',
        'x-switchyard',
      ),
      fc.stringMatching(/^[A-Za-z-]{1,20}$/),
    );
    const casing = fc.array(fc.boolean(), { minLength: 20, maxLength: 20 });
    fc.assert(
      fc.property(name, casing, (n, upper) => {
        const mixed = [...n].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        const lower = n.toLowerCase();
        const expected =
          PROTECTED_HEADER_NAMES.includes(lower) ||
          lower.startsWith('proxy-') ||
          lower.startsWith('x-switchyard-');
        expect(isProtectedHeaderName(mixed)).toBe(expected);
      }),
      budget('isProtectedHeaderName'),
    );
  });
});
