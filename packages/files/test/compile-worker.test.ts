/**
 * Rule 28 (a compile does not stall the serving thread), for sources other than files:
 * `createCompileWorker` runs core's `compile` in a worker thread and hands back a result that
 * decides every request as an in-thread compile does, regexes included; calls keep their order;
 * a worker that dies rejects its compile and the next call starts a new one.
 */
import { compile, formatTable, resolve, type CompileOptions } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCompileWorker, type CompileWorker } from '../src/index.js';

let compiler: CompileWorker | undefined;
afterEach(async () => {
  await compiler?.close();
  compiler = undefined;
});

const GATEWAY = { namespace: 'infra', name: 'http' };
const OPTIONS: CompileOptions = { gateway: GATEWAY };

function objects(backend: string, extraRoutes = 0): unknown[] {
  const service = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'infra' },
    spec: { ports: [{ port: 8080 }] },
  });
  const route = (name: string, rules: unknown[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'infra' },
    spec: { parentRefs: [{ name: 'http' }], rules },
  });
  const to = (name: string) => [{ name, port: 8080 }];
  return [
    service('old'),
    service('new'),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'http', namespace: 'infra' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }],
      },
    },
    route('regexes', [
      {
        matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+/users/[a-z]+' } }],
        backendRefs: to(backend),
      },
      {
        matches: [
          {
            path: { type: 'PathPrefix', value: '/h' },
            headers: [{ type: 'RegularExpression', name: 'x-team', value: 'bank(ing)?' }],
          },
        ],
        backendRefs: to(backend),
      },
      { backendRefs: to('old') },
    ]),
    ...Array.from({ length: extraRoutes }, (_, i) =>
      route(`extra-${i}`, [
        {
          matches: [{ path: { type: 'PathPrefix', value: `/extra/${i}` } }],
          backendRefs: to(backend),
        },
      ]),
    ),
  ];
}

/** `count` HTTPRoutes of 16 rules x 8 matches: 128 flattened routes each. */
function wideRoutes(count: number): unknown[] {
  const rules = (i: number) =>
    Array.from({ length: 16 }, (_, r) => ({
      matches: Array.from({ length: 8 }, (_, m) => ({
        path: { type: 'PathPrefix', value: `/wide/${i}/${r}/${m}` },
      })),
      backendRefs: [{ name: 'new', port: 8080 }],
    }));
  const [, , gateway] = objects('new');
  return [
    gateway,
    ...Array.from({ length: count }, (_, i) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `wide-${i}`, namespace: 'infra' },
      spec: { parentRefs: [{ name: 'http' }], rules: rules(i) },
    })),
  ];
}

const REQUESTS = [
  { path: '/v2/users/ann' },
  { path: '/v2/users/Ann' },
  { path: '/h/x', headers: { 'x-team': 'banking' } },
  { path: '/h/x', headers: { 'x-team': 'bankin' } },
  { path: '/extra/7/x' },
];

function decisions(table: Parameters<typeof resolve>[0]): string[] {
  return REQUESTS.map((request) =>
    JSON.stringify(resolve(table, { method: 'GET', host: 'a.example', port: 8080, ...request })),
  );
}

describe('rule 28: createCompileWorker compiles off the serving thread', () => {
  it('its result decides every request as an in-thread compile, regexes included', async () => {
    compiler = createCompileWorker();
    const input = objects('new', 20);
    const result = await compiler.compile(input, OPTIONS);
    const local = compile(input, OPTIONS);
    expect(formatTable(result.table)).toBe(formatTable(local.table));
    expect(decisions(result.table)).toEqual(decisions(local.table));
    expect(result.statuses).toEqual(local.statuses);
    expect(result.gateways).toEqual(local.gateways);
    expect(Object.isFrozen(result.table.listeners[0]!.routes[0]!.match)).toBe(true);
  });

  it('calls made together are answered in order, each with its own input', async () => {
    compiler = createCompileWorker();
    const [a, b, c] = await Promise.all([
      compiler.compile(objects('old'), OPTIONS),
      compiler.compile(objects('new', 3), OPTIONS),
      compiler.compile(objects('old', 1), OPTIONS),
    ]);
    expect([a, b, c].map((r) => r.table.listeners[0]!.routes.length)).toEqual([3, 6, 4]);
    const backend = (r: typeof a) => {
      const decision = resolve(r.table, {
        method: 'GET',
        host: 'a',
        port: 8080,
        path: '/v1/users/x',
      });
      return decision.kind === 'forward' ? decision.backends[0]!.name : decision.kind;
    };
    expect([a, b, c].map(backend)).toEqual(['old', 'new', 'old']);
  });

  it('a worker that runs out of memory rejects its compile; the next call starts a new worker', async () => {
    compiler = createCompileWorker({ memoryMb: 48 });
    await expect(compiler.compile(wideRoutes(1_500), OPTIONS)).rejects.toThrow(
      /the compile worker stopped \(.+\); the next compile starts a new one/,
    );
    const next = await compiler.compile(objects('new'), OPTIONS);
    expect(next.table.listeners[0]!.routes).toHaveLength(3);
  });

  it('close() rejects the compile in flight and every later call', async () => {
    compiler = createCompileWorker();
    const inFlight = compiler.compile(objects('new', 2_000), OPTIONS);
    await compiler.close();
    await expect(inFlight).rejects.toThrow('the compile worker was closed');
    await expect(compiler.compile(objects('new'), OPTIONS)).rejects.toThrow(
      'the compile worker was closed',
    );
  });
});
