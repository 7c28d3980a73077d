/**
 * Rule 27 through the built CLI: the platform's `delegation.switchyard.dev/allowed-namespaces`
 * annotation refuses a route of an unlisted namespace that answers a `namespace: all` label
 * delegation (`NotAllowedByParent`, finding `namespace-not-allowed` on that route's own file) while
 * the victim team's `check -n` stays green; `--delegation-all-namespaces` (core option
 * `delegationAllNamespaces`) changes which value means "every namespace" in every command that
 * compiles; `check` compares Backends with the backend map (`backend-address-of-foreign-service`).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exampleDir, runBuilt } from './helpers/built-cli.js';

let scratch: string;
/** examples/delegation with the payments delegation written `namespace: all`. */
let dir: string;

const MARKETING = `apiVersion: v1
kind: Namespace
metadata: { name: marketing }
---
apiVersion: v1
kind: Service
metadata: { name: collector, namespace: marketing }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: skim
  namespace: marketing
  labels: { delegation.kgateway.dev/label: payments-bff }
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments/charge } }]
      backendRefs: [{ name: collector, port: 8080 }]
`;

const check = (...args: string[]) => runBuilt(['check', '.', ...args], { cwd: dir });

function copyExample(into: string): string {
  const target = join(scratch, into);
  cpSync(exampleDir, target, { recursive: true });
  const parent = join(target, 'platform/parent-route.yaml');
  const text = readFileSync(parent, 'utf8');
  const widened = text.replace(
    /name: payments-bff\n(\s+)namespace: payments/,
    'name: payments-bff\n$1namespace: all',
  );
  expect(widened).not.toBe(text);
  writeFileSync(parent, widened);
  // marketing is a tenant with a folder of its own (check applies the owners file, as serve does).
  const owners = join(target, 'owners.yaml');
  writeFileSync(
    owners,
    `${readFileSync(owners, 'utf8')}  - folder: marketing\n    namespaces: [marketing]\n`,
  );
  return target;
}

