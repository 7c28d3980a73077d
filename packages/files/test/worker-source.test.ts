/**
 * Rule 28 (bounded side effects: a hot reload of a large configuration does not stall requests):
 * the file source compiled in a worker thread. While a configuration of ROUTES flattened routes
 * is re-read and re-compiled, a steady stream of lookups keeps being answered from the old table,
 * and the swap is atomic: every table answers all-old or all-new, and once the new table is seen
 * the old one never comes back. Correctness only; the timing is in benchmarks/reload.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve, type RouteTable } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileSource,
  createWorkerFileSource,
  OwnersFileError,
  type FileSourceReport,
  type WorkerFileSource,
} from '../src/index.js';

const ROUTES = Number(process.env.RELOAD_TEST_ROUTES ?? 50_000);
// Within the Gateway API's limits (16 rules per route, 64 matches per rule).
const RULES_PER_ROUTE = 10;
const MATCHES_PER_RULE = 10;
const PER_ROUTE = RULES_PER_ROUTE * MATCHES_PER_RULE;

let dir: string;
let source: WorkerFileSource | undefined;
let reports: FileSourceReport[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-worker-source-'));
  reports = [];
});

afterEach(async () => {
  await source?.close();
  source = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const GATEWAY = `apiVersion: v1
kind: Service
metadata: { name: old, namespace: infra }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: new, namespace: infra }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: http, namespace: infra }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: http, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
`;

/** `routes` flattened routes (`/r0`, `/r1`, ...) in HTTPRoutes of PER_ROUTE, all to Service `backend`. */
function bigConfig(routes: number, backend: string): string {
  const documents: string[] = [];
  for (let first = 0; first < routes; first += PER_ROUTE) {
    const rules: string[] = [];
    for (let rule = first; rule < Math.min(routes, first + PER_ROUTE); rule += MATCHES_PER_RULE) {
      const matches: string[] = [];
      for (let i = rule; i < Math.min(routes, rule + MATCHES_PER_RULE); i++)
        matches.push(`{ path: { type: PathPrefix, value: /r${i} } }`);
      rules.push(
        `    - matches: [${matches.join(', ')}]\n      backendRefs: [{ name: ${backend}, port: 8080 }]`,
      );
    }
    documents.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: routes-${first}, namespace: infra }
spec:
  parentRefs: [{ name: http }]
  rules:
${rules.join('\n')}`);
  }
  return documents.join('\n---\n');
}

/** The backend every probe path of `table` goes to, or `mixed` when they differ. */
function answer(table: RouteTable): string {
  const probes = ['/r0', `/r${Math.floor(ROUTES / 2)}/x`, `/r${ROUTES - 1}`];
  const seen = new Set(
    probes.map((path) => {
      const decision = resolve(table, { method: 'GET', host: 'a.example', port: 8080, path });
      return decision.kind === 'forward' ? decision.backends[0]!.name : `status ${decision.status}`;
    }),
  );
  return seen.size === 1 ? [...seen][0]! : `mixed ${[...seen].join(',')}`;
}

describe('rule 28: a large reload compiles off the serving thread', () => {
  it(`while ${ROUTES} routes reload, lookups keep being answered and the swap is atomic`, async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'routes.yaml'), bigConfig(ROUTES, 'old'));
    source = await createWorkerFileSource({
      paths: [dir],
      watch: false,
      onReport: (r) => reports.push(r),
    });
    expect(answer(source.current())).toBe('old');
    expect(source.current().listeners[0]!.routes).toHaveLength(ROUTES);

    writeFileSync(join(dir, 'routes.yaml'), bigConfig(ROUTES, 'new'));
    const answers: string[] = [];
    let reloading = true;
    const stream = (async () => {
      while (reloading) {
        answers.push(answer(source!.current()));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const swapped = await source.reload();
    reloading = false;
    await stream;
    answers.push(answer(source.current()));

    expect(swapped).toBe(true);
    // Answered from the old table while the worker read and compiled: the loop was never held.
    expect(answers.filter((a) => a === 'old').length).toBeGreaterThan(10);
    expect(answers.at(-1)).toBe('new');
    // All-old, then all-new: no mixed table, no flip back.
    const firstNew = answers.indexOf('new');
    expect(answers.slice(0, firstNew).every((a) => a === 'old')).toBe(true);
    expect(answers.slice(firstNew).every((a) => a === 'new')).toBe(true);
    expect(Object.isFrozen(source.current().listeners[0]!.routes[0]!.action)).toBe(true);
  }, 300_000);
});

describe('the worker file source behaves like the in-thread one', () => {
  it('decides as the in-thread source, regular expressions included (compiled regexes cannot be copied, so they are compiled again on arrival)', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(
      join(dir, 'routes.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: regexes, namespace: infra }
spec:
  parentRefs: [{ name: http }]
  rules:
    - matches: [{ path: { type: RegularExpression, value: '/v[0-9]+/users/[a-z]+' } }]
      backendRefs: [{ name: new, port: 8080 }]
    - matches:
        - path: { type: PathPrefix, value: /h }
          headers: [{ type: RegularExpression, name: x-team, value: 'bank(ing)?' }]
        - path: { type: PathPrefix, value: /q }
          queryParams: [{ type: RegularExpression, name: v, value: '[0-9]{2}' }]
      backendRefs: [{ name: new, port: 8080 }]
    - backendRefs: [{ name: old, port: 8080 }]
`,
    );
    source = await createWorkerFileSource({ paths: [dir], watch: false });
    const inThread = createFileSource({ paths: [dir], watch: false });
    const requests = [
      { path: '/v2/users/ann' },
      { path: '/v2/users/Ann' },
      { path: '/h/x', headers: { 'x-team': 'banking' } },
      { path: '/h/x', headers: { 'x-team': 'bankin' } },
      { path: '/q?v=42' },
      { path: '/q?v=4' },
    ];
    const backendOf = (table: RouteTable, request: (typeof requests)[number]) => {
      const decision = resolve(table, { method: 'GET', host: 'a.example', port: 8080, ...request });
      return decision.kind === 'forward' ? decision.backends[0]!.name : decision.kind;
    };
    const served = requests.map((request) => backendOf(source!.current(), request));
    expect(served).toEqual(['new', 'old', 'new', 'old', 'new', 'old']);
    expect(served).toEqual(requests.map((request) => backendOf(inThread.current(), request)));
    inThread.close();
    expect(Object.isFrozen(source.current().listeners[0]!.routes[0]!.match)).toBe(true);
  });

  it('refuses what the owners file refuses, locates problems by field, and reports reload refusals', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(
      join(dir, 'owners.yaml'),
      'owners:\n  - { folder: ., namespaces: [infra], gateways: true }\n',
    );
    writeFileSync(
      join(dir, 'routes.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: infra }
spec:
  parentRefs: [{ name: http }]
  rules:
    - backendRefs: [{ name: svc, port: 8080 }]
    - matches: [{ path: { type: RegularExpression, value: '(' } }]
      backendRefs: [{ name: svc, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: stolen, namespace: other }
spec:
  parentRefs: [{ name: http, namespace: infra }]
`,
    );
    source = await createWorkerFileSource({
      paths: [dir],
      watch: false,
      onReport: (r) => reports.push(r),
    });
    expect(source.refusals().map((r) => [r.rule, r.object.name])).toEqual([
      ['owners/namespace', 'stolen'],
    ]);
    expect(source.gateway()).toMatchObject({
      ok: true,
      gateway: { namespace: 'infra', name: 'http' },
    });
    const route = source.objects().find((o) => (o.value as { kind: string }).kind === 'HTTPRoute')!;
    // The status names spec.rules[1].matches[0].path.value: its line, not the object's.
    expect(route.locate('spec.rules[1].matches[0].path.value').line).toBe(8);

    const before = source.current();
    writeFileSync(join(dir, 'gateway.yaml'), '');
    expect(await source.reload()).toBe(false);
    expect(source.current()).toBe(before);
    expect(source.current().gateway).toEqual({ namespace: 'infra', name: 'http' });
    expect(reports.find((r) => r.kind === 'reload-refused')).toMatchObject({
      reason: expect.stringContaining(
        'the served Gateway infra/http is no longer among the objects',
      ),
    });
  });

  it('a file too big for the worker stops the worker, not the process; the next change starts a new one', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'routes.yaml'), bigConfig(100, 'old'));
    source = await createWorkerFileSource({
      paths: [dir],
      watch: false,
      workerMemoryMb: 96,
      onReport: (r) => reports.push(r),
    });
    const before = source.current();
    writeFileSync(join(dir, 'routes.yaml'), bigConfig(60_000, 'new'));
    expect(await source.reload()).toBe(false);
    expect(source.current()).toBe(before);
    expect(source.current().listeners[0]!.routes).toHaveLength(100);
    expect(reports.find((r) => r.kind === 'reload-refused')).toMatchObject({
      reason: expect.stringMatching(
        /^the compile worker stopped \(.*\); the last good table keeps serving/,
      ),
    });

    writeFileSync(join(dir, 'routes.yaml'), bigConfig(200, 'new'));
    expect(await source.reload()).toBe(true);
    expect(source.current().gateway).toEqual({ namespace: 'infra', name: 'http' });
    expect(source.current().listeners[0]!.routes).toHaveLength(200);
  }, 120_000);

  it('watches: edits during a reload are read by one more reload, and the last edit wins', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'routes.yaml'), bigConfig(2_000, 'old'));
    source = await createWorkerFileSource({
      paths: [dir],
      debounceMs: 20,
      onReport: (r) => reports.push(r),
    });
    // Atomic-rename saves, as editors do, several while the first reload is still compiling.
    for (const [i, backend] of ['new', 'old', 'new'].entries()) {
      writeFileSync(join(dir, `.routes.yaml.tmp${i}`), bigConfig(2_000 + i, backend));
      renameSync(join(dir, `.routes.yaml.tmp${i}`), join(dir, 'routes.yaml'));
      await new Promise((r) => setTimeout(r, 60));
    }
    const deadline = Date.now() + 60_000;
    while (source.current().listeners[0]!.routes.length !== 2_002 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(source.current().listeners[0]!.routes).toHaveLength(2_002);
    expect(reports.filter((r) => r.kind === 'reload').length).toBeGreaterThanOrEqual(1);
    const probe = resolve(source.current(), {
      method: 'GET',
      host: 'a',
      port: 8080,
      path: '/r2001',
    });
    expect(probe.kind === 'forward' && probe.backends[0]!.name).toBe('new');
  }, 120_000);

  it('a malformed owners file rejects the start with the file and line', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'owners.yaml'), 'owners: {}\n');
    await expect(createWorkerFileSource({ paths: [dir], watch: false })).rejects.toBeInstanceOf(
      OwnersFileError,
    );
  });
});
