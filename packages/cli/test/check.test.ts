/**
 * `switchyard check` through the built CLI: the example passes (exit 0); a team's mistakes fail
 * (exit 1) with the route, the parent, the reason and the exact line, in text, JSON and GitHub
 * annotations; and on every routing case file the reported statuses are the ones the case expects.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesRoot, ensureBuilt, exampleDir, repoRoot, runBuilt } from './helpers/built-cli.js';
import { listYaml } from './helpers/files.js';

let scratch: string;

beforeAll(async () => {
  await ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-check-'));
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface CheckJson {
  ok: boolean;
  inputs: {
    source: string;
    case?: string;
    ok: boolean;
    routes: {
      namespace: string;
      name: string;
      file?: string;
      line?: number;
      ok: boolean;
      parents: {
        parentRef: { kind: string; namespace: string; name: string };
        ok: boolean;
        conditions: { type: string; status: string; reason: string; message: string }[];
        problems: {
          condition: string;
          reason: string;
          message: string;
          file?: string;
          line?: number;
        }[];
      }[];
      problems?: {
        condition: string;
        reason: string;
        message: string;
        file?: string;
        line?: number;
      }[];
    }[];
    diagnostics: { severity: string; code: string; message: string }[];
    findings: { severity: string; code: string; message: string }[];
  }[];
}

/** A copy of the example in which the banking team made three mistakes. */
function brokenExample(): string {
  const dir = join(scratch, `broken-${Math.random().toString(36).slice(2)}`);
  cpSync(exampleDir, dir, { recursive: true });
  const banking = join(dir, 'banking/routes.yaml');
  writeFileSync(
    banking,
    `${readFileSync(banking, 'utf8')}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: greedy
  namespace: banking
  labels:
    delegation.kgateway.dev/label: banking-bff
spec:
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /banking/loans
        - path:
            type: PathPrefix
            value: /payments/charge
      backendRefs:
        - name: accounts
          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: typo
  namespace: banking
  labels:
    delegation.kgateway.dev/label: bankin-bff
spec:
  rules:
    - backendRefs:
        - name: accounts
          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: hosted
  namespace: banking
  labels:
    delegation.kgateway.dev/label: banking-bff
spec:
  hostnames:
    - banking.example.com
  rules:
    - backendRefs:
        - name: accounts
          port: 8080
`,
  );
  return dir;
}

/** The 1-based line of the first line of `file` matching `pattern` after the line matching `after`. */
function lineOf(file: string, after: RegExp, pattern: RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => after.test(l));
  const index = lines.findIndex((l, i) => i > start && pattern.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(index).toBeGreaterThan(start);
  return index + 1;
}