beforeAll(async () => {
  await ensureBuilt(['core', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-delegation-namespaces-'));
  dir = copyExample('example');
}, 240_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('rule 27: allowed-namespaces on the parent refuses other namespaces', () => {
  it('the example annotation lists the three teams in the comma-separated form the core parses', () => {
    const parent = readFileSync(join(exampleDir, 'platform/parent-route.yaml'), 'utf8');
    expect(parent).toMatch(
      /^\s+delegation\.switchyard\.dev\/allowed-namespaces: banking,insurance,payments$/m,
    );
  });

  it('a marketing route answering payments-bff is refused on its own file; payments stays green', async () => {
    const before = await check('-n', 'payments', '--format', 'github');
    expect(before.code).toBe(0);
    mkdirSync(join(dir, 'marketing'));
    writeFileSync(join(dir, 'marketing/routes.yaml'), MARKETING);
    try {
      const payments = await check('-n', 'payments', '--format', 'github');
      expect(payments).toEqual(before);

      const github = await check('-n', 'marketing', '--format', 'github');
      expect(github.code).toBe(1);
      expect(github.stdout).toMatch(
        /^::error file=marketing\/routes\.yaml,line=\d+.*Accepted=False \(NotAllowedByParent\).*only to namespaces banking, insurance, payments/m,
      );
      expect(github.stdout).toMatch(
        /^::warning file=marketing\/routes\.yaml,line=\d+.*namespace-not-allowed::HTTPRoute marketing\/skim: kgateway-system\/api delegates label payments-bff only to namespaces banking, insurance, payments/m,
      );
      expect(github.stdout).not.toMatch(/file=(platform|payments)\//);

      const text = await check('-n', 'marketing');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('NotAllowedByParent');
      expect(text.stdout).toMatch(/marketing\/routes\.yaml:\d+.*namespace-not-allowed/);

      const json = await check('-n', 'marketing', '--format', 'json');
      expect(json.code).toBe(1);
      const findings = (
        JSON.parse(json.stdout) as { inputs: { findings: { code: string; file?: string }[] }[] }
      ).inputs[0]!.findings;
      expect(findings).toContainEqual(
        expect.objectContaining({ code: 'namespace-not-allowed', file: 'marketing/routes.yaml' }),
      );

      // Traffic: /payments/charge still goes to the payments team's backend.
      const explained = await runBuilt(
        ['explain', '.', 'POST', 'http://api.example.com:8080/payments/charge'],
        { cwd: dir },
      );
      expect(explained.stdout).toContain('payments/payments-bff');
      expect(explained.stdout).not.toContain('marketing/collector');
    } finally {
      rmSync(join(dir, 'marketing'), { recursive: true, force: true });
    }
  });
});

describe('--delegation-all-namespaces on every command that compiles', () => {
  // With the value changed, `namespace: all` names a namespace called "all": payments' routes
  // are no longer selected for /payments.
  const flag = ['--delegation-all-namespaces', 'every-namespace'];

  it('check: payments is no longer attached', async () => {
    expect((await check('-n', 'payments')).code).toBe(0);
    const changed = await check('-n', 'payments', ...flag);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('not attached');
  });

  it('routes: /payments/charge is listed only without the flag', async () => {
    const plain = await runBuilt(['routes', '.'], { cwd: dir });
    const changed = await runBuilt(['routes', '.', ...flag], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(changed.code).toBe(0);
    expect(plain.stdout).toContain('/payments/charge');
    expect(changed.stdout).not.toContain('/payments/charge');
  });

  it('explain: the payments request reaches payments-bff only without the flag', async () => {
    const args = ['explain', '.', 'POST', 'http://api.example.com:8080/payments/charge'];
    const plain = await runBuilt(args, { cwd: dir });
    const changed = await runBuilt([...args, ...flag], { cwd: dir });
    expect(plain.stdout).toContain('payments/payments-bff');
    expect(changed.stdout).not.toContain('payments/payments-bff');
  });

  it('graph: the payments routes hang under the parent only without the flag', async () => {
    const plain = await runBuilt(['graph', '.', '--format', 'dot'], { cwd: dir });
    const changed = await runBuilt(['graph', '.', '--format', 'dot', ...flag], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(changed.code).toBe(0);
    expect(changed.stdout).not.toEqual(plain.stdout);
  });

  it.each(['check', 'routes', 'explain', 'graph', 'serve'])(
    '%s: a value that is not a namespace name is a usage error (exit 2)',
    async (command) => {
      const request = command === 'explain' ? ['GET', 'http://api.example.com/'] : [];
      const result = await runBuilt(
        [command, '.', ...request, '--delegation-all-namespaces', 'a,b'],
        { cwd: dir },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--delegation-all-namespaces must be a namespace name');
    },
  );
});

describe('--delegation-all-namespaces with serve --kubernetes', () => {
  it('is passed to the cluster source: accepted, so the run ends on the unreachable cluster (exit 3), not on the flag (exit 2)', async () => {
    const result = await runBuilt(
      [
        'serve',
        '--kubernetes',
        '--exit-on-unreachable',
        '--gateway',
        'a/b',
        '--delegation-all-namespaces',
        'every-namespace',
      ],
      { cwd: dir, env: { KUBECONFIG: join(scratch, 'no-such-kubeconfig') } },
    );
    expect(result.stderr).not.toContain('--delegation-all-namespaces');
    expect(result.code).not.toBe(2);
  });
});

describe('check compares Backends with the backend map', () => {
  const backendAt = (address: string) => `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: { name: sidedoor, namespace: banking }
spec:
  type: Static
  static: { hosts: [{ host: ${address.split(':')[0]}, port: ${address.split(':')[1]} }] }
`;

  it('rule 27: a banking Backend at payments-bff’s address is reported on banking’s file', async () => {
    const victim = await check('-n', 'payments', '--format', 'github');
    // payments/payments-bff:8080 is http://127.0.0.1:9103 in backends.local.yaml.
    writeFileSync(join(dir, 'banking/sidedoor.yaml'), backendAt('127.0.0.1:9103'));
    try {
      const banking = await check('-n', 'banking', '--format', 'github');
      expect(banking.code).toBe(1);
      expect(banking.stdout).toMatch(
        /^::error file=banking\/sidedoor\.yaml,line=\d+.*backend-address-of-foreign-service::Backend banking\/sidedoor: 127\.0\.0\.1:9103 is an address of Service payments\/payments-bff/m,
      );
      expect(await check('-n', 'payments', '--format', 'github')).toEqual(victim);

      // Another map (--backends) puts payments-bff elsewhere: no finding.
      const other = join(scratch, 'other-backends.yaml');
      writeFileSync(other, "backends:\n  'payments/payments-bff:8080': 'http://127.0.0.1:9999'\n");
      const elsewhere = await check('-n', 'banking', '--backends', other, '--format', 'github');
      expect(elsewhere.stdout).not.toContain('backend-address-of-foreign-service');
      expect(elsewhere.code).toBe(0);
    } finally {
      rmSync(join(dir, 'banking/sidedoor.yaml'), { force: true });
    }
  });

  it('--backends naming a missing file is a usage error (exit 2)', async () => {
    const result = await check('--backends', 'nope.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--backends: cannot read nope.yaml');
  });
});
