/**
 * delegation.md rule 24 in file mode, for the one-shot commands: `check`, `routes` and `explain`
 * apply the owners file as `serve` does. Banking's folder of a copy of examples/delegation
 * declares a payments Service and route (which, compiled, would take /payments/charge/stolen) and
 * a Gateway. The objects are refused and not compiled; `check` reports them on banking's file and
 * fails banking's verdict; payments' `check -n payments` and everyone's routes are as before.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, exampleDir, runBuilt, type CliResult } from './helpers/built-cli.js';

const EVIL = `# banking's folder, declaring payments' objects and a Gateway of its own.
apiVersion: v1
kind: Service
metadata:
  name: stolen
  namespace: payments
spec:
  ports:
    - port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: steal
  namespace: payments
  labels:
    delegation.kgateway.dev/label: payments-bff
spec:
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /payments/charge/stolen
      backendRefs:
        - name: stolen
          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: evil
  namespace: banking
spec:
  gatewayClassName: kgateway
  listeners:
    - name: http
      protocol: HTTP
      port: 8080
`;
const FORMATS = ['text', 'json', 'github'] as const;
const STOLEN = 'http://api.example.com/payments/charge/stolen';

let scratch: string;
/** The example as shipped. */
let pristine: string;
/** The example with banking/evil.yaml. */
let attacked: string;