describe('the example', () => {
  it('passes: every route Accepted and ResolvedRefs, exit 0, a readable table', async () => {
    const result = await runBuilt(['check', 'examples/delegation']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^examples\/delegation: 18 objects from 5 files\n/);
    expect(result.stdout).toMatch(
      /^banking\/accounts\s+HTTPRoute kgateway-system\/api\s+True\s+True\s+ok\s+examples\/delegation\/banking\/routes\.yaml:\d+$/m,
    );
    expect(result.stdout).toMatch(
      /^kgateway-system\/api\s+Gateway kgateway-system\/http\s+True\s+True\s+ok/m,
    );
    expect(result.stdout).toContain(
      'Gateway kgateway-system/http: Accepted=True Programmed=True; listener http: 1 route attached',
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'ok: 6 routes, 6 parent entries, all Accepted and ResolvedRefs',
    );
  });

  it('--format json: one entry per route with its parents, conditions and file', async () => {
    const result = await runBuilt(['check', 'examples/delegation', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.ok).toBe(true);
    expect(json.inputs).toHaveLength(1);
    const routes = json.inputs[0]!.routes;
    expect(routes.map((r) => `${r.namespace}/${r.name}`)).toEqual([
      'banking/accounts',
      'banking/cards',
      'insurance/claims',
      'insurance/quotes',
      'kgateway-system/api',
      'payments/payments',
    ]);
    const payments = routes.find((r) => r.name === 'payments')!;
    expect(payments.file).toBe('examples/delegation/payments/routes.yaml');
    expect(payments.parents).toHaveLength(1);
    expect(payments.parents[0]!.parentRef).toMatchObject({
      kind: 'HTTPRoute',
      namespace: 'kgateway-system',
      name: 'api',
    });
    expect(payments.parents[0]!.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Accepted=True',
      'ResolvedRefs=True',
    ]);
  });

  it('--format github prints no annotation and a summary', async () => {
    const result = await runBuilt(['check', 'examples/delegation', '--format', 'github']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('::error');
    expect(result.stdout).toContain('examples/delegation: ok: 6 routes');
  });
});

describe("a team's mistakes", () => {
  it('fail with exit 1 and say which route, under which parent, why, and where', async () => {
    const dir = brokenExample();
    const result = await runBuilt(['check', dir], { cwd: dir });
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(
      /^banking\/greedy\s+HTTPRoute kgateway-system\/api\s+True\s+True\s+UnsupportedValue\s+banking\/routes\.yaml:\d+$/m,
    );
    expect(out).toMatch(
      /^banking\/hosted\s+HTTPRoute kgateway-system\/api\s+False\s+True\s+UnsupportedValue/m,
    );
    expect(out).toMatch(/^banking\/typo\s+\(none\)\s+-\s+-\s+NotAttached/m);
    const charge = lineOf(
      join(dir, 'banking/routes.yaml'),
      /name: greedy/,
      /value: \/payments\/charge/,
    );
    expect(out).toContain(
      `banking/routes.yaml:${charge - 2}:11: banking/greedy under HTTPRoute kgateway-system/api: PartiallyInvalid=True (UnsupportedValue): Dropped Rule 0 match 1 (PathPrefix /payments/charge)`,
    );
    const hostnames = lineOf(join(dir, 'banking/routes.yaml'), /name: hosted/, /hostnames:/);
    expect(out).toContain(
      `banking/routes.yaml:${hostnames}:3: banking/hosted under HTTPRoute kgateway-system/api: Accepted=False (UnsupportedValue): spec.hostnames`,
    );
    expect(out).toMatch(
      /banking\/routes\.yaml:\d+:1: banking\/typo: not attached: no parent route selects this route/,
    );
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'FAILED: 9 routes, 8 parent entries; 3 not Accepted and ResolvedRefs (or with dropped rules)',
    );
  });

  it('--format github annotates the file and line of each offending route', async () => {
    const dir = brokenExample();
    const result = await runBuilt(['check', '.', '--format', 'github'], { cwd: dir });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    const charge = lineOf(
      join(dir, 'banking/routes.yaml'),
      /name: greedy/,
      /value: \/payments\/charge/,
    );
    expect(annotations[0]).toBe(
      `::error file=banking/routes.yaml,line=${charge - 2},col=11,title=switchyard check%3A banking/greedy::banking/greedy under HTTPRoute kgateway-system/api: PartiallyInvalid=True (UnsupportedValue): Dropped Rule 0 match 1 (PathPrefix /payments/charge): path PathPrefix /payments/charge is outside the delegated prefix /banking; delegated scope is PathPrefix /banking from kgateway-system/api`,
    );
    expect(annotations[1]).toMatch(
      /^::error file=banking\/routes\.yaml,line=\d+,col=3,title=switchyard check%3A banking\/hosted::/,
    );
    expect(annotations[2]).toMatch(
      /^::error file=banking\/routes\.yaml,line=\d+,col=1,title=switchyard check%3A banking\/typo::banking\/typo: not attached/,
    );
  });

  it('--format json marks the failing entries and the unattached route', async () => {
    const dir = brokenExample();
    const result = await runBuilt(['check', dir, '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.ok).toBe(false);
    const routes = json.inputs[0]!.routes;
    const failing = routes.filter((r) => !r.ok).map((r) => r.name);
    expect(failing).toEqual(['greedy', 'hosted', 'typo']);
    expect(routes.find((r) => r.name === 'typo')).toMatchObject({
      parents: [],
      problems: [{ condition: 'NotAttached', reason: 'NotAttached', file: 'banking/routes.yaml' }],
    });
    const greedy = routes.find((r) => r.name === 'greedy')!;
    expect(greedy.parents[0]!.problems[0]).toMatchObject({
      condition: 'PartiallyInvalid',
      file: 'banking/routes.yaml',
    });
    // Everyone else is untouched by banking's mistakes.
    expect(routes.filter((r) => r.namespace !== 'banking').every((r) => r.ok)).toBe(true);
  });
});

describe('routing case files', () => {
  interface ExpectedStatus {
    route: string;
    parent: { kind?: string; namespace: string; name: string };
    conditions?: { type: string; status: string; reason?: string }[];
    absent?: boolean;
  }

  it('check reports, for every case file, the statuses the case expects', async () => {
    const result = await runBuilt(['check', 'packages/test-kit/cases', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.code);
    const json = JSON.parse(result.stdout) as CheckJson;
    const files = listYaml(casesRoot);
    expect(json.inputs.map((i) => join(repoRoot, i.source)).sort()).toEqual(files);
    let compared = 0;
    for (const input of json.inputs) {
      const caseFile = parse(readFileSync(join(repoRoot, input.source), 'utf8')) as {
        statuses?: ExpectedStatus[];
      };
      for (const expected of caseFile.statuses ?? []) {
        const [namespace, name] = expected.route.split('/');
        const route = input.routes.find((r) => r.namespace === namespace && r.name === name);
        const entries = (route?.parents ?? []).filter(
          (p) =>
            p.parentRef.kind === (expected.parent.kind ?? 'Gateway') &&
            p.parentRef.namespace === expected.parent.namespace &&
            p.parentRef.name === expected.parent.name,
        );
        const where = `${input.source}: ${expected.route} under ${expected.parent.namespace}/${expected.parent.name}`;
        if (expected.absent) {
          expect(entries, where).toEqual([]);
          continue;
        }
        expect(entries.length, where).toBeGreaterThan(0);
        for (const entry of entries) {
          for (const condition of expected.conditions ?? []) {
            const found = entry.conditions.find((c) => c.type === condition.type);
            expect(found, `${where}: ${condition.type}`).toMatchObject({
              status: condition.status,
              ...(condition.reason === undefined ? {} : { reason: condition.reason }),
            });
          }
          // The verdict follows from the conditions.
          const good =
            entry.conditions.every((c) =>
              c.type === 'PartiallyInvalid' ? c.status !== 'True' : true,
            ) &&
            entry.conditions.some((c) => c.type === 'Accepted' && c.status === 'True') &&
            entry.conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'True');
          expect(entry.ok, where).toBe(good);
        }
        compared++;
      }
      expect(input.ok).toBe(
        input.routes.every((r) => r.ok) &&
          input.diagnostics.every((d) => d.severity !== 'error') &&
          // Rule 27: an error finding fails the check even when every status is good.
          input.findings.every((f) => f.severity !== 'error'),
      );
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('points an unresolved backendRef at the line of that backendRef', async () => {
    const file = 'packages/test-kit/cases/delegation/rule-23-child-errors.yaml';
    const result = await runBuilt(['check', file, '--format', 'github']);
    expect(result.code).toBe(1);
    const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
    const ghost = lines.findIndex((l) => l.includes('{ name: ghost, port: 8080 }')) + 1;
    const nobody = lines.findIndex((l) => l.includes('name: nobody')) + 1;
    expect(result.stdout).toContain(
      `::error file=${file},line=${ghost},col=25,title=switchyard check%3A team-a/missing::team-a/missing under HTTPRoute infra/api: ResolvedRefs=False (BackendNotFound): Service team-a/ghost:8080: Service not found`,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `::error file=${file},line=${nobody},col=\\d+,title=switchyard check%3A team-a/nested::`,
      ),
    );
  });

  it('a single case file uses its own options and gateway, and its exit code follows its statuses', async () => {
    const good = await runBuilt([
      'check',
      'packages/test-kit/cases/delegation/rule-01-selection-by-label.yaml',
    ]);
    const bad = await runBuilt([
      'check',
      'packages/test-kit/cases/delegation/rule-12-hostnames.yaml',
    ]);
    expect(good.stdout).toMatch(
      /^DelegationSelectionByLabel \(packages\/test-kit\/cases\/delegation\/rule-01-selection-by-label\.yaml\)/,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'team-a/a-host under HTTPRoute infra/api: Accepted=False (UnsupportedValue): spec.hostnames',
    );
  });
});
