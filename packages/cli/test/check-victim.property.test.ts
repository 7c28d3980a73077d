/**
 * Rule 27, as a property: whatever the banking team writes into its own namespace, another
 * team's `check -n` prints the same JSON with the same exit code. The hostile objects come on
 * standard input (`check . - -n payments`), so nothing is written to disk between runs.
 *
 * The generator covers what a team can write inside its namespace: routes attached to the
 * Gateway, to the platform's parent or to another team's route, any label (including another
 * team's), out-of-prefix and encoded paths, regexes, framing-header modifiers, rewrites,
 * mirrors, cross-namespace backends, Gateways, Services and Backends. It leaves out delegations
 * that select another namespace's routes: on this branch their status entries still count against
 * the selected team until the core reports them as findings with `reached`
 * (tenant-attacks.test.ts, "selecting another namespace's route by name").
 *
 * Budget: FC_NUM_RUNS (default 1000) and FC_TIME_BUDGET_MS (default 4000); FC_SEED replays.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDir } from './helpers/built-cli.js';
import { runInProcess } from './helpers/in-process.js';

let example: string;

beforeAll(() => {
  example = mkdtempSync(join(tmpdir(), 'switchyard-check-victim-'));
  cpSync(exampleDir, example, { recursive: true });
});

afterAll(() => rmSync(example, { recursive: true, force: true }));

function parameters<T>(name: string): fc.Parameters<T> {
  const seed = process.env.FC_SEED
    ? Number(process.env.FC_SEED)
    : Date.now() ^ (Math.random() * 0x7fffffff);
  console.log(`[fast-check] ${name}: seed ${seed} (replay with FC_SEED=${seed})`);
  return {
    seed,
    numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
    interruptAfterTimeLimit: Number(process.env.FC_TIME_BUDGET_MS ?? 4000),
    markInterruptAsFailure: false,
  };
}

const NS = 'banking';
const path = fc.constantFrom(
  '/banking/x',
  '/payments/charge',
  '/payments',
  '/insurance/quotes',
  '/',
  '/banking/%2e%2e/payments',
  '/banking/.%2E/insurance',
  '/banking//payments',
);
const match = fc.record(
  {
    path: fc.oneof(
      fc.record({ type: fc.constantFrom('PathPrefix', 'Exact'), value: path }),
      fc.record({
        type: fc.constant('RegularExpression'),
        value: fc.constantFrom(
          '/payments/.*',
          '.*',
          '/banking/(a+)+$',
          `/banking/${'[a-z]{1000}'.repeat(8)}`,
        ),
      }),
    ),
    headers: fc.constantFrom(
      [{ name: 'x-api-version', value: '2' }],
      [{ name: 'Host', value: 'x' }],
    ),
    method: fc.constantFrom('GET', 'POST'),
  },
  { requiredKeys: ['path'] },
);
const filter = fc.constantFrom(
  {
    type: 'RequestHeaderModifier',
    requestHeaderModifier: {
      set: [
        { name: 'Transfer-Encoding', value: 'chunked' },
        { name: 'Content-Length', value: '0' },
      ],
    },
  },
  {
    type: 'RequestHeaderModifier',
    requestHeaderModifier: { set: [{ name: 'Host', value: 'payments.example.net' }] },
  },
  {
    type: 'URLRewrite',
    urlRewrite: {
      hostname: 'payments.example.net',
      path: { type: 'ReplaceFullPath', replaceFullPath: '/payments/charge' },
    },
  },
  {
    type: 'RequestMirror',
    requestMirror: { backendRef: { name: 'payments-bff', namespace: 'payments', port: 8080 } },
  },
);
const backendRef = fc.constantFrom<Record<string, unknown>>(
  { name: 'accounts', port: 8080 },
  { name: 'payments-bff', namespace: 'payments', port: 8080 },
  { name: 'ghost', port: 8080 },
  { group: 'delegation.kgateway.dev', kind: 'label', name: 'banking-bff', namespace: NS },
  { group: 'delegation.kgateway.dev', kind: 'label', name: 'payments-bff', namespace: NS },
  { group: 'gateway.kgateway.dev', kind: 'Backend', name: 'evil', port: 443 },
);
const parentRef = fc.constantFrom<Record<string, unknown>>(
  { name: 'http', namespace: 'kgateway-system' },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    name: 'api',
    namespace: 'kgateway-system',
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    name: 'payments',
    namespace: 'payments',
  },
  { name: 'evil' },
);
const name = fc.constantFrom('accounts', 'cards', 'evil', 'payments', 'quotes');
const route = fc.record({
  apiVersion: fc.constant('gateway.networking.k8s.io/v1'),
  kind: fc.constant('HTTPRoute'),
  metadata: fc.record(
    {
      name,
      namespace: fc.constant(NS),
      labels: fc.record({
        'delegation.kgateway.dev/label': fc.constantFrom(
          'banking-bff',
          'payments-bff',
          'insurance-bff',
          'd1',
        ),
      }),
      annotations: fc.constantFrom(
        { 'delegation.kgateway.dev/inherit-parent-matcher': 'true' },
        { 'delegation.switchyard.dev/allowed-namespaces': 'payments,banking' },
      ),
    },
    { requiredKeys: ['name', 'namespace'] },
  ),
  spec: fc.record(
    {
      parentRefs: fc.array(parentRef, { maxLength: 2 }),
      hostnames: fc.constantFrom(['api.example.com'], ['*.example.com']),
      rules: fc.array(
        fc.record(
          {
            matches: fc.array(match, { minLength: 1, maxLength: 2 }),
            filters: fc.array(filter, { maxLength: 2 }),
            backendRefs: fc.array(backendRef, { minLength: 1, maxLength: 2 }),
          },
          { requiredKeys: ['matches', 'backendRefs'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    },
    { requiredKeys: ['rules'] },
  ),
});
const other = fc.constantFrom<Record<string, unknown>>(
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'evil', namespace: NS },
    spec: {
      gatewayClassName: 'kgateway',
      listeners: [
        {
          name: 'http',
          protocol: 'HTTP',
          port: 8080,
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    },
  },
  {
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name: 'evil', namespace: NS },
    spec: { type: 'Static', static: { hosts: [{ host: 'payments.example.net', port: 443 }] } },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'payments-bff', namespace: NS },
    spec: { ports: [{ port: 8080 }] },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: NS } },
  { kind: 'HTTPRoute', metadata: { name: 'broken', namespace: NS }, spec: 'not a map' },
);
const hostile = fc.array(fc.oneof(route, other), { minLength: 1, maxLength: 4 });

describe('rule 27: another team’s file never changes a team’s check -n', () => {
  it('check . - -n <victim> prints the same JSON and exit code whatever banking writes', async () => {
    const victims = ['payments', 'insurance'] as const;
    const baseline = new Map<string, { code: number; stdout: string }>();
    for (const victim of victims) {
      const result = await runInProcess(
        ['check', '.', '-', '-n', victim, '--format', 'json'],
        example,
        '',
      );
      expect(result.code).toBe(0);
      baseline.set(victim, { code: result.code, stdout: result.stdout });
    }
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom(...victims), async (objects, victim) => {
        const stdin = objects.map((o) => stringify(o)).join('---\n');
        const result = await runInProcess(
          ['check', '.', '-', '-n', victim, '--format', 'json'],
          example,
          stdin,
        );
        expect({ code: result.code, stdout: result.stdout }).toEqual(baseline.get(victim));
      }),
      parameters('check -n victim unchanged'),
    );
  }, 60_000);
});
