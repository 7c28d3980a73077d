/**
 * Rule 28 end to end: `serve` (the built CLI, a real process) keeps answering real HTTP requests
 * while a large configuration is re-read and re-compiled, and switches from the old table to the
 * new one in one step. Correctness only (who answered, in which order); timing is measured in
 * benchmarks/reload.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startBuilt, type RunningCli } from './helpers/built-cli.js';
import { freeBackendsFile, send } from './helpers/http.js';

const ROUTES = Number(process.env.RELOAD_TEST_ROUTES ?? 20_000);
const PER_RULE = 10;
const PER_ROUTE = 100;

let dir: string;
let running: RunningCli | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'cli']);
  dir = mkdtempSync(join(tmpdir(), 'switchyard-serve-large-'));
}, 240_000);

afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: http, namespace: infra }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: http, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
${['svc-a', 'svc-b'].map((name) => `---\napiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: infra }\nspec: { ports: [{ port: 8080 }] }`).join('\n')}
`;

/** ROUTES flattened routes `/r0`, `/r1`, ... in HTTPRoutes of PER_ROUTE, all to `backend`. */
function routes(backend: string): string {
  const documents: string[] = [];
  for (let first = 0; first < ROUTES; first += PER_ROUTE) {
    const rules: string[] = [];
    for (let rule = first; rule < first + PER_ROUTE; rule += PER_RULE) {
      const matches = Array.from(
        { length: PER_RULE },
        (_, i) => `{ path: { type: PathPrefix, value: /r${rule + i} } }`,
      );
      rules.push(
        `    - matches: [${matches.join(', ')}]\n      backendRefs: [{ name: ${backend}, port: 8080 }]`,
      );
    }
    documents.push(
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: routes-${first}, namespace: infra }\nspec:\n  parentRefs: [{ name: http }]\n  rules:\n${rules.join('\n')}`,
    );
  }
  return documents.join('\n---\n');
}

describe('rule 28: serve keeps answering while a large configuration reloads', () => {
  it(`${ROUTES} routes: every request during the reload is answered, old table then new, never back`, async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'routes.yaml'), routes('svc-a'));
    const keys = join(dir, 'keys.yaml.txt');
    writeFileSync(
      keys,
      'backends:\n  "infra/svc-a:8080": "http://127.0.0.1:1"\n  "infra/svc-b:8080": "http://127.0.0.1:2"\n',
    );
    await freeBackendsFile(keys, join(dir, 'backends.local.yaml'));
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
    const started = await running.waitFor(/Ctrl-C to stop/, 180_000);
    const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(started)![1]!;

    const answers: { at: number; backend: string }[] = [];
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming; i++) {
        const { status, body } = await send(`${base}/r${(i * 7919) % ROUTES}/x`, {
          headers: { host: 'api.example.com' },
        });
        answers.push({
          at: Date.now(),
          backend: status === 200 ? (JSON.parse(body) as { backend: string }).backend : `${status}`,
        });
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const written = Date.now();
    writeFileSync(join(dir, 'routes.yaml'), routes('svc-b'));
    await running.waitFor(/reload: changed routes\.yaml/, 180_000);
    const reloaded = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    streaming = false;
    await stream;

    const backends = answers.map((a) => a.backend);
    const firstNew = backends.indexOf('infra/svc-b:8080');
    expect(firstNew).toBeGreaterThan(0);
    expect(backends.slice(0, firstNew).every((b) => b === 'infra/svc-a:8080')).toBe(true);
    expect(backends.slice(firstNew).every((b) => b === 'infra/svc-b:8080')).toBe(true);
    // The old table kept answering while the files were read and compiled: there are old answers
    // in the second half of the reload, not only in the quiet period before it started. (With
    // the compile on the serving thread, the second half has none: requests wait for the swap.)
    const secondHalf = written + (reloaded - written) / 2;
    const late = answers.filter(
      (a) => a.at > secondHalf && a.at < reloaded && a.backend === 'infra/svc-a:8080',
    );
    expect(late.length).toBeGreaterThanOrEqual(3);
    expect(running.stdout()).toMatch(/\.\.\. and \d+ more added routes/);
  }, 400_000);
});
