/**
 * `serve` in file mode, as a real process over a real copy of examples/delegation: the owners
 * file refuses a team's Gateway and another team's route on reload (rule 24), the served Gateway
 * never changes, and the backend map file is watched: an edit moves traffic, a typo key is named,
 * a broken file keeps the previous map.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  exampleDir,
  runBuilt,
  startBuilt,
  type RunningCli,
} from './helpers/built-cli.js';
import { freeBackendsFile, send } from './helpers/http.js';

let scratch: string;
let running: RunningCli | undefined;
let named: Server | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-serve-files-'));
}, 240_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await new Promise<void>((resolve) =>
    named === undefined ? resolve() : named.close(() => resolve()),
  );
  named = undefined;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function serveCopy(
  name: string,
): Promise<{ dir: string; get: (path: string) => ReturnType<typeof send> }> {
  const dir = join(scratch, name);
  cpSync(exampleDir, dir, { recursive: true });
  await freeBackendsFile(join(exampleDir, 'backends.local.yaml'), join(dir, 'backends.local.yaml'));
  running = startBuilt(
    [
      'serve',
      '.',
      '--demo-backends',
      '--port',
      '8080=0',
      '--debounce',
      '50',
      '--log-level',
      'silent',
    ],
    { cwd: dir },
  );
  const started = await running.waitFor(/Ctrl-C to stop/);
  const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(started)![1]!;
  return { dir, get: (path) => send(`${base}${path}`, { headers: { host: 'api.example.com' } }) };
}

/** An HTTP server answering every request with `name`, on a free port. */
async function answering(name: string): Promise<string> {
  named = createServer((_req, res) => res.end(JSON.stringify({ backend: name })));
  await new Promise<void>((resolve) => named!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(named.address() as { port: number }).port}`;
}

const backendOf = async (answer: Promise<{ status: number; body: string }>): Promise<string> => {
  const { status, body } = await answer;
  return status === 200 ? (JSON.parse(body) as { backend: string }).backend : String(status);
};

describe('rule 24 in file mode: owners.yaml', () => {
  it("a reload that adds a team Gateway and steals another team's route refuses both, naming file and rule; traffic stays", async () => {
    const { dir, get } = await serveCopy('owners');
    expect(running!.stdout()).toContain('gateway kgateway-system/http');
    expect(running!.stdout()).not.toContain('any file may declare');
    expect(running!.stdout()).toContain(
      'owners: owners.yaml (each folder declares only the namespaces it owns)',
    );
    writeFileSync(
      join(dir, 'banking/extra.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: mine, namespace: banking }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: http, port: 8080, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: payments
  namespace: payments
  labels: { delegation.kgateway.dev/label: payments-bff }
spec:
  rules:
    - backendRefs: [{ name: accounts, namespace: banking, port: 8080 }]
`,
    );
    const out = await running!.waitFor(/reload: added banking\/extra\.yaml[\s\S]*?table: /);
    expect(out).toMatch(
      /error: banking\/extra\.yaml:1:1: Gateway banking\/mine: folder "banking" may not declare Gateways; refused, not compiled \(owners\/gateways\)/,
    );
    expect(out).toMatch(
      /error: banking\/extra\.yaml:8:1: HTTPRoute payments\/payments: folder "banking" does not own namespace payments .*\(owners\/namespace\)/,
    );
    expect(await backendOf(get('/payments/charge'))).toBe('payments/payments-bff:8080');
    expect(await backendOf(get('/insurance/quotes'))).toBe('insurance/quotes:8080');
  });

  it('two Gateways and no --gateway: serve refuses to guess and lists them', async () => {
    const dir = join(scratch, 'no-owners');
    cpSync(exampleDir, dir, { recursive: true });
    unlinkSync(join(dir, 'owners.yaml'));
    writeFileSync(
      join(dir, 'banking/gateway.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: mine, namespace: banking }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: http, port: 8080, protocol: HTTP }]
`,
    );
    const result = await runBuilt(['serve', '.', '--port', '8080=0'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'switchyard: serve: there are 2 Gateways (banking/mine, kgateway-system/http); choose one with --gateway namespace/name',
    );
  });
});

describe('owners file errors are usage errors at start', () => {
  it('a malformed owners.yaml stops serve with file:line and exit 2; --owners names another file', async () => {
    const dir = join(scratch, 'bad-owners');
    cpSync(exampleDir, dir, { recursive: true });
    writeFileSync(
      join(dir, 'owners.yaml'),
      'owners:\n  - { folder: banking, namespaces: [banking], gateway: true }\n',
    );
    const bad = await runBuilt(['serve', '.', '--port', '8080=0'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toBe(
      'switchyard: owners.yaml:2:47: owners[0].gateway: unknown field; expected folder, namespaces, gateways',
    );
    const missing = await runBuilt(['serve', '.', '--owners', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('switchyard: no such file or directory: nope.yaml');
  });
});

describe('the backend map is watched', () => {
  it('an edit moves traffic, a key naming no backend is warned about, a broken file keeps the previous map', async () => {
    const { dir, get } = await serveCopy('backends');
    expect(await backendOf(get('/banking/accounts'))).toBe('banking/accounts:8080');
    const file = join(dir, 'backends.local.yaml');
    const map = (parse(readFileSync(file, 'utf8')) as { backends: Record<string, string> })
      .backends;
    const elsewhere = await answering('elsewhere');
    writeFileSync(
      file,
      stringify({
        backends: { ...map, 'banking/accounts:8080': elsewhere, 'banking/acounts:8080': elsewhere },
      }),
    );
    const out = await running!.waitFor(/backend map reloaded[\s\S]*?matches no backend/);
    expect(out).toContain('  ~ banking/accounts:8080');
    expect(out).toContain(
      'warning: backend map key banking/acounts:8080 matches no backend of any route (a typo? it is not used)',
    );
    expect(await backendOf(get('/banking/accounts'))).toBe('elsewhere');

    writeFileSync(file, 'backends: [');
    await running!.waitFor(
      /error: backend map not reloaded: --backends: backends\.local\.yaml does not parse/,
    );
    expect(await backendOf(get('/banking/accounts'))).toBe('elsewhere');
    expect(await backendOf(get('/banking/cards'))).toBe('banking/cards:8080');
  });
});

describe('regular expressions through the compile worker', () => {
  it('a team adds a RegularExpression path and header match on reload: served, in the team scope only', async () => {
    // A compiled regex is a function, which a thread boundary cannot copy: the table crosses with
    // its matches as plain sources and the serving thread compiles them again (rule 28).
    const { dir, get } = await serveCopy('regex');
    writeFileSync(
      join(dir, 'banking', 'statements.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: statements
  namespace: banking
  labels:
    delegation.kgateway.dev/label: banking-bff
spec:
  rules:
    - matches:
        - path: { type: RegularExpression, value: '/banking/statements/[0-9]{4}-[0-9]{2}' }
        - path: { type: PathPrefix, value: /banking/statements }
          headers: [{ type: RegularExpression, name: x-format, value: 'pdf|csv' }]
      backendRefs: [{ name: cards, port: 8080 }]
`,
    );
    await running!.waitFor(/reload: added banking\/statements\.yaml[\s\S]*?table: /);
    expect(await backendOf(get('/banking/statements/2026-11'))).toBe('banking/cards:8080');
    expect(await backendOf(get('/banking/statements/2026-1'))).toBe('404');
    const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(running!.stdout())![1]!;
    const withHeader = (format: string) =>
      send(`${base}/banking/statements/x`, {
        headers: { host: 'api.example.com', 'x-format': format },
      });
    expect(await backendOf(withHeader('csv'))).toBe('banking/cards:8080');
    expect(await backendOf(withHeader('xml'))).toBe('404');
    expect(await backendOf(get('/banking/accounts'))).toBe('banking/accounts:8080');
  });
});
