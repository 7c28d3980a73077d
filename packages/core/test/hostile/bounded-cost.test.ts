// Delegation contract rule 26: the cost of matching is bounded (regex program size, input size).
import { compile, MAX_REGEX_PROGRAM_SIZE, resolve } from '@switchyard/core';
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

const services = [service('banking', 'accounts'), service('payments', 'pay')];
const HUGE = `/banking/${'[^/]{0,1000}'.repeat(8)}z`;

function withPath(path: object) {
  return [
    parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') }),
    child(
      'banking',
      'b',
      [
        { matches: [{ path }], backendRefs: [backend('accounts')] },
        { matches: [prefix('/banking/ok')], backendRefs: [backend('accounts')] },
      ],
      'bank',
    ),
    child(
      'payments',
      'p',
      [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
      'pay',
    ),
    ...services,
  ];
}

describe('rule 26: regex program size', () => {
  it(`rule 26: /banking/ + [^/]{0,1000} x8 + z is refused (program size over ${MAX_REGEX_PROGRAM_SIZE})`, () => {
    const w = build(withPath({ type: 'RegularExpression', value: HUGE }));
    const status = w.status('banking/b', 'HTTPRoute', 'infra/api');
    expect(status?.PartiallyInvalid?.message).toContain('Dropped Rule 0');
    expect(status?.PartiallyInvalid?.message).toContain('regular expression too large');
    expect(w.where('/banking/ok')).toBe('banking/accounts:8080');
    expect(w.where('/payments/x')).toBe('payments/pay:8080');
  });

  it('rule 26: 90 counted repetitions are refused without being compiled (the compile stays fast)', () => {
    const value = `/banking/${'[^/]{0,1000}'.repeat(80)}`;
    const w = build(withPath({ type: 'RegularExpression', value }));
    expect(w.status('banking/b', 'HTTPRoute', 'infra/api')?.PartiallyInvalid?.message).toContain(
      'exceeds the limit',
    );
  });

  for (const where of ['headers', 'queryParams'] as const) {
    it(`rule 26: a huge ${where} regex drops the rule like any invalid match`, () => {
      const w = build(
        withPath({ type: 'PathPrefix', value: '/banking' }).map((o, i) =>
          i === 1
            ? child(
                'banking',
                'b',
                [
                  {
                    matches: [
                      {
                        path: { type: 'PathPrefix', value: '/banking' },
                        [where]: [
                          {
                            type: 'RegularExpression',
                            name: 'x',
                            value: `${'[a-z]{0,500}'.repeat(4)}`,
                          },
                        ],
                      },
                    ],
                    backendRefs: [backend('accounts')],
                  },
                ],
                'bank',
              )
            : o,
        ),
      );
      const status = w.status('banking/b', 'HTTPRoute', 'infra/api');
      expect(status?.Accepted?.status).toBe('False');
      expect(status?.Accepted?.message).toContain('regular expression too large');
    });
  }

  it('rule 26: ordinary regexes stay valid', () => {
    const w = build(
      withPath({
        type: 'RegularExpression',
        value: '/banking/v[0-9]+/(accounts|cards)/[^/]{1,64}',
      }),
    );
    expect(w.where('/banking/v2/cards/abc')).toBe('banking/accounts:8080');
  });
});

describe('rule 26: input size', () => {
  const objects = [
    route('banking', 'r', {
      ...toGateway,
      hostnames: ['api.example.com'],
      rules: [
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/h' },
              headers: [{ type: 'RegularExpression', name: 'X-Tenant', value: '[a-z]+' }],
            },
          ],
          backendRefs: [backend('accounts')],
        },
        { matches: [prefix('/')], backendRefs: [backend('accounts')] },
      ],
    }),
    ...services,
  ];

  it('rule 26: a request target over the limit answers 414 with a code, before matching', () => {
    const w = build(objects);
    const at = `/${'a'.repeat(8191)}`;
    expect(w.send(at).kind).toBe('forward');
    expect(w.send(`${at}b`)).toMatchObject({
      kind: 'respond',
      status: 414,
      code: 'SWY_URI_TOO_LONG',
    });
  });

  it('rule 26: the path limit is a compile option, and counts the query', () => {
    const w = build(objects, { maxPathLength: 100 });
    expect(w.send(`/x?q=${'a'.repeat(96)}`)).toMatchObject({ status: 414 });
  });

  it('rule 26: a value over the limit of a header a regex reads answers 431; other headers are not limited', () => {
    const w = build(objects, { maxHeaderValueLength: 64 });
    expect(w.send('/h', { headers: { 'x-tenant': 'a'.repeat(64) } }).kind).toBe('forward');
    expect(w.send('/h', { headers: { 'X-TENANT': 'a'.repeat(65) } })).toMatchObject({
      status: 431,
      code: 'SWY_HEADERS_TOO_LARGE',
    });
    expect(
      resolve(w.table, {
        method: 'GET',
        host: 'api.example.com',
        path: '/h',
        headers: { 'x-tenant': ['a'.repeat(40), 'b'.repeat(40)] },
      }),
    ).toMatchObject({ status: 431 });
    expect(w.send('/h', { headers: { cookie: 'a'.repeat(10_000) } }).kind).toBe('forward');
  });

  it("rule 26: a team's regex header match never refuses another team's requests (only requests that reach it)", () => {
    // banking reads `cookie` with a regex; payments' requests carry long cookies and must not care.
    const objects = [
      parent({ '/banking': byLabel('bank'), '/payments': byLabel('pay') }),
      child(
        'banking',
        'b',
        [
          {
            matches: [
              {
                path: { type: 'PathPrefix', value: '/banking/r' },
                headers: [{ type: 'RegularExpression', name: 'Cookie', value: 'x.*' }],
              },
            ],
            backendRefs: [backend('accounts')],
          },
          { matches: [prefix('/banking')], backendRefs: [backend('accounts')] },
        ],
        'bank',
      ),
      child(
        'payments',
        'p',
        [{ matches: [prefix('/payments')], backendRefs: [backend('pay')] }],
        'pay',
      ),
      ...services,
    ];
    const w = build(objects, { maxHeaderValueLength: 64 });
    const long = { headers: { cookie: 'x'.repeat(65) } };
    expect(w.where('/payments/charge', long)).toBe('payments/pay:8080');
    // Inside banking, off the regex route's path: served by banking's other route.
    expect(w.where('/banking/other', long)).toBe('banking/accounts:8080');
    // The regex route is reached: it cannot be judged, so the request is refused, not passed on.
    expect(w.send('/banking/r', long)).toMatchObject({
      status: 431,
      code: 'SWY_HEADERS_TOO_LARGE',
    });
    expect(w.where('/banking/r', { headers: { cookie: 'x'.repeat(64) } })).toBe(
      'banking/accounts:8080',
    );
  });

  it('rule 26: a table with no limits (built by hand) gets the defaults', () => {
    const { table } = compile([]);
    const { limits: _unused, ...bare } = table;
    expect(resolve(bare, { method: 'GET', path: `/${'a'.repeat(9000)}` })).toMatchObject({
      status: 414,
    });
  });
});
