/**
 * `switchyard serve`, end to end through the built CLI: the README's main command brings up the
 * example with its demo backends and every printed curl line answers from the right backend;
 * the sample requests land where `requests.yaml` says; edits reload and say what changed; a
 * broken file keeps its last good routes; bad flags and busy ports are one-line errors.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  exampleDir,
  runBuilt,
  startBuilt,
  type RunningCli,
} from './helpers/built-cli.js';
import { freeBackendsFile, parseCurl, send } from './helpers/http.js';

let scratch: string;
let backendsFile: string;
let running: RunningCli | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
  backendsFile = join(scratch, 'backends.yaml');
  await freeBackendsFile(join(exampleDir, 'backends.local.yaml'), backendsFile);
}, 240_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The README's main command, with the example's backend map moved to free ports (same keys).
const main = (): string[] => [
  'serve',
  'examples/delegation',
  '--backends',
  backendsFile,
  '--demo-backends',
];

/** The local URL printed for the Gateway listener on `port`. */
function listenerUrl(stdout: string, port = 8080): string {
  const found = new RegExp(`listener http :${port} {2}→ {2}(http://\\S+)`).exec(stdout);
  if (!found) throw new Error(`no listener address in:\n${stdout}`);
  return found[1]!;
}

describe("the README's main command", () => {
  it('serves the example: every printed curl line answers from the backend it names', async () => {
    running = startBuilt([
      ...main(),
      '--port',
      '8080=0',
      '--admin-port',
      '0',
      '--log-level',
      'silent',
    ]);
    const stdout = await running.waitFor(/Ctrl-C to stop/);
    expect(stdout).toMatch(/^switchyard serve: examples\/delegation \(18 objects from 5 files\)$/m);
    expect(stdout).toContain('gateway kgateway-system/http');
    expect(stdout).toMatch(/^demo backends: 7 echo servers$/m);
    expect(stdout).toContain(
      'table: 8 flattened routes on 1 listener; ok: 6 routes, 6 parent entries, all Accepted and ResolvedRefs',
    );
    // backends.local.yaml covers every backend of the example.
    expect(stdout).not.toContain('not in the backend map');
    const base = listenerUrl(stdout);
    const tries = stdout
      .split('\n')
      .filter((l) => l.startsWith('  curl '))
      .map((l) => {
        const [command, expected] = l.trim().split(/\s+# /);
        return { ...parseCurl(command!), expected: expected! };
      });
    expect(tries).toHaveLength(8);
    const teams = new Set<string>();
    for (const attempt of tries) {
      expect(attempt.url.startsWith(base)).toBe(true);
      const answer = await send(attempt.url, { method: attempt.method, headers: attempt.headers });
      expect(answer.status, attempt.url).toBe(200);
      const echoed = JSON.parse(answer.body) as { backend: string };
      // "# Service banking/accounts:8080" → the demo backend standing in for banking/accounts:8080.
      expect(echoed.backend, attempt.url).toBe(attempt.expected.split(' ')[1]);
      teams.add(echoed.backend.split('/')[0]!);
    }
    expect([...teams].sort()).toEqual(['banking', 'insurance', 'payments']);

    const admin = /^admin (http:\/\/\S+)/m.exec(stdout)![1]!;
    expect((await send(`${admin}/healthz`)).status).toBe(200);
    expect((await send(`${admin}/readyz`)).status).toBe(200);
    expect((await send(`${admin}/metrics`)).body).toContain(
      'switchyard_requests_total{route="banking/accounts"',
    );

    // Serve compiles again once its ports are bound (self-target findings); on the example that
    // finds nothing and changes nothing, so it says nothing.
    expect(running.stdout()).not.toMatch(/^(reload|recompiled)/m);
    expect(await running.stop()).toBe(0);
    expect(running.stdout()).toMatch(/stopping\n$/);
  });

  it('the sample requests of requests.yaml land on the expected demo backends, upstream paths included', async () => {
    running = startBuilt([...main(), '--port', '8080=0', '--log-level', 'silent']);
    const base = listenerUrl(await running.waitFor(/Ctrl-C to stop/));
    const samples = parse(readFileSync(join(exampleDir, 'requests.yaml'), 'utf8')) as {
      name: string;
      request: { method?: string; host: string; path: string; headers?: Record<string, string> };
      expect: {
        backend?: { namespace: string; name: string; port: number };
        status?: number;
        upstream?: { path: string };
      };
    }[];
    for (const { name, request, expect: wanted } of samples) {
      const answer = await send(`${base}${request.path}`, {
        method: request.method ?? 'GET',
        headers: { host: request.host, ...request.headers },
      });
      if (wanted.backend !== undefined) {
        expect(answer.status, name).toBe(200);
        const echoed = JSON.parse(answer.body) as { backend: string; path: string; host: string };
        const { namespace, name: service, port } = wanted.backend;
        expect(echoed.backend, name).toBe(`${namespace}/${service}:${port}`);
        expect(echoed.path, name).toBe(wanted.upstream?.path ?? request.path);
      } else {
        expect(answer.status, name).toBe(wanted.status);
      }
    }
  });
});

describe('reloading', () => {
  it('says what changed, keeps the last good objects of a broken file, drops a deleted one', async () => {
    const dir = join(scratch, 'reload');
    cpSync(exampleDir, dir, { recursive: true });
    await freeBackendsFile(
      join(exampleDir, 'backends.local.yaml'),
      join(dir, 'backends.local.yaml'),
    );
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
    // No --backends: the backends.local.yaml next to the manifests is the map.
    expect(started).toContain('backend map: backends.local.yaml (found next to the manifests)');
    const base = listenerUrl(started);
    const get = (path: string) => send(`${base}${path}`, { headers: { host: 'api.example.com' } });
    expect((await get('/banking/loans')).status).toBe(404);
    expect((await get('/banking/accounts')).status).toBe(200);

    const banking = join(dir, 'banking/routes.yaml');
    const original = readFileSync(banking, 'utf8');
    const withLoans = original.replace(
      'value: /banking/cards',
      'value: /banking/cards\n        - path:\n            type: PathPrefix\n            value: /banking/loans',
    );
    expect(withLoans).not.toBe(original);
    writeFileSync(banking, withLoans);
    let out = await running.waitFor(/reload: changed banking\/routes\.yaml[\s\S]*?table: /);
    expect(out).toContain(
      '  + http: api.example.com  PathPrefix /banking/loans  kgateway-system/api#0 > banking/cards#0.1  => forward banking/cards:8080 w1',
    );
    const loans = await get('/banking/loans/7');
    expect(loans.status).toBe(200);
    expect((JSON.parse(loans.body) as { backend: string }).backend).toBe('banking/cards:8080');

    writeFileSync(banking, `${withLoans}\n  oops: [\n`);
    out = await running.waitFor(
      /error: banking\/routes\.yaml:\d+:\d+: .*; keeping its last good objects \(5\)/,
    );
    expect((await get('/banking/loans/7')).status).toBe(200);
    expect((await get('/payments/charge')).status).toBe(200);

    rmSync(banking);
    out = await running.waitFor(/reload: removed banking\/routes\.yaml/);
    expect(out).toMatch(/ {2}- http: api\.example\.com {2}PathPrefix \/banking\/accounts/);
    expect(out).toMatch(
      / {2}~ kgateway-system\/api under Gateway kgateway-system\/http: Accepted=True ResolvedRefs=False\(BackendNotFound\)/,
    );
    // Banking's prefix now answers 500 (no valid child); nobody else is affected.
    expect((await get('/banking/accounts')).status).toBe(500);
    expect((await get('/insurance/quotes')).status).toBe(200);
  });
});

describe('errors', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  it('a busy port is a one-line error, exit 3, and leaves nothing running', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = await runBuilt([
      'serve',
      'examples/delegation',
      '--port',
      `8080=${port}`,
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^switchyard: cannot listen: .*EADDRINUSE.*--port LISTENER_PORT=LOCAL_PORT/,
    );
  });

  it.each([
    [['serve'], /serve needs paths to serve \(or --kubernetes\)/],
    [
      ['serve', 'examples/delegation/platform', '--demo-backends'],
      /--demo-backends needs a backend map/,
    ],
    [
      ['serve', 'examples/delegation', '--backends', 'nope.yaml'],
      /--backends: cannot read nope\.yaml/,
    ],
    [
      ['serve', 'examples/delegation', '--backend', 'accounts=http://x'],
      /--backend: backend key must be namespace\/name:port, got 'accounts'/,
    ],
    [
      ['serve', 'examples/delegation', '--backend', 'banking/accounts:8080=ftp://x'],
      /must be http:\/\/ or https:\/\//,
    ],
    [
      ['serve', 'examples/delegation', '--port', '9999=1'],
      /--port 9999=1: the Gateway has no listener on port 9999 \(it has 8080\)/,
    ],
    [
      ['serve', 'examples/delegation', '--port', 'eighty'],
      /--port must be LISTENER_PORT=LOCAL_PORT or LOCAL_PORT/,
    ],
    [
      ['serve', 'examples/delegation', '--log-level', 'loud'],
      /Allowed choices are fatal, error, warn, info, debug, trace, silent/,
    ],
    [['serve', '--kubernetes'], /serve --kubernetes needs --gateway <namespace\/name>/],
  ])('%j is a one-line usage error (exit 2)', async (args, pattern) => {
    const result = await runBuilt(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });
});