beforeAll(async () => {
  await ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-check-owners-'));
  pristine = join(scratch, 'pristine');
  attacked = join(scratch, 'attacked');
  cpSync(exampleDir, pristine, { recursive: true });
  cpSync(exampleDir, attacked, { recursive: true });
  writeFileSync(join(attacked, 'banking/evil.yaml'), EVIL);
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(cwd: string, ...args: string[]): Promise<CliResult> {
  return runBuilt(args, { cwd });
}

describe('rule 24 (file mode): check applies the owners file', () => {
  it('reports every refused object on banking/evil.yaml with its rule, exit 1, in text', async () => {
    const { code, stdout } = await cli(attacked, 'check', '.');
    expect(code).toBe(1);
    expect(stdout).toContain('refused by the owners file (not compiled):');
    expect(stdout).toMatch(
      /error: banking\/evil\.yaml:2:1: Service payments\/stolen: folder "banking" does not own namespace payments .*\[owners\/namespace\]/,
    );
    expect(stdout).toMatch(
      /error: banking\/evil\.yaml:11:1: HTTPRoute payments\/steal: .*\[owners\/namespace\]/,
    );
    expect(stdout).toMatch(
      /error: banking\/evil\.yaml:28:1: Gateway banking\/evil: .*\[owners\/gateways\]/,
    );
    expect(stdout).toContain('3 objects refused by the owners file');
    // Not compiled: no status row for the refused route.
    expect(stdout).not.toMatch(/^payments\/steal /m);
  });

  it('reports them in json with rule, object, offender namespaces and file:line', async () => {
    const { code, stdout } = await cli(attacked, 'check', '.', '--format', 'json');
    expect(code).toBe(1);
    const document = JSON.parse(stdout) as {
      ok: boolean;
      inputs: { refused: Record<string, unknown>[]; routes: { name: string }[] }[];
    };
    expect(document.ok).toBe(false);
    const [input] = document.inputs;
    expect(input!.routes.map((r) => r.name)).not.toContain('steal');
    expect(input!.refused).toEqual([
      expect.objectContaining({
        rule: 'owners/namespace',
        object: { kind: 'Service', namespace: 'payments', name: 'stolen' },
        offenders: ['banking'],
        file: 'banking/evil.yaml',
        line: 2,
      }),
      expect.objectContaining({
        rule: 'owners/namespace',
        object: { kind: 'HTTPRoute', namespace: 'payments', name: 'steal' },
        file: 'banking/evil.yaml',
        line: 11,
      }),
      expect.objectContaining({
        rule: 'owners/gateways',
        object: { kind: 'Gateway', namespace: 'banking', name: 'evil' },
        file: 'banking/evil.yaml',
        line: 28,
      }),
    ]);
  });

  it('annotates banking/evil.yaml in github format', async () => {
    const { code, stdout } = await cli(attacked, 'check', '.', '--format', 'github');
    expect(code).toBe(1);
    const errors = stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(3);
    expect(errors[1]).toMatch(
      /^::error file=banking\/evil\.yaml,line=11,col=1,title=switchyard check%3A owners\/namespace::HTTPRoute payments\/steal/,
    );
    expect(errors[2]).toMatch(/^::error file=banking\/evil\.yaml,line=28,.*owners\/gateways/);
  });

  it.each(FORMATS)(
    'a refusal fails the offender: check -n banking exits 1 (%s)',
    async (format) => {
      const pristineRun = await cli(pristine, 'check', '.', '-n', 'banking', '--format', format);
      expect(pristineRun.code).toBe(0);
      const { code, stdout } = await cli(
        attacked,
        'check',
        '.',
        '-n',
        'banking',
        '--format',
        format,
      );
      expect(code).toBe(1);
      expect(stdout).toContain('banking/evil.yaml');
    },
  );

  it.each(FORMATS)(
    'never the victim: check -n payments prints and exits exactly as before (%s)',
    async (format) => {
      const before = await cli(pristine, 'check', '.', '-n', 'payments', '--format', format);
      const after = await cli(attacked, 'check', '.', '-n', 'payments', '--format', format);
      expect(before.code).toBe(0);
      expect(after).toEqual(before);
    },
  );
});

describe('rule 24 (file mode): a folder no owners entry names', () => {
  it('is refused (owners/unowned-folder): fails check without -n, never check -n payments', async () => {
    const stray = join(scratch, 'stray');
    cpSync(pristine, stray, { recursive: true });
    mkdirSync(join(stray, 'stray'));
    writeFileSync(join(stray, 'stray/route.yaml'), EVIL);
    const all = await cli(stray, 'check', '.', '--format', 'github');
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(
      /^::error file=stray\/route\.yaml,line=11,.*owners\/unowned-folder::/m,
    );
    const before = await cli(pristine, 'check', '.', '-n', 'payments');
    expect(await cli(stray, 'check', '.', '-n', 'payments')).toEqual(before);
  });
});

describe('rule 24 (file mode): routes and explain do not compile refused objects', () => {
  it('routes prints the same table as before the attack', async () => {
    const before = await cli(pristine, 'routes', '.');
    const after = await cli(attacked, 'routes', '.');
    expect(before.code).toBe(0);
    expect(after).toEqual(before);
  });

  it("explain sends the stolen path to payments' own backend", async () => {
    const before = await cli(pristine, 'explain', '.', 'GET', STOLEN);
    const after = await cli(attacked, 'explain', '.', 'GET', STOLEN);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(before.stdout);
    expect(after.stdout).toContain('forward to Service payments/payments-bff:8080');
  });

  it('without an owners file the same folder would take the path (what the owners file prevents)', async () => {
    const open = join(scratch, 'open');
    cpSync(attacked, open, { recursive: true });
    rmSync(join(open, 'owners.yaml'));
    const { stdout } = await cli(
      open,
      'explain',
      '.',
      'GET',
      STOLEN,
      '--gateway',
      'kgateway-system/http',
    );
    expect(stdout).toContain('forward to Service payments/stolen:8080');
  });
});

describe('owners file discovery and errors', () => {
  it('--owners names the owners file when it is not at the top of the first path', async () => {
    const { code, stdout } = await cli(
      attacked,
      'check',
      'platform',
      'banking',
      'payments',
      '--owners',
      'owners.yaml',
      '--format',
      'json',
    );
    expect(code).toBe(1);
    const document = JSON.parse(stdout) as { inputs: { refused?: unknown[] }[] };
    expect(document.inputs[0]!.refused).toHaveLength(3);
    // Without it, owners.yaml is not at the top of `platform`: no owners model.
    const without = await cli(attacked, 'routes', 'platform', 'banking', 'payments');
    expect(without.code).not.toBe(0); // two Gateways: the refused one is back
  });

  it.each(FORMATS)('a malformed owners file is unusable input, exit 2 (%s)', async (format) => {
    const broken = join(scratch, `broken-${format}`);
    cpSync(pristine, broken, { recursive: true });
    writeFileSync(
      join(broken, 'owners.yaml'),
      'owners:\n  - folder: banking\n    namespaces: [banking]\n    gateway: true\n',
    );
    const { code, stdout, stderr } = await cli(broken, 'check', '.', '--format', format);
    expect(code).toBe(2);
    expect(stderr).toMatch(/owners\.yaml:4:5: owners file: owners\[0\]\.gateway: unknown field/);
    if (format === 'json') {
      const document = JSON.parse(stdout) as { ok: boolean; errors: Record<string, unknown>[] };
      expect(document.ok).toBe(false);
      expect(document.errors[0]).toMatchObject({
        code: 'owners-file',
        file: 'owners.yaml',
        line: 4,
      });
    }
    if (format === 'github') expect(stdout).toMatch(/^::error file=owners\.yaml,line=4,/m);
  });

  it('routes and explain refuse a malformed owners file too (exit 2)', async () => {
    const broken = join(scratch, 'broken-routes');
    cpSync(pristine, broken, { recursive: true });
    writeFileSync(join(broken, 'owners.yaml'), 'owners: banking\n');
    expect((await cli(broken, 'routes', '.')).code).toBe(2);
    expect((await cli(broken, 'explain', '.', 'GET', STOLEN)).code).toBe(2);
  });

  it('an --owners file that does not exist is unusable input (exit 2)', async () => {
    const { code, stderr } = await cli(pristine, 'check', '.', '--owners', 'nope.yaml');
    expect(code).toBe(2);
    expect(stderr).toContain('--owners: no such file or directory: nope.yaml');
  });
});
