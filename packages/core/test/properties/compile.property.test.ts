// Properties of compile as a whole: order independence, the blast-radius guarantee (delegation
// contract section 8), and never throwing on arbitrary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, formatTable, resolve, type ResolveRequest } from '@switchyard/core';
import { budget } from './budget.js';
import type { TEAMS } from './delegation-arbitraries.js';
import {
  PREFIXES,
  childRoute,
  gatewayObject,
  grantObject,
  parentObject,
  request,
  services,
  world,
} from './delegation-arbitraries.js';

type Json = Record<string, unknown>;
const platform = (): Json[] => [gatewayObject, parentObject, grantObject, ...services()];

function decide(objects: readonly unknown[], requests: readonly ResolveRequest[]) {
  const { table } = compile(objects);
  return requests.map((r) => JSON.stringify(resolve(table, r)));
}

function toRequest(r: {
  path: string;
  host: string;
  method: string;
  headers: Record<string, string>;
}): ResolveRequest {
  return { method: r.method, host: r.host, path: r.path, headers: r.headers };
}

describe('compile properties', () => {
  it('the result does not depend on the order of the input objects', () => {
    const input = world.chain((children) => {
      const objects = [...platform(), ...children];
      return fc.tuple(
        fc.constant(objects),
        fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }),
      );
    });
    fc.assert(
      fc.property(
        input,
        fc.array(request, { minLength: 5, maxLength: 15 }),
        ([ordered, shuffled], requests) => {
          const a = compile(ordered);
          const b = compile(shuffled);
          expect(formatTable(b.table)).toBe(formatTable(a.table));
          expect(b.statuses).toEqual(a.statuses);
          const rs = requests.map(toRequest);
          expect(decide(shuffled, rs)).toEqual(decide(ordered, rs));
        },
      ),
      budget('order independence'),
    );
  });

  it('blast radius: changing one child changes decisions only inside the scope delegated to it', () => {
    const mutation = (team: (typeof TEAMS)[number], name: string) =>
      fc.oneof(
        fc.constant({ kind: 'delete' as const }),
        childRoute(team, name).map((object) => ({ kind: 'replace' as const, object })),
        fc.constant({
          kind: 'patch' as const,
          patch: {
            spec: {
              hostnames: ['evil.example.com'],
              rules: [{ backendRefs: [{ name: 'svc-a', port: 8080 }] }],
            },
          },
        }),
        fc.constant({ kind: 'patch' as const, patch: { spec: { rules: 'not a list' } } }),
        fc.constant({
          kind: 'patch' as const,
          patch: {
            spec: { rules: [{ matches: [{ path: { type: 'RegularExpression', value: '(/' } }] }] },
          },
        }),
        fc.constant({
          kind: 'patch' as const,
          patch: {
            spec: {
              rules: [
                {
                  matches: [{ path: { type: 'PathPrefix', value: '/' } }],
                  backendRefs: [{ name: 'svc-a', port: 8080 }],
                },
              ],
            },
          },
        }),
        fc.constant({
          kind: 'patch' as const,
          patch: {
            spec: {
              rules: [
                {
                  matches: [{ path: { type: 'RegularExpression', value: '.*' } }],
                  backendRefs: [{ name: 'svc-a', port: 8080 }],
                },
              ],
            },
          },
        }),
        fc.constant({ kind: 'patch' as const, patch: { metadata: { labels: {} } } }),
      );
    const scenario = world.chain((children) =>
      fc.nat(children.length - 1).chain((i) => {
        const target = children[i]!;
        const meta = target.metadata as { namespace: (typeof TEAMS)[number]; name: string };
        return fc.tuple(fc.constant(children), fc.constant(i), mutation(meta.namespace, meta.name));
      }),
    );
    fc.assert(
      fc.property(
        scenario,
        fc.array(request, { minLength: 10, maxLength: 30 }),
        ([children, i, change], requests) => {
          const target = children[i]!;
          const team = (target.metadata as { namespace: (typeof TEAMS)[number] }).namespace;
          const after = children.flatMap((child, j): Json[] => {
            if (j !== i) return [child];
            if (change.kind === 'delete') return [];
            if (change.kind === 'replace') return [change.object];
            return [
              {
                ...child,
                ...change.patch,
                metadata: {
                  ...(child.metadata as Json),
                  ...((change.patch as { metadata?: Json }).metadata ?? {}),
                },
              },
            ];
          });
          // Every label a version of the child carries names a team prefix it can be selected under
          // (team labels are team names; `<team>-inner` is selectable only under its own team).
          const scopes = new Set<string>([PREFIXES[team]]);
          const labelOf = (o: Json | undefined) =>
            ((o?.metadata as Json | undefined)?.labels as Record<string, string> | undefined)?.[
              'delegation.kgateway.dev/label'
            ];
          for (const label of [labelOf(target), labelOf(after.find((_, j) => j === i))]) {
            if (label && label in PREFIXES) scopes.add(PREFIXES[label as (typeof TEAMS)[number]]);
          }
          const outside = requests.map(toRequest).filter((r) => {
            if (r.host !== 'api.example.com') return true;
            const path = r.path.split('?')[0]!;
            return ![...scopes].some((p) => path === p || path.startsWith(`${p}/`));
          });
          expect(decide([...platform(), ...after], outside)).toEqual(
            decide([...platform(), ...children], outside),
          );
        },
      ),
      budget('blast radius'),
    );
  });

  it('compile never throws on arbitrary JSON', () => {
    const kinds = fc.constantFrom(
      'HTTPRoute',
      'Gateway',
      'Service',
      'ReferenceGrant',
      'Namespace',
      'Backend',
      'Secret',
      'Unknown',
    );
    const shaped = fc.record({
      apiVersion: fc.constantFrom(
        'gateway.networking.k8s.io/v1',
        'v1',
        'gateway.kgateway.dev/v1alpha1',
        'x',
      ),
      kind: kinds,
      metadata: fc.oneof(
        fc.record({
          name: fc.string(),
          namespace: fc.string(),
          labels: fc.dictionary(fc.string(), fc.string()),
        }),
        fc.jsonValue(),
      ),
      spec: fc.jsonValue(),
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.jsonValue(), shaped, fc.anything()), { maxLength: 8 }),
        (objects) => {
          const result = compile([gatewayObject, ...objects]);
          expect(Array.isArray(result.statuses)).toBe(true);
          resolve(result.table, { method: 'GET', path: '/x', host: 'a.example.com' });
        },
      ),
      budget('compile never throws'),
    );
  });
});
