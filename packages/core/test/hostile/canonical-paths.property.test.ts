// Delegation contract rule 24 as a property: whatever a child writes (encoded or literal dot
// segments, encoded unreserved characters, any match type, inheriting or not), a request it takes
// has a normalised path inside the parent prefix; and a child value inside the prefix still works.
import { normalizeRequestPath } from '@switchyard/core';
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

const SEGMENTS = [
  'banking',
  'payments',
  'a',
  '..',
  '.',
  '%2e%2e',
  '%2E.',
  '.%2e',
  '%2e',
  '%7E',
  '%61',
  'b~',
  '%2F',
];
const segments = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 0, maxLength: 5 });
const pathFrom = (parts: readonly string[]) => `/${parts.join('/')}`;

const childPath = fc.oneof(
  segments.map((s) => ({ type: 'PathPrefix', value: pathFrom(['banking', ...s]) })),
  segments.map((s) => ({ type: 'Exact', value: pathFrom(['banking', ...s]) })),
  segments.map((s) => ({ type: 'PathPrefix', value: pathFrom(s) })),
  segments.map((s) => ({ type: 'RegularExpression', value: `${pathFrom(['banking', ...s])}.*` })),
  segments.map((s) => ({
    type: 'RegularExpression',
    value: `${pathFrom(['banking', ...s])}|/payments/.*`,
  })),
);

const stats = { runs: 0, takenByChild: 0, childLive: 0 };

describe('rule 24: canonical paths (property)', () => {
  it('rule 24: a request a banking child takes normalises to a path inside /banking', () => {
    fc.assert(
      fc.property(
        childPath,
        fc.boolean(),
        fc.array(
          fc.oneof(
            segments,
            segments.map((s) => ['banking', ...s]),
          ),
          { minLength: 5, maxLength: 15 },
        ),
        (path, inherit, requests) => {
          stats.runs++;
          const w = build([
            parent({ '/banking': byLabel('bank', 'banking') }),
            route('infra', 'rest', {
              ...toGateway,
              hostnames: ['api.example.com'],
              rules: [{ matches: [prefix('/')], backendRefs: [backend('fallback')] }],
            }),
            child(
              'banking',
              'evil',
              [{ matches: [{ path }], backendRefs: [backend('accounts', 8080, 'banking')] }],
              'bank',
              {},
              inherit
                ? { annotations: { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' } }
                : {},
            ),
            service('banking', 'accounts'),
            service('infra', 'fallback'),
          ]);
          if (w.status('banking/evil', 'HTTPRoute', 'infra/api')?.Accepted?.status === 'True')
            stats.childLive++;
          for (const parts of requests) {
            const target = pathFrom(parts);
            if (w.where(target) !== 'banking/accounts:8080') continue;
            stats.takenByChild++;
            const normalised = normalizeRequestPath(target);
            expect(normalised.ok).toBe(true);
            const p = normalised.ok ? normalised.path : '';
            expect(
              p === '/banking' || p.startsWith('/banking/'),
              `${target} (${p}) taken by ${path.type} ${path.value}`,
            ).toBe(true);
          }
        },
      ),
      budget('rule 24 canonical paths'),
    );
    console.log(
      `[rule 24 property] runs=${stats.runs} childLive=${stats.childLive} requestsTakenByChild=${stats.takenByChild}`,
    );
  });
});
