/**
 * `check -n NS` (delegation.md rule 27): one team's verdict counts only what the team owns, while
 * everything given is compiled; findings are rendered on the file of the object that causes them;
 * unusable input is reported in every format; `-` reads standard input. In-process (`runCli`),
 * with the example's real files.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckGithub, formatCheckText, checkJson } from '../src/check/check-format.js';
import { checkReport } from '../src/check/check-report.js';
import { scopeReport } from '../src/check/check-scope.js';
import { loadInputs } from '../src/commands/inputs.js';
import { compileSet } from '@switchyard/files';
import { exampleDir } from './helpers/built-cli.js';
import { runInProcess } from './helpers/in-process.js';

let scratch: string;
let example: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-check-scope-'));
  example = join(scratch, 'example');
  cpSync(exampleDir, example, { recursive: true });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: readonly string[], stdin?: string) => runInProcess(args, example, stdin);

/** A banking file written to attack: it reaches into /payments in every way the core allows. */
const HOSTILE_BANKING = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: steal-charge, namespace: banking, labels: { delegation.kgateway.dev/label: banking-bff } }
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments/charge } }]
      backendRefs: [{ name: accounts, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: direct, namespace: banking }
spec:
  parentRefs: [{ name: http, namespace: kgateway-system }]
  hostnames: [api.example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments/refund } }]
      backendRefs: [{ name: accounts, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: lookalike, namespace: banking, labels: { delegation.kgateway.dev/label: payments-bff } }
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments/providers/evil } }]
      backendRefs: [{ name: ghost, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { namespace: banking }
spec: {}
`;

describe('check -n NS: a verdict scoped to one team', () => {
  it("rule 27: the platform's parent is judged only with -n <platform namespace>", async () => {
    const paths = ['platform', 'banking'];
    const all = await run(['check', ...paths]);
    expect(all.code).toBe(1); // the parent's insurance and payments delegations have no child here
    const banking = await run(['check', ...paths, '-n', 'banking']);
    expect(banking.code).toBe(0);
    expect(banking.stdout).toContain('banking/accounts');
    expect(banking.stdout).not.toMatch(/^kgateway-system\/api /m);
    const github = await run(['check', ...paths, '-n', 'banking', '--format', 'github']);
    expect(github.code).toBe(0);
    expect(github.stdout).not.toContain('::error');
    const platform = await run(['check', ...paths, '-n', 'kgateway-system', '--format', 'github']);
    expect(platform.code).toBe(1);
    expect(platform.stdout).toMatch(/^::error file=platform\/parent-route\.yaml,line=\d+/m);
  });

  it('rule 27: -n is repeatable; the union of namespaces is judged', async () => {
    const result = await run([
      'check',
      'platform',
      'banking',
      '-n',
      'banking',
      '-n',
      'kgateway-system',
    ]);
    expect(result.code).toBe(1);
    const json = JSON.parse(
      (await run(['check', '.', '-n', 'banking', '-n', 'payments', '--format', 'json'])).stdout,
    );
    expect(json.inputs[0].namespaces).toEqual(['banking', 'payments']);
    const namespaces = new Set(
      json.inputs[0].routes.map((r: { namespace: string }) => r.namespace),
    );
    expect([...namespaces].sort()).toEqual(['banking', 'payments']);
  });

  it("rule 27: a victim team's output and exit code do not change when a hostile banking file is added", async () => {
    const formats = ['text', 'json', 'github'] as const;
    const before = await Promise.all(
      formats.map((f) => run(['check', '.', '-n', 'payments', '--format', f])),
    );
    const beforeBanking = await run(['check', '.', '-n', 'banking']);
    const hostile = join(example, 'banking', 'hostile.yaml');
    writeFileSync(hostile, HOSTILE_BANKING);
    try {
      for (const [i, format] of formats.entries()) {
        const after = await run(['check', '.', '-n', 'payments', '--format', format]);
        expect({ format, code: after.code, stdout: after.stdout }).toEqual({
          format,
          code: before[i]!.code,
          stdout: before[i]!.stdout,
        });
        expect(after.code).toBe(0);
      }
      // The attacker's own verdict fails, on its own file.
      const banking = await run(['check', '.', '-n', 'banking', '--format', 'github']);
      expect(beforeBanking.code).toBe(0);
      expect(banking.code).toBe(1);
      const files = [...banking.stdout.matchAll(/^::error file=([^,]+)/gm)].map((m) => m[1]);
      expect(files.length).toBeGreaterThan(0);
      expect(new Set(files)).toEqual(new Set(['banking/hostile.yaml']));
    } finally {
      rmSync(hostile);
    }
  });

  it('a namespace with no object among the inputs is a typo, not a pass (exit 2, the present ones listed)', async () => {
    const result = await run(['check', 'platform', 'banking', '-n', 'bankng', '--format', 'json']);
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ ok: false, errors: [{ code: 'unknown-namespace' }] });
    expect(document.errors[0].message).toContain('namespaces present: banking, kgateway-system');
  });

  it('rejects a namespace that is not a Kubernetes name (exit 2)', async () => {
    const result = await run(['check', '.', '-n', 'Bad_NS', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, errors: [{ code: 'usage' }] });
  });
});

describe('findings (CompileResult.findings) in every format', () => {
  /** The example compiled, with findings as the core reports them (handed in here). */
  function reportWith(findings: Finding[]) {
    const [set] = loadInputs(['.'], example).sets;
    const compiled = compileSet(set!);
    return checkReport({ ...compiled, result: { ...compiled.result, findings } });
  }
  const graft: Finding = {
    code: 'grafts-foreign-routes',
    severity: 'error',
    object: { kind: 'HTTPRoute', namespace: 'banking', name: 'cards' },
    path: 'spec.rules[0].backendRefs[0]',
    affects: ['payments'],
    reached: [{ kind: 'HTTPRoute', namespace: 'payments', name: 'payments' }],
    message: 'selects payments/payments in namespace payments, grafting it under /banking/cards',
  };

  it('rule 27: a finding is shown on the line of the field that causes it, and fails only its own namespace', () => {
    const report = reportWith([graft]);
    expect(report.ok).toBe(false);
    const cwd = example;
    const input = { source: '.', objectCount: 0, fileCount: 0, report };
    const text = formatCheckText([input], cwd);
    const cardsYaml = readFileSync(join(example, 'banking/routes.yaml'), 'utf8').split('\n');
    const line = Number(
      /banking\/routes\.yaml:(\d+):\d+: HTTPRoute banking\/cards/.exec(text)?.[1],
    );
    expect(cardsYaml[line - 1]).toMatch(/^\s+- name: cards/);
    expect(text).toContain('[grafts-foreign-routes]');
    expect(text).toContain('(affects payments)');
    const github = formatCheckGithub([input], cwd);
    expect(github).toContain(`::error file=banking/routes.yaml,line=${line},`);
    expect(github).toContain('title=switchyard check%3A grafts-foreign-routes');
    const json = checkJson([input], cwd) as { inputs: { findings: unknown[] }[] };
    expect(json.inputs[0]!.findings).toEqual([
      expect.objectContaining({ code: 'grafts-foreign-routes', file: 'banking/routes.yaml', line }),
    ]);
    expect(scopeReport(report, ['banking']).ok).toBe(false);
    expect(scopeReport(report, ['payments']).ok).toBe(true);
    expect(scopeReport(report, ['payments']).findings).toEqual([]);
  });

  it('a warning finding is reported and does not fail', () => {
    const report = reportWith([{ ...graft, severity: 'warning' }]);
    expect(report.ok).toBe(true);
    const github = formatCheckGithub(
      [{ source: '.', objectCount: 0, fileCount: 0, report }],
      example,
    );
    expect(github).toMatch(/^::warning file=banking\/routes\.yaml/m);
  });

  it("rule 27: a reached route's status under the parent a finding names does not count against its namespace", () => {
    const base = reportWith([graft]);
    const failing = {
      route: { namespace: 'payments', name: 'payments' },
      parent: {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute',
        namespace: 'banking',
        name: 'cards',
      },
      conditions: [],
      ok: false,
      problems: [
        {
          condition: 'Accepted',
          status: 'False',
          reason: 'NotAllowedByParent',
          message: 'grafted',
        },
      ],
    };
    const report = { ...base, rows: [...base.rows, failing] };
    expect(scopeReport(report, ['payments']).ok).toBe(true);
    expect(scopeReport(report, ['payments']).rows).not.toContainEqual(failing);
    // Without the finding naming it, the same row counts.
    const unexplained = { ...report, findings: [] };
    expect(scopeReport(unexplained, ['payments']).ok).toBe(false);
  });
});

describe('unusable input in every format; standard input', () => {
  const broken = 'apiVersion: v1\nkind: Service\nmetadata: { name: x\n';

  it('a YAML syntax error: JSON on stdout, an ::error line with file, line and column, exit 2', async () => {
    const dir = join(scratch, 'broken');
    cpSync(exampleDir, dir, { recursive: true });
    writeFileSync(join(dir, 'banking', 'routes.yaml'), broken);
    const json = await runInProcess(['check', '.', '--format', 'json'], dir);
    expect(json.code).toBe(2);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({
      ok: false,
      errors: [
        {
          code: 'parse-error',
          file: 'banking/routes.yaml',
          line: expect.any(Number),
          column: expect.any(Number),
        },
      ],
    });
    expect(document.errors[0].message).not.toBe('');
    const github = await runInProcess(['check', '.', '--format', 'github'], dir);
    expect(github.code).toBe(2);
    expect(github.stdout).toMatch(
      /^::error file=banking\/routes\.yaml,line=\d+,col=\d+,title=switchyard check%3A parse-error::/m,
    );
    const text = await runInProcess(['check', '.'], dir);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^switchyard: banking\/routes\.yaml:\d+:\d+: /);
  });

  it('every other input error is JSON / ::error too, with its exit code', async () => {
    const cases: [string[], string][] = [
      [['check', 'nowhere', '--format', 'json'], 'missing-path'],
      [['check', 'requests.yaml', '--format', 'json'], 'no-objects'],
      [['check', '.', '--gateway', 'a/b', '--format', 'json'], 'unknown-gateway'],
      [['check', '.', '--bogus', '--format', 'json'], 'usage'],
      [['check', '--format=json'], 'usage'],
    ];
    for (const [args, code] of cases) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, errors: [{ code }] });
      const github = await run(
        args.map((a) => (a === 'json' ? 'github' : a === '--format=json' ? '--format=github' : a)),
      );
      expect(github.code).toBe(2);
      expect(github.stdout).toMatch(/^::error /m);
    }
  });

  it('check - reads a multi-document stream from standard input, alone or with folders', async () => {
    const parent = readFileSync(join(example, 'platform/parent-route.yaml'), 'utf8');
    const gateway = readFileSync(join(example, 'platform/gateway.yaml'), 'utf8');
    const banking = readFileSync(join(example, 'banking/routes.yaml'), 'utf8');
    const alone = await run(
      ['check', '-', '-n', 'banking'],
      `${gateway}\n---\n${parent}\n---\n${banking}`,
    );
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('banking/cards');
    const combined = await run(
      ['check', 'platform', '-', '-n', 'banking', '--format', 'json'],
      banking,
    );
    expect(combined.code).toBe(0);
    const routes = JSON.parse(combined.stdout).inputs[0].routes;
    expect(routes.map((r: { file: string }) => r.file)).toEqual(['<stdin>', '<stdin>']);
    const bad = await run(['check', 'platform', '-', '--format', 'github'], broken);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^::error file=<stdin>,line=\d+/m);
  });
});
